/*
 * console.c: an 80x25 text console written straight into the real VGA text buffer (0xB8000),
 * reached through a mapping slot of its own. No cursor handling and no colours beyond one
 * attribute: it exists so that messages are visible on a machine with a screen only.
 */
#include "monitor/console.h"
#include "arch/x86/paging.h"

#include <stdint.h>
#include <string.h>

#define COLS 80
#define ROWS 25
#define ATTR 0x1F00 /* white on blue: the monitor, not the guest */

static volatile uint16_t *screen;
static unsigned row, col;

void console_init(void)
{
    screen = tmp_map(TMP_SLOT_CONSOLE, 0xB8000);
    for (unsigned i = 0; i < COLS * ROWS; i++)
        screen[i] = ATTR | ' ';
    row = col = 0;
}

static void newline(void)
{
    col = 0;
    if (++row < ROWS)
        return;
    for (unsigned i = 0; i < COLS * (ROWS - 1); i++)
        screen[i] = screen[i + COLS];
    for (unsigned i = 0; i < COLS; i++)
        screen[COLS * (ROWS - 1) + i] = ATTR | ' ';
    row = ROWS - 1;
}

void console_write(const char *s)
{
    if (!screen)
        return;
    for (; *s; s++) {
        if (*s == '\n') {
            newline();
            continue;
        }
        screen[row * COLS + col] = ATTR | (uint8_t)*s;
        if (++col == COLS)
            newline();
    }
}
