/* The benchmark guest: times one operation in virtual ring 0 with RDTSC and prints one line,
   "BENCH NAME cycles_per_op=C loop_cycles=L iterations=N ops=M", for tools/bench. C is the cost
   of one operation, with L, the cost of one iteration of the empty loop, taken off (for cpu-loop
   only the call's cost); N is the iterations of each timed loop; M is how many operations the run
   executed in all, warm-up included, which is what the monitor's exit count divides by.
   Command line: "bench.elf NAME [iterations=N]", or "bench.elf list" for the names.
   One guest for every benchmark, so each run boots the same image through the same start-up
   code, and the exits of a zero-iteration run of the same benchmark cancel exactly. */
#include "guest/lib/desc.h"
#include "guest/lib/io.h"
#include "guest/lib/print.h"
#include "guest/lib/ring.h"
#include "guest/lib/start.h"
#include "guest/lib/test.h"
#include "guest/lib/trap.h"
#include <stdlib.h>
#include <string.h>

const char guest_name[] = "bench";

/* The vectors bench-loops.asm raises with INT n (immediates there, so written twice). */
#define BENCH_INT_VECTOR     0x81
#define BENCH_SYSCALL_VECTOR 0x80

#define DEFAULT_ITERATIONS 100000u
#define MAX_ITERATIONS     10000000u /* ops (below) must fit 32 bits */
/* One warm-up call of a quarter of the iterations fills QEMU's translation cache and the
   monitor's scan and site tables; then ROUNDS timed calls, of which the fastest counts (a host
   interruption only ever adds time). On the shared 2-core machine another busy process takes
   QEMU's core for stretches of tens of milliseconds, which doubled every one of 3 rounds of a
   whole run now and then; out of 15 rounds, some fall between such stretches. */
#define WARMUP_DIVISOR 4u
#define ROUNDS         15u

/* The loop bodies (bench-loops.asm). */
uint32_t bench_empty(uint32_t n);
uint32_t bench_cli_sti(uint32_t n);
uint32_t bench_pushf_popf(uint32_t n);
uint32_t bench_mov_sreg(uint32_t n);
uint32_t bench_smsw_sgdt(uint32_t n);
uint32_t bench_in_port(uint32_t n);
uint32_t bench_int_iret(uint32_t n);
uint32_t bench_syscall(uint32_t n);
uint32_t bench_cpu_loop(uint32_t n);
void bench_iret(void);
extern const uint32_t bench_unroll; /* operations per loop iteration */

/* The CLI/STI loop leaves IF set; both sides clear it again so they stay the same shape. */
static uint32_t run_cli_sti(uint32_t n)
{
    bench_cli_sti(n);
    cli();
    return 0;
}

static uint32_t run_cli_sti_empty(uint32_t n)
{
    bench_empty(n);
    cli();
    return 0;
}

/* The CPU-bound loop keeps its loop: its branch is ordinary guest code like the rest, and what
   running ordinary code costs is what that benchmark is there to show. Only the call is taken off.
 */
static uint32_t no_loop(uint32_t n)
{
    return n;
}

/* The system call loop runs at ring 3; the empty loop takes the same trip there and back. */
static uint32_t run_syscall(uint32_t n)
{
    return ring3_call(bench_syscall, n);
}

static uint32_t run_syscall_empty(uint32_t n)
{
    return ring3_call(bench_empty, n);
}

typedef uint32_t (*loop_fn)(uint32_t n);

struct bench {
    const char *name;
    loop_fn body, empty;
};

static const struct bench benches[] = {
    {.name = "cli-sti", .body = run_cli_sti, .empty = run_cli_sti_empty},
    {.name = "pushf-popf", .body = bench_pushf_popf, .empty = bench_empty},
    {.name = "mov-sreg", .body = bench_mov_sreg, .empty = bench_empty},
    {.name = "smsw-sgdt", .body = bench_smsw_sgdt, .empty = bench_empty},
    {.name = "in-port", .body = bench_in_port, .empty = bench_empty},
    {.name = "int-iret", .body = bench_int_iret, .empty = bench_empty},
    {.name = "syscall", .body = run_syscall, .empty = run_syscall_empty},
    {.name = "cpu-loop", .body = bench_cpu_loop, .empty = no_loop},
};
#define NBENCH (sizeof benches / sizeof benches[0])

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
    return (uint64_t)hi << 32 | lo;
}

