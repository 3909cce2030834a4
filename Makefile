# nexus86 top-level build.
#
#   make          the monitor (build/nexus86.elf), the guests and the ISO (build/nexus86.iso)
#   make qemu     build, then boot the ISO in QEMU with the default guest
#   make test     build, then run every test; the last line is "N passed, N failed"
#   make bench    benchmarks (see docs/bench.md)
#
# Each directory adds its own sources, programs and tests in its *.mk fragment; this file holds
# the tool flags and the rules that tie them together.

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
SHELL := /bin/bash

BUILD := build
DEPS := tools/ensure-deps

CC := gcc
NASM := nasm
LD := ld

# The monitor: freestanding 32-bit, general registers only (it never touches the FPU/SSE).
NEWLIB_PREFIX := $(BUILD)/newlib/i686-elf
UNDEF_HOST := -U__linux__ -U__linux -Ulinux -U__unix__ -U__unix -Uunix -U__gnu_linux__
MON_CFLAGS := -std=gnu11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables -mgeneral-regs-only -mno-red-zone \
	-O2 -g -Wall -Wextra -Werror -Wno-unused-parameter $(UNDEF_HOST) \
	-I. -isystem $(NEWLIB_PREFIX)/include -DNEXUS86_MONITOR -MMD -MP
MON_ASFLAGS := -f elf32 -g -F dwarf -I.
MON_LDFLAGS := -m elf_i386 -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments \
	--fatal-warnings -T linker.ld
MON_LIBS = $(NEWLIB_PREFIX)/lib/libc.a $(shell $(CC) -m32 -print-libgcc-file-name)

# Host programs: tests and fuzzers. HOST32 builds run 32-bit code natively (the emulator's oracle).
HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter -I. -MMD -MP
HOST32_CFLAGS := $(HOST_CFLAGS) -m32

# Filled in by the fragments.
MON_C :=
MON_ASM :=
HOST_PROGS :=
TESTS :=
# Recursive, so rules read later (mk/image.mk) see every fragment's sources.
MON_OBJS = $(MON_C:%.c=$(BUILD)/mon/%.o) $(MON_ASM:%.asm=$(BUILD)/mon/%.o)

include mk/newlib.mk
include boot/boot.mk
include arch/x86/arch.mk
include monitor/monitor.mk
include scan/scan.mk
include devices/devices.mk
include devices/vga.mk
include mk/image.mk
include guest/guest.mk
include guest/bench/bench.mk
include tests/tests.mk

$(BUILD)/mon/%.o: %.c $(NEWLIB_STAMP) | deps-build
	@mkdir -p $(@D)
	$(CC) $(MON_CFLAGS) -c $< -o $@

$(BUILD)/mon/%.o: %.asm | deps-build
	@mkdir -p $(@D)
	$(NASM) $(MON_ASFLAGS) -MD $(@:.o=.d) $< -o $@

.PHONY: all qemu test bench clean format deps-build deps-iso deps-qemu deps-bochs deps-host deps-bench

all: $(MON_ELF) $(ISO) $(GUEST_ELFS) $(HOST_PROGS)

deps-build deps-iso deps-qemu deps-bochs deps-host deps-bench:
	@$(DEPS) $(@:deps-%=%)

qemu: $(ISO) | deps-qemu
	tools/run-qemu $(ISO)

# Every test is a command in TESTS (name) with TEST_CMD.name; tests/run-tests runs them all, or
# those whose name matches the regular expression T (make test T=boot-).
test: all | deps-qemu deps-bochs deps-host
	@mkdir -p $(BUILD)
	$(file >$(BUILD)/tests.list,$(foreach t,$(TESTS),$(t)	$(TEST_CMD.$(t))$(newline)))
	@tests/run-tests $(BUILD)/tests.list '$(T)'

clean:
	rm -rf $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

define newline


endef

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
