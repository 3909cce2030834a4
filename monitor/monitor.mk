# monitor/: boot sequence, log, command line, frames, traps, panic reports, self-test.
MON_C += monitor/main.c monitor/bootinfo.c monitor/cmdline.c monitor/console.c monitor/frames.c \
	monitor/guest_image.c monitor/guest_mem.c monitor/guest_module.c monitor/libc_glue.c monitor/log.c monitor/nexus.c monitor/panic.c \
	monitor/selftest.c monitor/trap.c
include monitor/emu/emu.mk
