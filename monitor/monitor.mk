# monitor/: boot sequence, log, command line, frames, traps, panic reports, self-test.
MON_C += monitor/main.c monitor/bootinfo.c monitor/cmdline.c monitor/console.c monitor/frames.c \
	monitor/guest_image.c monitor/guest_mem.c monitor/guest_module.c monitor/libc_glue.c monitor/log.c monitor/nexus.c monitor/panic.c \
	monitor/selftest.c monitor/trap.c
MON_C += monitor/vm/guest_space.c monitor/vm/guest_rom.c monitor/vm/shadow_desc.c monitor/vm/guest_boot.c \
	monitor/vm/vm_ops.c monitor/vm/exit.c monitor/vm/run.c monitor/vm/host.c monitor/vm/stats.c \
	monitor/vm/vm_start.c monitor/vm/audit.c monitor/vm/nexus_run.c monitor/vm/nexus_stub.c
include monitor/emu/emu.mk
include monitor/display.mk
