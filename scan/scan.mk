# scan/: the decoder, its opcode table and (later) the prescanner. Owned by the decoder work.
# DECODE_SRC is the decoder alone, for other host programs that link it (the emulator's tests).

DECODE_SRC := scan/decode.c scan/decode-tables.c scan/decode-class.c scan/decode-format.c
MON_C += $(DECODE_SRC)

# The same sources built for the host, 64-bit (with Zydis) and 32-bit (as the emulator runs).
DECODE_HOST_OBJS := $(DECODE_SRC:scan/%.c=$(BUILD)/host/decode/%.o)
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
