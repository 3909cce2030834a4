# tests/: boot tests of the monitor (QEMU -kernel with multiboot1, the ISO through GRUB's
# multiboot2, Bochs) and the monitor's host unit tests. Other directories register their own.

CHECK_BOOT := tests/boot/check-boot
SELFTEST_OK := --expect 'selftest: 6 passed, 0 failed' --reject 'FAIL'
BIG_MODULE := $(BUILD)/tests/big-module.bin

$(BIG_MODULE):
	@mkdir -p $(@D)
	head -c 2097152 /dev/zero >$@

TESTS += boot-selftest-kernel
TEST_CMD.boot-selftest-kernel := $(CHECK_BOOT) selftest-kernel --status 33 $(SELFTEST_OK) \
	--expect 'multiboot,' -- -kernel $(MON_ELF) -append selftest

TESTS += boot-selftest-iso
TEST_CMD.boot-selftest-iso := $(CHECK_BOOT) selftest-iso --status 33 $(SELFTEST_OK) \
	--expect 'multiboot2' --timeout 120 -- -cdrom $(TEST_ISO)

TESTS += boot-demo-iso
TEST_CMD.boot-demo-iso := $(CHECK_BOOT) demo-iso --until 'stats: exits=' \
	--expect "guest module 'demo': .* command line ''" --expect 'multiboot2' --reject 'PANIC' \
	--expect 'guest starts at' --expect 'display: the real VGA shows' \
	--timeout 120 \
	-- -cdrom $(ISO)

# The audit mode really checks: its statistics count the instructions it looked at.
TESTS += boot-audit-checks
TEST_CMD.boot-audit-checks := $(CHECK_BOOT) audit-checks --status 33 \
	--expect 'audit_checks=[1-9][0-9]{3,}' --reject 'audit:' \
	-- -kernel $(MON_ELF) -append audit -initrd '$(BUILD)/guest/tests/sensitive.elf'

TESTS += boot-stats-request
TEST_CMD.boot-stats-request := tests/boot/stats-request $(MON_ELF) $(DEMO_GUEST)

TESTS += boot-move-request
TEST_CMD.boot-move-request := tests/boot/move-request $(MON_ELF) $(DEMO_GUEST)

TESTS += boot-bochs-selftest
TEST_CMD.boot-bochs-selftest := tests/boot/bochs-selftest $(TEST_ISO)

TESTS += boot-panic-report
TEST_CMD.boot-panic-report := $(CHECK_BOOT) panic --status 37 \
	--expect 'MONITOR PANIC: \#PF page fault' --expect 'error code 0x2: page not present, write' \
	--expect 'cr2=00000010' --expect 'bytes at eip: [0-9a-f]{2} ' \
	--expect 'called from [0-9a-f]{8} <monitor_main\+' -- -kernel $(MON_ELF) -append selftest=fault

TESTS += boot-bad-option
TEST_CMD.boot-bad-option := $(CHECK_BOOT) bad-option --status 39 \
	--expect "unknown option 'frobnicate'" -- -kernel $(MON_ELF) -append 'log=com2 frobnicate'

TESTS += boot-bad-value
TEST_CMD.boot-bad-value := $(CHECK_BOOT) bad-value --status 39 \
	--expect "'mem=12Q'" -- -kernel $(MON_ELF) -append 'mem=12Q'

TESTS += boot-no-guest
TEST_CMD.boot-no-guest := $(CHECK_BOOT) no-guest --status 39 --expect 'no guest' \
	-- -kernel $(MON_ELF)

TESTS += boot-guest-too-big
TEST_CMD.boot-guest-too-big := $(CHECK_BOOT) guest-too-big --status 39 \
	--expect "guest '$(BIG_MODULE)' is 2048 KiB, larger than guest memory" -- -kernel $(MON_ELF) -append mem=1M \
	-initrd '$(BIG_MODULE)'
test: $(BIG_MODULE) $(TEST_ISO)

TESTS += boot-guest-not-multiboot
TEST_CMD.boot-guest-not-multiboot := $(CHECK_BOOT) guest-not-multiboot --status 39 \
	--expect "guest '$(BIG_MODULE)' cannot be loaded: no multiboot header" \
	-- -kernel $(MON_ELF) -initrd '$(BIG_MODULE)'

