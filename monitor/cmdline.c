/*
 * cmdline.c: splits the command line into words and applies each known option. Anything not
 * understood is an error that names the word: a typo must never be silently ignored on a
 * machine that is only reachable over a serial line.
 */
#include "monitor/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 128

struct choice {
    const char *name;
    int value;
};

static const struct choice log_channels[] = {
    {"com1", LOG_COM1}, {"com2", LOG_COM2}, {"e9", LOG_E9}, {NULL, 0}};
static const struct choice log_levels[] = {
    {"error", LOG_ERROR}, {"warn", LOG_WARN}, {"info", LOG_INFO}, {"debug", LOG_DEBUG}, {NULL, 0}};
static const struct choice selftests[] = {
    {"all", SELFTEST_ALL}, {"fault", SELFTEST_FAULT}, {NULL, 0}};

static const struct choice vmethods[] = {
    {"int3", VMETHOD_INT3}, {"r3", VMETHOD_R3}, {"nexus", VMETHOD_NEXUS}, {NULL, 0}};

const char *cmdline_vmethod_name(enum vmethod m)
{
    for (const struct choice *c = vmethods; c->name; c++)
        if (c->value == (int)m)
            return c->name;
    return "?";
}

static bool pick(const struct choice *c, const char *v, int *out)
{
    for (; c->name; c++) {
        if (strcmp(c->name, v) == 0) {
            *out = c->value;
            return true;
        }
    }
    return false;
}

/* "64M", "65536K", "1G" or a byte count. */
static bool parse_size(const char *v, uint32_t *out)
{
    char *end;
    if (*v < '0' || *v > '9')
        return false;
    unsigned long long n = strtoull(v, &end, 10);
    switch (*end) {
    case 'K':
    case 'k':
        n <<= 10;
        end++;
        break;
    case 'M':
    case 'm':
        n <<= 20;
        end++;
        break;
    case 'G':
    case 'g':
        n <<= 30;
        end++;
        break;
    default: break;
    }
    if (*end != '\0' || n > 0xFFFFFFFFull)
        return false;
    *out = (uint32_t)n;
    return true;
}

static const char *apply(const char *word, struct monitor_config *cfg, char *err, unsigned len)
{
    const char *eq = strchr(word, '=');
    const char *val = eq ? eq + 1 : NULL;
    size_t klen = eq ? (size_t)(eq - word) : strlen(word);
    int v;

    if (klen == 3 && strncmp(word, "log", 3) == 0 && val) {
        if (!pick(log_channels, val, &v))
            goto bad_value;
        cfg->log_channel = (enum log_channel)v;
    } else if (klen == 8 && strncmp(word, "loglevel", 8) == 0 && val) {
        if (!pick(log_levels, val, &v))
            goto bad_value;
        cfg->log_level = (enum log_level)v;
    } else if (klen == 8 && strncmp(word, "selftest", 8) == 0) {
        if (!val)
            v = SELFTEST_ALL;
        else if (!pick(selftests, val, &v))
            goto bad_value;
        cfg->selftest = (enum selftest_mode)v;
    } else if (klen == 3 && strncmp(word, "mem", 3) == 0 && val) {
        if (!parse_size(val, &cfg->guest_mem))
            goto bad_value;
        if (cfg->guest_mem < CONFIG_MIN_GUEST_MEM || cfg->guest_mem > CONFIG_MAX_GUEST_MEM ||
            (cfg->guest_mem & 0xFFF)) {
            sniprintf(err, len, "'%s': guest memory must be a multiple of 4K from 1M to 3072M",
                      word);
            return err;
        }
    } else if (klen == 5 && strncmp(word, "audit", 5) == 0 && !val) {
        cfg->audit = true;
    } else if (klen == 10 && strncmp(word, "nexus_move", 10) == 0 && val) {
        char *end;
        unsigned long long n = strtoull(val, &end, 10);
        if (*val < '0' || *val > '9' || *end != '\0' || n == 0 || n > 0xFFFFFFFFull)
            goto bad_value;
        cfg->nexus_move = (uint32_t)n;
    } else if (klen == 7 && strncmp(word, "vmethod", 7) == 0 && val) {
        if (!pick(vmethods, val, &v))
            goto bad_value;
        cfg->vmethod = (enum vmethod)v;
    } else {
        sniprintf(err, len,
                  "unknown option '%s' (known: log=com1|com2|e9, loglevel=error|warn|info|debug, "
                  "selftest[=all|fault], mem=SIZE, vmethod=int3|r3|nexus, audit, nexus_move=N)",
                  word);
        return err;
    }
    return NULL;

bad_value:
    sniprintf(err, len, "bad value in '%s'", word);
    return err;
}

const char *cmdline_parse(const char *line, struct monitor_config *cfg, char *err, unsigned err_len)
{
    bool first = true;
    while (*line) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (!*line)
            break;
        char word[WORD_MAX];
        size_t n = strcspn(line, " \t");
        if (n >= sizeof(word)) {
            sniprintf(err, err_len, "command-line word too long: '%.40s...'", line);
            return err;
        }
        memcpy(word, line, n);
        word[n] = '\0';
        line += n;
        if (first && strchr(word, '/')) {
            first = false;
            continue;
        }
        first = false;
        const char *e = apply(word, cfg, err, err_len);
        if (e)
            return e;
    }
    return NULL;
}
