# monitor: fragment (being written)
include monitor/emu/emu.mk
