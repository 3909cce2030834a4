/* A reference model of the VGA graphics controller's planar memory path, written from FreeVGA
   ("Graphics Controller Registers", "VGA memory organisation"), so the guests can work out the
   expected result of every access instead of trusting a recorded run. Each vm_ call does the
   real port or memory access and the same thing to the model; the model keeps four 64 KiB
   planes, the latches, the map mask and graphics registers 0-8.

   Rules the model follows (planar addressing: sequencer memory mode bit 2 set, bit 3 clear):
   - a read loads the four latches from the addressed offset; read mode 0 returns the plane the
     read map select names, read mode 1 returns 1 bits where every plane the colour don't care
     register selects matches the colour compare register;
   - write mode 0 rotates the CPU byte, replaces the planes enable set/reset selects by the
     set/reset bits; modes 0, 2 and 3 combine with the latches through the logical function and
     take latch bits where the bit mask is 0; mode 2 spreads the CPU byte's low bits to whole
     planes; mode 3 uses set/reset as data and the rotated CPU byte ANDed with the bit mask as
     the mask; mode 1 writes the latches; the map mask picks the planes written. */
#ifndef GUEST_LIB_VGA_MODEL_H
#define GUEST_LIB_VGA_MODEL_H

#include <stdint.h>

/* Takes the map mask and graphics registers from a mode just set; the planes are not touched:
   a test clears what it compares. */
void vm_start(uint8_t map_mask, const uint8_t gc[9]);
void vm_seq_map_mask(uint8_t v);
void vm_gc(uint8_t index, uint8_t v);
/* Write mode (0-3) and read mode (0-1) in graphics register 5, keeping its other bits. */
void vm_modes(unsigned write_mode, unsigned read_mode);
void vm_write(uint32_t offset, uint8_t v);
/* Reads both; returns the real byte and stores the model's in *expect. */
uint8_t vm_read(uint32_t offset, uint8_t *expect);
/* The model's plane byte. */
uint8_t vm_plane(unsigned plane, uint32_t offset);

/* Reads [start, start+len) of every plane with read mode 0 and checks each plane's FNV-1a sum
   against the model's, printing the sums read. */
void vm_verify_planes(const char *what, uint32_t start, uint32_t len);
/* Reads the range with read mode 1 under this colour compare and don't care and checks the sum
   of what came back against the model's. */
void vm_verify_compare(const char *what, uint32_t start, uint32_t len, uint8_t compare,
                       uint8_t dont_care);

#endif
