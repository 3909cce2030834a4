# devices/: the port and MMIO bus and the virtual PC's devices (docs/devices.md).

DEV_SRC := devices/bus.c devices/pic.c devices/pit.c devices/uart.c devices/rtc.c \
	devices/misc_ports.c devices/devices.c
MON_C += $(DEV_SRC)
