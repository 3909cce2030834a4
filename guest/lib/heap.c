/* sbrk for newlib's malloc, which its formatted-output code links in: a fixed arena in .bss,
   so a guest's memory use never depends on how much RAM the machine has. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

void *sbrk(ptrdiff_t incr);

static uint8_t arena[64 * 1024] __attribute__((aligned(16)));
static size_t used;

void *sbrk(ptrdiff_t incr)
{
    if (incr < 0 || (size_t)incr > sizeof arena - used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *p = arena + used;
    used += (size_t)incr;
    return p;
}
