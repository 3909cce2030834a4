# devices/: the port and MMIO bus and the virtual PC's devices (docs/devices.md).

DEV_SRC := devices/bus.c devices/pic.c devices/pit.c devices/uart.c devices/rtc.c \
	devices/misc_ports.c devices/devices.c
MON_C += $(DEV_SRC)

# Host unit tests: the same sources built natively against a fake host backend.
DEV_TEST_SRC := tests/host/dev_test_main.c tests/host/dev_fake_host.c tests/host/dev_test_bus.c \
	tests/host/dev_test_pic.c tests/host/dev_test_pit.c tests/host/dev_test_uart.c \
	tests/host/dev_test_rtc.c tests/host/dev_test_misc.c
DEV_TEST_OBJS := $(patsubst %.c,$(BUILD)/host/dev/%.o,$(DEV_SRC) $(DEV_TEST_SRC))

$(BUILD)/host/dev/%.o: %.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/dev-test: $(DEV_TEST_OBJS) | deps-host
	$(CC) $(HOST_CFLAGS) $^ -lcmocka -o $@

HOST_PROGS += $(BUILD)/host/dev-test
TESTS += dev-test
TEST_CMD.dev-test := $(BUILD)/host/dev-test
