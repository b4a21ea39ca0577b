/* SPDX-License-Identifier: MIT */
/* settings.h: a filter's settings, the values of the subkey its open
 * function gets (include/lspkit/filter.h), in UTF-8. The reader logs each
 * problem it meets through the host's log, under the filter's name; the
 * filter only decides that it will not open. */
#ifndef LSPKIT_FILTERS_SETTINGS_H
#define LSPKIT_FILTERS_SETTINGS_H

#include <lspkit/filter.h>

struct settings {
    HKEY key;
    const struct lspkit_host *host;
    const char *filter;           /* the name the log lines carry */
};

enum setting_found { SETTING_ABSENT, SETTING_READ, SETTING_BAD };

/* The value NAME as a list: a REG_MULTI_SZ's strings, or a REG_SZ cut at
 * each ';'; each item trimmed of spaces and tabs, blank ones left out.
 * `*items` holds each item and its NUL, then an empty string (walk it with
 * settings_next); it is the caller's to free, NULL unless SETTING_READ. */
enum setting_found settings_list(const struct settings *s, const WCHAR *name, char **items);

/* The value NAME as one string, exactly as written (a password may hold
 * ';' or spaces): a REG_SZ, or a REG_MULTI_SZ of one string. An empty
 * value is SETTING_BAD. `*text` is the caller's to free. */
enum setting_found settings_text(const struct settings *s, const WCHAR *name, char **text);

/* The item after `item` in a list; "" after the last. */
const char *settings_next(const char *item);

/* How many items a list holds. */
int settings_count(const char *items);

#endif
