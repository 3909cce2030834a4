# guest/: guest programs (demo guest, test guests) and their runtime (guest/lib).
# Every guest is a multiboot v1 ELF linked at 1 MiB with guest/lib/guest.ld, the runtime and
# newlib's libc. GUEST_TESTS lists the test guests for tests/guest/diff-run; for now each is
# registered as a native-only test (guest-native-NAME).

GUEST_CFLAGS := -std=gnu11 -m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter $(UNDEF_HOST) \
	-I. -isystem $(NEWLIB_PREFIX)/include -MMD -MP
GUEST_ASFLAGS := -f elf32 -g -F dwarf -I.
GUEST_LDFLAGS := -m elf_i386 -nostdlib -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T guest/lib/guest.ld
GUEST_LIBS = $(NEWLIB_PREFIX)/lib/libc.a $(shell $(CC) -m32 -print-libgcc-file-name)
GUEST_OBJDIR := $(BUILD)/guest/obj

GUEST_LIB_SRC := guest/lib/entry.asm guest/lib/start.c guest/lib/serial.c guest/lib/print.c \
	guest/lib/test.c guest/lib/desc.c guest/lib/trap.c guest/lib/traps.asm guest/lib/ring.c \
	guest/lib/ring-switch.asm guest/lib/timer.c guest/lib/heap.c
guest_objs = $(patsubst %,$(GUEST_OBJDIR)/%.o,$(basename $(1)))
GUEST_LIB_OBJS := $(call guest_objs,$(GUEST_LIB_SRC))

$(GUEST_OBJDIR)/%.o: %.c $(NEWLIB_STAMP) | deps-build
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OBJDIR)/%.o: %.asm | deps-build
	@mkdir -p $(@D)
	$(NASM) $(GUEST_ASFLAGS) -MD $(@:.o=.d) $< -o $@

# $(1): the ELF to build, $(2): its own sources.
define guest_elf
$(1): $(call guest_objs,$(2)) $(GUEST_LIB_OBJS) guest/lib/guest.ld $(NEWLIB_STAMP)
	@mkdir -p $$(@D)
	$(LD) $(GUEST_LDFLAGS) -o $$@ $(GUEST_LIB_OBJS) $(call guest_objs,$(2)) $$(GUEST_LIBS)
endef

# Test guests: guest/tests/NAME.c plus any guest/tests/NAME-*.asm beside it.
GUEST_TEST_NAMES := sensitive privileged far-transfer exceptions rings io-timer smc page-edge \
	indirect mmio-rom patches vga-text vga-12h vga-0dh vga-13h
GUEST_TESTS := $(GUEST_TEST_NAMES:%=$(BUILD)/guest/tests/%.elf)
$(foreach n,$(GUEST_TEST_NAMES),$(eval $(call guest_elf,$(BUILD)/guest/tests/$(n).elf,\
	guest/tests/$(n).c $(wildcard guest/tests/$(n)-*.asm))))

GUEST_DEMO := $(BUILD)/guest/demo.elf
$(eval $(call guest_elf,$(GUEST_DEMO),$(wildcard guest/demo/*.c)))

# The VGA guests (vga-* tests, the demo) also link the VGA helpers guest/lib/vga*.c. They go in
# GUEST_LIBS, ahead of the C library they call, which the guest_elf recipe expands at link time.
GUEST_VGA_OBJS := $(call guest_objs,$(wildcard guest/lib/vga*.c))
GUEST_VGA_ELFS := $(filter $(BUILD)/guest/tests/vga-%,$(GUEST_TESTS)) $(GUEST_DEMO)
$(GUEST_VGA_ELFS): $(GUEST_VGA_OBJS)
$(GUEST_VGA_ELFS): GUEST_LIBS = $(GUEST_VGA_OBJS) $(NEWLIB_PREFIX)/lib/libc.a \
	$(shell $(CC) -m32 -print-libgcc-file-name)

GUEST_ELFS := $(GUEST_TESTS) $(GUEST_DEMO)

# Screen tests of the VGA guests and the demo.
include tests/screen/screen.mk

$(foreach n,$(GUEST_TEST_NAMES),$(eval TESTS += guest-native-$(n)))
$(foreach n,$(GUEST_TEST_NAMES),\
	$(eval TEST_CMD.guest-native-$(n) := tests/guest/native-run $(BUILD)/guest/tests/$(n).elf))
