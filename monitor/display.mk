# monitor/display*: the guest's VGA on the real display (monitor/display.c, display_sync.c) and
# the host unit test of the sync logic (docs/vga.md, "The monitor's display").

MON_C += monitor/display.c monitor/display_sync.c

DISPLAY_TEST_SRC := tests/host/display_test.c monitor/display_sync.c tests/host/vga_test_modes.c \
	devices/vga_regs.c devices/vga_mem.c devices/vga_render.c devices/vga_reset.c

$(BUILD)/host/display-test: $(DISPLAY_TEST_SRC) | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lcmocka
HOST_PROGS += $(BUILD)/host/display-test
TESTS += display-unit
TEST_CMD.display-unit := $(BUILD)/host/display-test
TESTS += display-random
TEST_CMD.display-random := $(BUILD)/host/display-test 20261121
