/*
 * guest_mem.h: guest RAM, one contiguous block of host frames; guest-physical address 0 is the
 * block's first byte.
 */
#ifndef MONITOR_GUEST_MEM_H
#define MONITOR_GUEST_MEM_H

#include <stdbool.h>
#include <stdint.h>

/* Takes size bytes (whole pages) of host RAM for the guest; false if no such block is free. */
bool guest_mem_init(uint32_t size);
uint32_t guest_mem_size(void);
/* Host-physical address of guest-physical gpa (gpa < guest_mem_size()). */
uint32_t guest_mem_host_phys(uint32_t gpa);
/* Copies into guest RAM (src NULL: zeroes); the range must lie in guest RAM. */
void guest_mem_write(uint32_t gpa, const void *src, uint32_t len);

#endif
