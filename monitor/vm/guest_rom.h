/*
 * guest_rom.h: the contents of the guest's ROM range (0xC0000-0xFFFFF).
 */
#ifndef MONITOR_VM_GUEST_ROM_H
#define MONITOR_VM_GUEST_ROM_H

/* Copies the real machine's bytes of 0xC0000-0xFFFFF (VGA BIOS, option ROMs, system BIOS) into
 * the guest's ROM range, so that a guest reads there what it reads natively on the same machine.
 * Call after guest_space_init, before the guest runs. */
void guest_rom_init(void);

#endif
