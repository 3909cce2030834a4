/*
 * stats.c: the statistics of a guest run on the log, as one machine-readable line (`stats:`
 * followed by key=value pairs; tools/bench reads exits=) and the hottest sites.
 */
#include "monitor/cmdline.h"
#include "monitor/log.h"
#include "monitor/nexus.h"
#include "monitor/vm/nexus_run.h"
#include "monitor/vm/nexus_stub.h"
#include "monitor/vm/vm_exit.h"
#include "monitor/vm/vm_ops.h"
#include "scan/decode.h"
#include "scan/prescan.h"

#define HOT_SITES 8

static unsigned long total_exits(const struct vm_stats *s)
{
    unsigned long n = 0;
    for (int i = 0; i < EXIT_REASONS; i++)
        n += s->exits[i];
    return n;
}

/* A site's hits: ring 0's (the scanner counts them) and, under vmethod=r3, the nexus's since the
 * site entered its cache (the cache is cleared when the scanner drops a page). */
static uint64_t site_hits(const struct vm *vm, const struct site_info *s)
{
    return s->hits + (vm->vmethod != VMETHOD_INT3 ? vm_nexus_site_hits(s->addr) : 0);
}

static void print_hot_sites(const struct vm *vm)
{
    static struct site_info all[512];
    unsigned n = scan_sites(vm->scan, all, 512);
    for (unsigned k = 0; k < HOT_SITES && k < n; k++) {
        unsigned best = k;
        for (unsigned i = k + 1; i < n; i++)
            if (site_hits(vm, &all[i]) > site_hits(vm, &all[best]))
                best = i;
        struct site_info t = all[k];
        all[k] = all[best];
        all[best] = t;
        uint64_t hits = site_hits(vm, &all[k]);
        if (hits == 0)
            break;
        char text[64];
        struct x86_insn insn;
        vm_insn_at(vm, all[k].addr, all[k].mode, &insn, text, sizeof text);
        log_info("hot site %08lx: %lu hits (%lu in ring 0), %s", (unsigned long)all[k].addr,
                 (unsigned long)hits, (unsigned long)all[k].hits, text);
    }
}

/* Insert-call: the patches made, and why the other sites the nexus can emulate kept their INT3. */
static void print_patches(const struct vm *vm)
{
    static const char *const monitor_reasons[] = {"no stub template", "no free stub slot",
                                                  "another code segment",
                                                  "region does not fit the site"};
    const struct vm_stats *s = &vm->stats;
    const struct scan_stats *sc = scan_stats(vm->scan);
    log_info("stats: stubs_made=%lu patches_applied=%lu patches_removed=%lu "
             "emulated_in_patch=%lu",
             (unsigned long)s->stubs_made, (unsigned long)sc->patches_applied,
             (unsigned long)sc->patches_removed, (unsigned long)s->emulated_in_patch);
    for (int r = SCAN_PATCH_OK + 1; r < SCAN_PATCH_REASONS; r++)
        if (s->patch_refused[r] && r != SCAN_PATCH_PATCHED)
            log_info("stats: no patch: %s: %lu", scan_patch_reason_name(r),
                     (unsigned long)s->patch_refused[r]);
    for (int r = 0; r < STUB_REFUSALS; r++)
        if (s->stub_refused[r])
            log_info("stats: no patch: %s: %lu", monitor_reasons[r],
                     (unsigned long)s->stub_refused[r]);
}

void vm_stats_print(const struct vm *vm, const char *when)
{
    const struct vm_stats *s = &vm->stats;
    const struct scan_stats *sc = scan_stats(vm->scan);
    log_info("stats: exits=%lu irq=%lu site=%lu guest_bp=%lu gp=%lu pf=%lu exception=%lu "
             "debug=%lu nexus=%lu emulated=%lu delivered=%lu irqs_injected=%lu halts=%lu "
             "emulated_unscannable=%lu audit_checks=%lu pages_scanned=%lu pages_invalidated=%lu "
             "pages_recycled=%lu sites_planted=%lu edges_resolved=%lu edges_replanted=%lu "
             "scans=%lu nexus_moves=%lu",
             total_exits(s), (unsigned long)s->exits[EXIT_IRQ], (unsigned long)s->exits[EXIT_SITE],
             (unsigned long)s->exits[EXIT_GUEST_BP], (unsigned long)s->exits[EXIT_GP],
             (unsigned long)s->exits[EXIT_PF], (unsigned long)s->exits[EXIT_EXCEPTION],
             (unsigned long)s->exits[EXIT_DEBUG], (unsigned long)s->exits[EXIT_NEXUS],
             (unsigned long)s->emulated, (unsigned long)s->delivered,
             (unsigned long)s->irqs_injected, (unsigned long)s->halts,
             (unsigned long)s->emulated_no_scan, (unsigned long)s->audit_checks,
             (unsigned long)sc->pages_scanned, (unsigned long)sc->pages_invalidated,
             (unsigned long)sc->pages_recycled, (unsigned long)sc->sites_planted,
             (unsigned long)sc->edges_resolved, (unsigned long)sc->edges_replanted,
             (unsigned long)sc->scans, (unsigned long)s->nexus_moves);
    if (vm->vmethod != VMETHOD_INT3) {
        /* The nexus's own counters (guest-writable: informative only). */
        volatile struct nexus_page *p = nexus_page();
        log_info("stats: nexus_emulated=%lu nexus_deferred=%lu nexus_faults=%lu "
                 "nexus_uncacheable=%lu",
                 (unsigned long)p->emulated, (unsigned long)p->deferred,
                 (unsigned long)s->nexus_faults, (unsigned long)s->nexus_uncached);
    }
    if (vm->vmethod == VMETHOD_NEXUS)
        print_patches(vm);
    log_info("stats (%s): sites by kind: sensitive %lu, indirect %lu, edge %lu, overlap %lu", when,
             (unsigned long)sc->sites_by_kind[0], (unsigned long)sc->sites_by_kind[1],
             (unsigned long)sc->sites_by_kind[2], (unsigned long)sc->sites_by_kind[3]);
    print_hot_sites(vm);
}
