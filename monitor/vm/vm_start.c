/*
 * vm_start.c: turning a loaded guest image into a running virtual machine: the guest's address
 * space, the devices, the prescanner and its memory, the INT3 gate for planted sites, and the
 * multiboot entry state.
 */
#include "monitor/vm/vm_start.h"
#include "arch/x86/desc.h"
#include "arch/x86/trap.h"
#include "monitor/log.h"
#include "monitor/panic.h"
#include "monitor/vm/guest_boot.h"
#include "monitor/vm/guest_rom.h"
#include "monitor/vm/guest_space.h"
#include "monitor/vm/nexus_run.h"
#include "monitor/vm/nexus_stub.h"
#include "monitor/vm/vm.h"
#include "monitor/vm/vm_host.h"
#include "scan/prescan.h"

/* The prescanner's tables (page states, sites, dependencies): recycled when full. */
#define SCAN_MEMORY (1344u * 1024u) /* about 290 pages of code, patch records included */

static uint8_t scan_memory[SCAN_MEMORY] __attribute__((aligned(16)));
static struct vga vga;
static struct vm vm;

static uint8_t *scan_page_ptr(void *ctx, uint32_t page)
{
    return guest_space_ptr(page);
}

static void scan_protect(void *ctx, uint32_t page, bool write_protected)
{
    guest_space_protect(page, write_protected);
}

static void scan_patch_removed(void *ctx, uint32_t addr, uint32_t cookie)
{
    vm_stub_removed(addr, cookie);
}

static const struct scan_ops scan_ops = {0, scan_page_ptr, scan_protect, scan_patch_removed};

void vm_start(const struct guest_image *img, const char *args, const struct monitor_config *cfg)
{
    uint32_t ram_size = cfg->guest_mem;
    vm.ram_size = ram_size;
    vm.audit = cfg->audit;
    vm.nexus_move = cfg->nexus_move;
    vm.vga = &vga;
    guest_space_init(ram_size);
    guest_rom_init();
    vm_host_init(&vm);
    vm.scan = scan_init(scan_memory, sizeof scan_memory, &scan_ops);
    if (!vm.scan)
        panic("the prescanner does not fit in its memory");
    vm.vmethod = cfg->vmethod;
    if (cfg->vmethod == VMETHOD_INT3) {
        /* Planted INT3s come straight to the ring-0 monitor. */
        idt_set_gate(TRAP_BP, SEL_MON_CS, trap_stub_table[TRAP_BP], GATE_INTR32 | DESC_DPL(3));
    } else {
        /* They enter the nexus at ring 3 (the gate nexus_init set), which can also take CLI and
         * STI once they are sites rather than #GP into ring 0. */
        scan_set_policy(vm.scan, SCAN_POLICY_SITE_CLI_STI);
        vm_nexus_start(&vm);
    }
    guest_boot_setup(&vm.cpu, img, args, ram_size);
    log_info("guest starts at %08lx (vmethod=%s), command line '%s'", (unsigned long)vm.cpu.eip,
             cmdline_vmethod_name(cfg->vmethod), args);
    vm_run(&vm);
}