TESTS += boot-too-little-ram
TEST_CMD.boot-too-little-ram := $(CHECK_BOOT) too-little-ram --status 39 \
	--expect 'too little RAM' -- -kernel $(MON_ELF) -append mem=512M -initrd '$(DEMO_GUEST)'

TESTS += boot-guest-reported
TEST_CMD.boot-guest-reported := $(CHECK_BOOT) guest-reported --until 'guest starts at' \
	--expect "guest module '$(DEMO_GUEST)': [0-9]+ bytes .* command line 'one two'" \
	--expect 'guest loaded: multiboot kernel, [0-9]+ segment\(s\) at 00100000-' \
	-- -kernel $(MON_ELF) -initrd '$(DEMO_GUEST) one two'

# Host unit tests of the monitor's pure parts.
$(BUILD)/host/monitor-test: tests/host/monitor_test.c monitor/cmdline.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Dsniprintf=snprintf -o $@ $^ -lcmocka
HOST_PROGS += $(BUILD)/host/monitor-test
TESTS += monitor-unit
TEST_CMD.monitor-unit := $(BUILD)/host/monitor-test

$(BUILD)/host/guest-image-test: tests/host/guest_image_test.c monitor/guest_image.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Dsniprintf=snprintf -o $@ $^ -lcmocka
HOST_PROGS += $(BUILD)/host/guest-image-test
TESTS += guest-image-unit
TEST_CMD.guest-image-unit := $(BUILD)/host/guest-image-test

# Differential runs: every test guest natively and under nexus86 on the same QEMU, then again with
# the monitor's audit mode (single-stepping virtual ring 0, so slower: a longer timeout).
$(foreach n,$(GUEST_TEST_NAMES),$(eval TESTS += guest-diff-$(n) guest-audit-$(n)))
$(foreach n,$(GUEST_TEST_NAMES),$(eval TEST_CMD.guest-diff-$(n) := \
	tests/guest/diff-run $(BUILD)/guest/tests/$(n).elf))
$(foreach n,$(GUEST_TEST_NAMES),$(eval TEST_CMD.guest-audit-$(n) := \
	tests/guest/diff-run --monitor audit --timeout 600 $(BUILD)/guest/tests/$(n).elf))
# The same differential runs under the other methods (the default is vmethod=nexus; the audit
# runs keep it).
$(foreach m,int3 r3,$(foreach n,$(GUEST_TEST_NAMES),$(eval TESTS += guest-diff-$(m)-$(n))))
$(foreach m,int3 r3,$(foreach n,$(GUEST_TEST_NAMES),$(eval TEST_CMD.guest-diff-$(m)-$(n) := \
	tests/guest/diff-run --monitor vmethod=$(m) $(BUILD)/guest/tests/$(n).elf)))
# The nexus moving at every timer tick while a guest runs (tests/guest/move-run): the same
# transcript as native, the same scanner counters as without moves. One test per method and guest.
NEXUS_MOVE_METHODS := r3 nexus
NEXUS_MOVE_GUESTS := sensitive io-timer smc
$(foreach m,$(NEXUS_MOVE_METHODS),$(foreach n,$(NEXUS_MOVE_GUESTS),\
	$(eval TESTS += guest-move-$(m)-$(n))\
	$(eval TEST_CMD.guest-move-$(m)-$(n) := tests/guest/move-run $(m) $(BUILD)/guest/tests/$(n).elf)))

# A multiboot2-only kernel written apart from the guest runtime, booted under nexus86.
MB2_HELLO := $(BUILD)/tests/mb2-hello.elf
$(MB2_HELLO): tests/guest/mb2-hello.asm guest/lib/guest.ld | deps-build deps-iso
	@mkdir -p $(@D)
	$(NASM) -f elf32 -o $(@:.elf=.o) $<
	$(LD) $(GUEST_LDFLAGS) -o $@ $(@:.elf=.o)
	grub-file --is-x86-multiboot2 $@
test: $(MB2_HELLO)
TESTS += guest-multiboot2
TEST_CMD.guest-multiboot2 := tests/guest/mb2-run $(MB2_HELLO)
