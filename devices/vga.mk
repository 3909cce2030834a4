# devices/vga.mk: the emulated VGA (core, bus adapter) and its host unit tests.
# Included from the devices fragment.

VGA_CORE_C := devices/vga_regs.c devices/vga_mem.c devices/vga_render.c devices/vga_reset.c
MON_C += $(VGA_CORE_C) devices/vga_bus.c

VGA_TEST_C := tests/host/vga_test_main.c tests/host/vga_test_modes.c tests/host/vga_test_regs.c \
	tests/host/vga_test_mem.c tests/host/vga_test_render.c tests/host/vga_test_bus.c
VGA_TEST_OBJS := $(patsubst %.c,$(BUILD)/host/vga/%.o,$(VGA_TEST_C) $(VGA_CORE_C) \
	devices/vga_bus.c devices/bus.c)

$(BUILD)/host/vga/%.o: %.c | deps-host
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/vga-test: $(VGA_TEST_OBJS) | deps-host
	$(CC) $(HOST_CFLAGS) $^ -lcmocka -o $@

HOST_PROGS += $(BUILD)/host/vga-test
TESTS += vga-unit
TEST_CMD.vga-unit := $(BUILD)/host/vga-test
