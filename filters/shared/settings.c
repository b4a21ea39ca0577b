/* SPDX-License-Identifier: MIT */
/* settings.c: see settings.h. */
#include "settings.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* A REG_SZ or REG_MULTI_SZ value as it is stored, with two NULs after it
 * whatever it holds (the registry does not promise a terminator), and its
 * length in WCHARs. */
struct raw_value {
    WCHAR *text;
    DWORD type, count;
};

static enum setting_found read_raw(const struct settings *s, const WCHAR *name,
                                   struct raw_value *raw)
{
    DWORD size = 0;
    LONG error = RegQueryValueExW(s->key, name, NULL, &raw->type, NULL, &size);

    raw->text = NULL;
    if (error == ERROR_FILE_NOT_FOUND)
        return SETTING_ABSENT;
    if (error == ERROR_SUCCESS && raw->type != REG_SZ && raw->type != REG_MULTI_SZ) {
        s->host->log(s->filter, "setting %ls: not a REG_SZ or REG_MULTI_SZ value", name);
        return SETTING_BAD;
    }
    if (error == ERROR_SUCCESS) {
        raw->text = calloc(size / sizeof(WCHAR) + 2, sizeof(WCHAR));
        error = raw->text ? RegQueryValueExW(s->key, name, NULL, &raw->type, (BYTE *)raw->text, &size)
                          : ERROR_OUTOFMEMORY;
    }
    /* ERROR_MORE_DATA: it grew between the two reads; a setting being
     * written now is not one to run on. */
    if (error != ERROR_SUCCESS) {
        s->host->log(s->filter, "setting %ls: cannot be read (error %ld)", name, error);
        free(raw->text);
        raw->text = NULL;
        return SETTING_BAD;
    }
    raw->count = size / sizeof(WCHAR);
    return SETTING_READ;
}

static BOOL is_blank(WCHAR c)
{
    return c == L' ' || c == L'\t';
}

/* Appends text[0..count) trimmed, in UTF-8, and its NUL, unless it is blank. */
static void append_item(const WCHAR *text, int count, char *out, int *used, int out_len)
{
    while (count > 0 && is_blank(*text))
        text++, count--;
    while (count > 0 && is_blank(text[count - 1]))
        count--;
    if (count == 0)
        return;
    *used += WideCharToMultiByte(CP_UTF8, 0, text, count, out + *used, out_len - *used, NULL, NULL);
    out[(*used)++] = '\0';
}

enum setting_found settings_list(const struct settings *s, const WCHAR *name, char **items)
{
    struct raw_value raw;
    enum setting_found found = read_raw(s, name, &raw);
    int out_len, used = 0;
    WCHAR separator = raw.type == REG_SZ ? L';' : L'\0';
    const WCHAR *item = raw.text;

    *items = NULL;
    if (found != SETTING_READ)
        return found;
    /* A WCHAR is at most 3 bytes of UTF-8 (a pair of them 4), and each
     * item's end becomes one NUL: the items fit, with the final NUL. */
    out_len = (int)raw.count * 3 + 2;
    *items = malloc(out_len);
    if (!*items) {
        s->host->log(s->filter, "setting %ls: out of memory", name);
        free(raw.text);
        return SETTING_BAD;
    }
    for (;;) {
        const WCHAR *end = item;
        while (*end && *end != separator)
            end++;
        append_item(item, (int)(end - item), *items, &used, out_len);
        /* A REG_SZ ends at its NUL, a REG_MULTI_SZ at its first empty string. */
        if (raw.type == REG_SZ ? !*end : end == item)
            break;
        item = end + 1;
    }
    (*items)[used] = '\0';
    free(raw.text);
    return SETTING_READ;
}

enum setting_found settings_text(const struct settings *s, const WCHAR *name, char **text)
{
    struct raw_value raw;
    enum setting_found found = read_raw(s, name, &raw);
    const WCHAR *problem = NULL;
    int len;

    *text = NULL;
    if (found != SETTING_READ)
        return found;
    if (!raw.text[0])
        problem = L"is empty";
    else if (raw.type == REG_MULTI_SZ && raw.text[wcslen(raw.text) + 1])
        problem = L"holds more than one string";
    len = problem ? 0 : WideCharToMultiByte(CP_UTF8, 0, raw.text, -1, NULL, 0, NULL, NULL);
    if (len > 0 && (*text = malloc(len)))
        WideCharToMultiByte(CP_UTF8, 0, raw.text, -1, *text, len, NULL, NULL);
    else if (!problem)
        problem = L"cannot be converted to UTF-8";
    free(raw.text);
    if (problem) {
        s->host->log(s->filter, "setting %ls: %ls", name, problem);
        return SETTING_BAD;
    }
    return SETTING_READ;
}

const char *settings_next(const char *item)
{
    return item + strlen(item) + 1;
}

int settings_count(const char *items)
{
    int count = 0;

    for (const char *item = items; *item; item = settings_next(item))
        count++;
    return count;
}
