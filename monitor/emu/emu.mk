# monitor/emu/: the state-oriented instruction emulator, its differential fuzzer (emu-fuzz, run
# natively in a 32-bit process) and its unit tests (emu-test). See docs/emulator.md.

EMU_SRC := monitor/emu/emu.c monitor/emu/mem.c monitor/emu/seg.c monitor/emu/operand.c \
	monitor/emu/alu.c monitor/emu/exec-alu.c monitor/emu/exec-data.c monitor/emu/exec-flow.c \
	monitor/emu/exec-string.c monitor/emu/exec-sys.c monitor/emu/exec-far.c \
	monitor/emu/privilege.c monitor/emu/deliver.c monitor/emu/task.c
MON_C += $(EMU_SRC)

# Host builds are 32-bit: the emulator's ALU is native IA-32 code. scan.mk is read after this
# fragment, so the decoder's 32-bit objects are named here from its sources.
EMU_HOST_OBJS := $(EMU_SRC:monitor/emu/%.c=$(BUILD)/host/emu32/%.o)
EMU_DECODE_OBJS := $(patsubst scan/%.c,$(BUILD)/host/decode32/%.o,$(wildcard scan/decode*.c))
EMU_FUZZ_SRC := tests/host/emu-fuzz.c tests/host/emu-fuzz-native.c tests/host/emu-fuzz-mock.c \
	tests/host/emu-fuzz-gen.c
EMU_FUZZ_OBJS := $(EMU_FUZZ_SRC:tests/host/%.c=$(BUILD)/host/emu32/%.o)
EMU_TEST_SRC := tests/host/emu-test.c tests/host/emu-test-mock.c
EMU_TEST_OBJS := $(EMU_TEST_SRC:tests/host/%.c=$(BUILD)/host/emu32/%.o)

$(BUILD)/host/emu32/%.o: monitor/emu/%.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST32_CFLAGS) -c $< -o $@

$(BUILD)/host/emu32/%.o: tests/host/%.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST32_CFLAGS) -c $< -o $@

$(BUILD)/host/emu-fuzz: $(EMU_FUZZ_OBJS) $(EMU_HOST_OBJS) $(EMU_DECODE_OBJS) | deps-host
	$(CC) $(HOST32_CFLAGS) -o $@ $^

$(BUILD)/host/emu-test: $(EMU_TEST_OBJS) $(EMU_HOST_OBJS) $(EMU_DECODE_OBJS) | deps-host
	$(CC) $(HOST32_CFLAGS) -o $@ $^ -lcmocka

# More cmocka programs on the same mock machine, one per subject: emu-NAME-test.c.
EMU_MORE_TESTS := deliver trap gate task
$(EMU_MORE_TESTS:%=$(BUILD)/host/emu-%-test): $(BUILD)/host/emu-%-test: \
		$(BUILD)/host/emu32/emu-%-test.o $(BUILD)/host/emu32/emu-test-mock.o $(EMU_HOST_OBJS) \
		$(EMU_DECODE_OBJS) | deps-host
	$(CC) $(HOST32_CFLAGS) -o $@ $^ -lcmocka

HOST_PROGS += $(BUILD)/host/emu-fuzz $(BUILD)/host/emu-test \
	$(EMU_MORE_TESTS:%=$(BUILD)/host/emu-%-test)

TESTS += emu-unit $(EMU_MORE_TESTS:%=emu-%) emu-fuzz
TEST_CMD.emu-unit := $(BUILD)/host/emu-test
$(foreach t,$(EMU_MORE_TESTS),$(eval TEST_CMD.emu-$(t) := $(BUILD)/host/emu-$(t)-test))
TEST_CMD.emu-fuzz := $(BUILD)/host/emu-fuzz --seed 20261121 --count 1000000
