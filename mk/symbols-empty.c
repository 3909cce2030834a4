/*
 * symbols-empty.c: the empty symbol table of the first link pass (see mk/image.mk).
 */
#include "monitor/symbols.h"

__attribute__((section(".symbols"))) const uint32_t symbol_count = 0;
__attribute__((section(".symbols"))) const struct symbol symbol_table[1] = {{0, 0}};
__attribute__((section(".symbols"))) const char symbol_names[] = "";
