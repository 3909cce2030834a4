/*
 * libc_glue.c: the system calls newlib expects from its platform. Output goes to the log
 * channel; the heap is a fixed arena in .bss so the monitor's memory use is bounded and known at
 * link time; everything a bare-metal monitor has no notion of (files, processes) fails cleanly.
 */
#include "monitor/log.h"
#include "monitor/panic.h"

#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#undef errno
extern int errno;

#define HEAP_BYTES (256u * 1024u)

static char heap[HEAP_BYTES] __attribute__((aligned(16)));
static size_t heap_used;

/* This newlib configuration (i686-elf) calls the plain names from its reentrant wrappers. */
void *sbrk(ptrdiff_t incr);
int write(int fd, const void *buf, size_t len);
int read(int fd, void *buf, size_t len);
int close(int fd);
int fstat(int fd, struct stat *st);
int isatty(int fd);
off_t lseek(int fd, off_t off, int whence);
int kill(int pid, int sig);
int getpid(void);
void _exit(int status);

void *sbrk(ptrdiff_t incr)
{
    if (incr < 0 || (size_t)incr > HEAP_BYTES - heap_used) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *p = heap + heap_used;
    heap_used += (size_t)incr;
    return p;
}

int write(int fd, const void *buf, size_t len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    log_raw(buf, (unsigned)len);
    return (int)len;
}

int read(int fd, void *buf, size_t len)
{
    errno = EBADF;
    return -1;
}

int close(int fd)
{
    errno = EBADF;
    return -1;
}

int fstat(int fd, struct stat *st)
{
    st->st_mode = S_IFCHR;
    return 0;
}

int isatty(int fd)
{
    return fd <= 2;
}

off_t lseek(int fd, off_t off, int whence)
{
    errno = ESPIPE;
    return -1;
}

int kill(int pid, int sig)
{
    errno = EINVAL;
    return -1;
}

int getpid(void)
{
    return 1;
}

void _exit(int status)
{
    panic("newlib called _exit(%d)", status);
}
