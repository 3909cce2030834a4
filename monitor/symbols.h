/*
 * symbols.h: the monitor's function symbols, generated from the first link of the image
 * (mk/image.mk) and linked into the second, for backtraces.
 */
#ifndef MONITOR_SYMBOLS_H
#define MONITOR_SYMBOLS_H

#include <stdint.h>

struct symbol {
    uint32_t addr;
    uint32_t name; /* offset into symbol_names */
};

extern const uint32_t symbol_count;
extern const struct symbol symbol_table[];
extern const char symbol_names[];

#endif
