/* SPDX-License-Identifier: MIT */
/* Loading the filters of HKLM\SOFTWARE\lspkit\Filters (filters.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filters.h"
#include "dial.h"
#include "capture/config.h"
#include "capture/log.h"
#include "../common/text.h"
#include "../common/image.h"

#define FILTERS_KEY CONFIG_KEY L"\\Filters"
/* A registry key name is at most 255 characters, and lspinst takes them. */
#define FILTER_NAME_MAX 256

/* A 32-bit process cannot load the 64-bit DLL that Path names. */
#ifdef _WIN64
#define PATH_VALUE L"Path"
#else
#define PATH_VALUE L"Path32"
#endif

const struct lspkit_filter *filters_table[FILTERS_MAX];
LONG filters_count;
LONG filters_calls;

/* Which of filters.h's FILTERS_* calls FILTER has. */
static LONG calls_of(const struct lspkit_filter *filter)
{
    return (filter->accepted ? FILTERS_HEAR_ACCEPTED : 0) |
           (filter->send ? FILTERS_JUDGE_SENDS : 0) |
           (filter->receive ? FILTERS_JUDGE_RECEIVES : 0);
}

struct candidate {
    WCHAR name[FILTER_NAME_MAX];
    DWORD position;
};

static void host_log(const char *filter_name, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void host_log(const char *filter_name, const char *format, ...)
{
    char text[512];
    va_list args;

    va_start(args, format);
    vsnprintf(text, sizeof(text), format, args);
    va_end(args);
    log_line("filter %s: %s", filter_name ? filter_name : "?", text);
}

static const struct lspkit_host host = { LSPKIT_FILTER_API_VERSION, host_log, dial,
                                         dial_hang_up };

static const char *narrow(const WCHAR *name, char *out, size_t size)
{
    return text_narrow(CP_UTF8, name, -1, out, size);
}

/* Opens filter `key` (named `name`) when it selects this process; NULL
 * when it does not, or when it cannot run (then the log says why). */
static const struct lspkit_filter *open_filter(HKEY key, const WCHAR *name, const WCHAR *image)
{
    WCHAR path[MAX_PATH];
    DWORD size = sizeof(path);
    char label[FILTER_NAME_MAX * 3], why[512];
    lspkit_filter_open_fn open;
    const struct lspkit_filter *filter;
    HMODULE module;
    LONG status;

    narrow(name, label, sizeof(label));
    if (!config_scope_selects(key, image, why, sizeof(why))) {
        if (why[0])
            log_line("filter %s: %s", label, why);
        return NULL;
    }
    /* RRF_RT_REG_SZ takes a REG_EXPAND_SZ too, expanded. */
    status = RegGetValueW(key, NULL, PATH_VALUE, RRF_RT_REG_SZ, NULL, path, &size);
    if (status) {
        log_line("filter %s: no %ls string naming its DLL (error %ld); left out", label,
                 PATH_VALUE, status);
        return NULL;
    }
    /* Its own directory first, for what the filter DLL itself imports. */
    module = LoadLibraryExW(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
    if (!module) {
        log_line("filter %s: cannot load %ls (error %lu); left out", label, path,
                 GetLastError());
        return NULL;
    }
    open = (lspkit_filter_open_fn)(void *)GetProcAddress(module, LSPKIT_FILTER_OPEN);
    filter = open ? open(&host, key) : NULL;
    if (filter && filter->api_version <= LSPKIT_FILTER_API_VERSION && filter->api_version > 0)
        return filter;
    if (!open)
        log_line("filter %s: %ls exports no %s; left out", label, path, LSPKIT_FILTER_OPEN);
    else if (filter)
        log_line("filter %s: built for filter API %lu, this lspkit.dll has %d; left out", label,
                 filter->api_version, LSPKIT_FILTER_API_VERSION);
    else
        log_line("filter %s: it would not open (see its lines above); left out", label);
    /* A filter that did not open has no calls under way: it may go. */
    FreeLibrary(module);
    return NULL;
}

static int by_position(const void *a, const void *b)
{
    const struct candidate *x = a, *y = b;

    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return CompareStringOrdinal(x->name, -1, y->name, -1, TRUE) - CSTR_EQUAL;
}

/* The subkeys of `filters`, in running order; their count. Those that
 * cannot be listed, or past FILTERS_MAX, are named in the log and left out. */
static DWORD list_candidates(HKEY filters, struct candidate *list)
{
    DWORD count = 0, position, size;
    WCHAR name[FILTER_NAME_MAX];
    char label[FILTER_NAME_MAX * 3];
    LONG status;

    for (DWORD i = 0;; i++) {
        DWORD name_len = FILTER_NAME_MAX;

        status = RegEnumKeyExW(filters, i, name, &name_len, NULL, NULL, NULL, NULL);
        if (status) {
            if (status != ERROR_NO_MORE_ITEMS)
                log_line("filters: subkey %lu cannot be read (error %ld); it and the subkeys "
                         "after it are left out", i, status);
            break;
        }
        if (count == FILTERS_MAX) {
            log_line("filter %s: more than %d filters; left out",
                     narrow(name, label, sizeof(label)), FILTERS_MAX);
            continue;
        }
        size = sizeof(position);
        /* Without a Position a filter runs after those that have one. */
        if (RegGetValueW(filters, name, L"Position", RRF_RT_REG_DWORD, NULL, &position, &size))
            position = MAXDWORD;
        lstrcpyW(list[count].name, name);
        list[count++].position = position;
    }
    qsort(list, count, sizeof(*list), by_position);
    return count;
}

static INIT_ONCE load_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK load(PINIT_ONCE once, void *arg, void **context)
{
    struct candidate list[FILTERS_MAX];
    WCHAR image[MAX_PATH];
    char label[FILTER_NAME_MAX * 3];
    HKEY filters, key;
    DWORD count;
    LONG loaded = 0, calls = 0, status;

    (void)once, (void)arg, (void)context;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, FILTERS_KEY, 0, KEY_READ | KEY_WOW64_64KEY, &filters))
        return TRUE;
    image_name(image, MAX_PATH);
    count = list_candidates(filters, list);
    for (DWORD i = 0; i < count; i++) {
        status = RegOpenKeyExW(filters, list[i].name, 0, KEY_READ | KEY_WOW64_64KEY, &key);
        if (status) {
            log_line("filter %s: its key cannot be opened (error %ld); left out",
                     narrow(list[i].name, label, sizeof(label)), status);
            continue;
        }
        if ((filters_table[loaded] = open_filter(key, list[i].name, image)))
            calls |= calls_of(filters_table[loaded++]);
        RegCloseKey(key);
    }
    RegCloseKey(filters);
    filters_calls = calls;
    InterlockedExchange(&filters_count, loaded);
    return TRUE;
}

void filters_load(void)
{
    InitOnceExecuteOnce(&load_once, load, NULL, NULL);
}