static uint64_t time_call(loop_fn f, uint32_t n)
{
    uint64_t t0 = rdtsc();
    f(n);
    return rdtsc() - t0;
}

/* Prints tenths as a decimal with one digit after the point (the runtime prints integers only). */
static void print_tenths(int64_t tenths)
{
    uint64_t a = tenths < 0 ? (uint64_t)-tenths : (uint64_t)tenths;
    gprintf("%s%lu.%lu", tenths < 0 ? "-" : "", (unsigned long)(a / 10), (unsigned long)(a % 10));
}

static void run(const struct bench *b, uint32_t n)
{
    uint32_t warm = n / WARMUP_DIVISOR;
    b->empty(warm);
    b->body(warm);
    uint64_t best_body = UINT64_MAX, best_empty = UINT64_MAX;
    for (unsigned r = 0; r < ROUNDS; r++) {
        uint64_t e = time_call(b->empty, n);
        uint64_t t = time_call(b->body, n);
        best_empty = e < best_empty ? e : best_empty;
        best_body = t < best_body ? t : best_body;
    }
    gprintf("BENCH %s", b->name);
    if (n) {
        gprintf(" cycles_per_op=");
        int64_t diff = (int64_t)(best_body - best_empty), ops = (int64_t)n * bench_unroll;
        print_tenths((diff * 10 + (diff < 0 ? -ops : ops) / 2) / ops);
        gprintf(" loop_cycles=");
        print_tenths((int64_t)((best_empty * 10 + n / 2) / n));
    }
    gprintf(" iterations=%lu ops=%lu\n", (unsigned long)n,
            (unsigned long)((warm + ROUNDS * n) * bench_unroll));
}

static const struct bench *find(const char *name)
{
    for (unsigned i = 0; i < NBENCH; i++)
        if (strcmp(benches[i].name, name) == 0)
            return &benches[i];
    return NULL;
}

static bool parse_iterations(const char *word, uint32_t *n)
{
    const char *key = "iterations=";
    if (strncmp(word, key, strlen(key)) != 0)
        return false;
    const char *digits = word + strlen(key);
    char *end;
    unsigned long v = strtoul(digits, &end, 10);
    if (end == digits || *end || v > MAX_ITERATIONS)
        return false;
    *n = (uint32_t)v;
    return true;
}

/* The next blank-separated word of *p, copied into buf (truncated to fit); false at the end. */
static bool next_word(const char **p, char *buf, unsigned size)
{
    const char *s = *p;
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    unsigned len = 0;
    for (; *s && *s != ' '; s++)
        if (len + 1 < size)
            buf[len++] = *s;
    buf[len] = '\0';
    *p = s;
    return true;
}

void guest_main(void)
{
    idt[BENCH_INT_VECTOR] = desc_gate(SEL_KCODE, (uint32_t)bench_iret, GATE_INTR);
    idt[BENCH_SYSCALL_VECTOR] = desc_gate(SEL_KCODE, (uint32_t)bench_iret, GATE_INTR_USER);

    const char *line = (boot_info->flags & MB_INFO_CMDLINE) ? (const char *)boot_info->cmdline : "";
    char word[64], name[64] = "";
    uint32_t n = DEFAULT_ITERATIONS;
    /* QEMU and GRUB put the guest's file name first, nexus86 does not: a first word with a '/' or
       a '.' in it is that name (no benchmark name has either). */
    for (bool first = true; next_word(&line, word, sizeof word); first = false) {
        if (first && strpbrk(word, "/."))
            continue;
        if (parse_iterations(word, &n))
            continue;
        if (name[0] || strchr(word, '=')) {
            check(false, "command-line word '%s' understood", word);
            return;
        }
        strcpy(name, word);
    }

    if (strcmp(name, "list") == 0) {
        gprintf("BENCHMARKS");
        for (unsigned i = 0; i < NBENCH; i++)
            gprintf(" %s", benches[i].name);
        gprintf("\n");
        return;
    }
    const struct bench *b = find(name);
    if (!check(b != NULL, "benchmark '%s' known (try 'list')", name))
        return;
    run(b, n);
}
