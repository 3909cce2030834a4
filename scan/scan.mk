# scan/: the decoder, its opcode table and the prescanner with its site table.
# DECODE_SRC is the decoder alone, for other host programs that link it (the emulator's tests);
# PRESCAN_SRC is the prescanner, which needs the decoder.

DECODE_SRC := scan/decode.c scan/decode-tables.c scan/decode-class.c scan/decode-format.c
PRESCAN_SRC := scan/prescan.c scan/prescan-mem.c scan/sites.c scan/patch.c
MON_C += $(DECODE_SRC) $(PRESCAN_SRC)

# The same sources built for the host, 64-bit (with Zydis) and 32-bit (as the emulator runs).
DECODE_HOST_OBJS := $(DECODE_SRC:scan/%.c=$(BUILD)/host/decode/%.o)
PRESCAN_HOST_OBJS := $(PRESCAN_SRC:scan/%.c=$(BUILD)/host/decode/%.o)
DECODE_HOST32_OBJS := $(DECODE_SRC:scan/%.c=$(BUILD)/host/decode32/%.o)

$(BUILD)/host/decode/%.o: scan/%.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/decode32/%.o: scan/%.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST32_CFLAGS) -c $< -o $@

$(BUILD)/host/decode-fuzz: tests/host/decode-fuzz.c $(DECODE_HOST_OBJS) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^) -lZydis

$(BUILD)/host/decode-test: tests/host/decode-test.c $(DECODE_HOST_OBJS) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^) -lcmocka

$(BUILD)/host/decode-test32: tests/host/decode-test.c $(DECODE_HOST32_OBJS) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST32_CFLAGS) -o $@ $(filter %.c %.o,$^) -lcmocka

HOST_PROGS += $(BUILD)/host/decode-fuzz $(BUILD)/host/decode-test $(BUILD)/host/decode-test32

DECODE_FUZZ := $(BUILD)/host/decode-fuzz --seed 20261121 --count 1000000 \
	--exceptions tests/host/decode-exceptions.txt

TESTS += decode-unit decode-unit-32 decode-fuzz-32 decode-fuzz-16 decode-sweep-32 decode-sweep-16
TEST_CMD.decode-unit := $(BUILD)/host/decode-test
TEST_CMD.decode-unit-32 := $(BUILD)/host/decode-test32
TEST_CMD.decode-fuzz-32 := $(DECODE_FUZZ) --mode 32
TEST_CMD.decode-fuzz-16 := $(DECODE_FUZZ) --mode 16
TEST_CMD.decode-sweep-32 := $(DECODE_FUZZ) --exhaustive --mode 32
TEST_CMD.decode-sweep-16 := $(DECODE_FUZZ) --exhaustive --mode 16

# The prescanner: unit tests (scan-test, scan-patch-test for patches) and the invariant fuzzer,
# over a fake guest memory.
SCAN_FAKE := tests/host/scan-fake.c

$(BUILD)/host/scan-test: tests/host/scan-test.c $(SCAN_FAKE) $(PRESCAN_HOST_OBJS) $(DECODE_HOST_OBJS) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^) -lcmocka

$(BUILD)/host/scan-fuzz: tests/host/scan-fuzz.c $(SCAN_FAKE) $(PRESCAN_HOST_OBJS) $(DECODE_HOST_OBJS) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^)

$(BUILD)/host/scan-patch-test: tests/host/scan-patch-test.c $(SCAN_FAKE) $(PRESCAN_HOST_OBJS) $(DECODE_HOST_OBJS) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c %.o,$^) -lcmocka

HOST_PROGS += $(BUILD)/host/scan-test $(BUILD)/host/scan-patch-test $(BUILD)/host/scan-fuzz

TESTS += scan-unit scan-patch-unit scan-fuzz
TEST_CMD.scan-unit := $(BUILD)/host/scan-test
TEST_CMD.scan-patch-unit := $(BUILD)/host/scan-patch-test
TEST_CMD.scan-fuzz := $(BUILD)/host/scan-fuzz --seed 20261122 --count 300
