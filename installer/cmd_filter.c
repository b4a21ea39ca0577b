/* SPDX-License-Identifier: MIT */
/* lspinst filter add|remove|list: the filters lspkit.dll loads, one subkey
 * each of HKLM\SOFTWARE\lspkit\Filters (include/lspkit/filter.h has the
 * layout). Only the 64-bit registry view: a filter is checked to be a DLL
 * for the machine of the native lspkit.dll, which reads that view; the
 * 32-bit lspkit.dll of 64-bit Windows reads WOW6432Node and could not
 * load it anyway. */
#include "lspinst.h"
#include "pe.h"
#include "../provider/capture/validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define FILTERS_KEY L"SOFTWARE\\lspkit\\Filters"
#define FILTERS_VIEW KEY_WOW64_64KEY
/* The registry's own limit for a key name. */
#define FILTER_NAME_MAX 255
/* A new filter goes this far after the last one, leaving room to put
 * others between them. */
#define POSITION_STEP 10
/* Below wcstoul's overflow (ULONG_MAX), so that a number too large for a
 * DWORD is refused rather than taken as the largest one. */
#define POSITION_MAX 0x7fffffffu
/* --include, --exclude and --set options in one command. */
#define MAX_OPTIONS 32

/* The values filter add writes from its own arguments, which --set may not
 * name, and which list shows in their own places. */
static const WCHAR *const reserved[] = { L"Path", L"Position", L"IncludeProcesses",
                                         L"ExcludeProcesses" };

/* A value an option sets, and the memory it owns. */
struct option_change {
    struct reg_change change;
    void *owned;
};

/* What filter add is asked to save. */
struct filter_spec {
    const WCHAR *name;
    const WCHAR *dll;                /* as given; NULL for the shipped filter */
    WCHAR path[MAX_PATH];            /* the DLL as saved: a full path */
    BOOL has_position;
    DWORD position;
    /* --include, --exclude and --set, in the order given (a later one wins) */
    struct option_change changes[MAX_OPTIONS];
    int n;
};

static BOOL is_reserved(const WCHAR *value_name)
{
    size_t i;

    for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (!_wcsicmp(value_name, reserved[i]))       /* as the registry compares */
            return TRUE;
    return FALSE;
}

/* A filter's name is its subkey and part of its shipped DLL's file name:
 * no '\' (a deeper key), nothing a file name or a log line would mangle. */
static BOOL valid_name(const WCHAR *name)
{
    size_t n = wcslen(name), i;

    if (!n || n > FILTER_NAME_MAX)
        return FALSE;
    for (i = 0; i < n; i++)
        if (!((name[i] >= L'a' && name[i] <= L'z') || (name[i] >= L'A' && name[i] <= L'Z') ||
              (name[i] >= L'0' && name[i] <= L'9') || name[i] == L'-' || name[i] == L'_'))
            return FALSE;
    return TRUE;
}

static int name_or_complain(const char *command, const WCHAR *name)
{
    if (valid_name(name))
        return 0;
    complain("%s: bad filter name '%s': 1 to %d letters, digits, '-' or '_'", command,
             u8(0, name), FILTER_NAME_MAX);
    return EXIT_USAGE;
}

/* --- reading the filters --- */

/* A value of `key` as the registry holds it, with two NUL characters
 * after it (so any string in it ends); NULL when absent or unreadable. */
static BYTE *read_value(HKEY key, const WCHAR *name, DWORD *type, DWORD *size)
{
    BYTE *data;

    if (RegQueryValueExW(key, name, NULL, type, NULL, size) ||
        !(data = calloc(1, *size + 2 * sizeof(WCHAR))))
        return NULL;
    if (!RegQueryValueExW(key, name, NULL, type, data, size))
        return data;
    free(data);
    return NULL;
}

/* Data as text: strings as they are, a REG_MULTI_SZ's items joined by
 * commas, a DWORD in decimal, anything else by its size. */
static void print_data(DWORD type, const BYTE *data, DWORD size)
{
    const WCHAR *item;
    DWORD number;

    if (type == REG_SZ || type == REG_EXPAND_SZ) {
        printf("%s", u8(0, (const WCHAR *)data));
    } else if (type == REG_MULTI_SZ) {
        for (item = (const WCHAR *)data; *item; item += wcslen(item) + 1)
            printf("%s%s", item == (const WCHAR *)data ? "" : ",", u8(0, item));
    } else if (type == REG_DWORD && size == sizeof(number)) {
        memcpy(&number, data, sizeof(number));
        printf("%lu", (unsigned long)number);
    } else {
        printf("(%lu bytes of registry type %lu)", (unsigned long)size, (unsigned long)type);
    }
}

/* Value `name` as text, or `absent` without it. */
static void print_value(HKEY key, const WCHAR *name, const char *absent)
{
    DWORD type, size;
    BYTE *data = read_value(key, name, &type, &size);

    if (data)
        print_data(type, data, size);
    else
        printf("%s", absent);
    free(data);
}

/* The filter's own settings, "  VALUE=DATA" each, in the registry's order. */
static void print_settings(HKEY key)
{
    DWORD longest = 0, i, len, type, size;
    WCHAR *name;
    BYTE *data;

    if (RegQueryInfoKeyW(key, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &longest, NULL, NULL,
                         NULL) ||
        !(name = malloc((longest + 1) * sizeof(WCHAR))))
        return;
    for (i = 0;; i++) {
        len = longest + 1;
        if (RegEnumValueW(key, i, name, &len, NULL, NULL, NULL, NULL))
            break;
        if (is_reserved(name) || !(data = read_value(key, name, &type, &size)))
            continue;
        printf("  %s=", u8(1, name));
        print_data(type, data, size);
        free(data);
    }
    free(name);
}

/* A warning when the filter's DLL is not there: lspkit.dll would leave
 * the filter out (and say so in lspkit.log). */
static void print_missing_dll(HKEY key)
{
    DWORD type, size, attributes;
    WCHAR *path = (WCHAR *)read_value(key, L"Path", &type, &size);
    WCHAR file[MAX_PATH];

    if (!path || (type != REG_SZ && type != REG_EXPAND_SZ)) {
        printf("  (warning: no Path)");
    } else if (!dll_file_of(path, CM_VIEW_NATIVE, file) ||
               (attributes = GetFileAttributesW(file)) == INVALID_FILE_ATTRIBUTES ||
               (attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        printf("  (warning: %s does not exist)", u8(0, path));
    }
    free(path);
}

/* Filter `name` of `filters`, on one line: position, name, DLL, the
 * processes it is loaded into, its own settings. */
static void show_filter(HKEY filters, const WCHAR *name)
{
    HKEY key;

    if (RegOpenKeyExW(filters, name, 0, KEY_QUERY_VALUE, &key)) {
        say("%s: cannot be read", u8(0, name));
        return;
    }
    print_value(key, L"Position", "-");
    printf("  %s  ", u8(0, name));
    print_value(key, L"Path", "(no Path)");
    printf("  include=");
    print_value(key, L"IncludeProcesses", "(all)");
    printf("  exclude=");
    print_value(key, L"ExcludeProcesses", "(none)");
    print_settings(key);
    print_missing_dll(key);
    RegCloseKey(key);
    putchar('\n');
}

/* A filter's name and where it runs. */
struct entry {
    WCHAR name[FILTER_NAME_MAX + 1];
    BOOL positioned;             /* FALSE: no Position (a subkey made by hand) */
    DWORD position;
};

struct filters {
    HKEY key;                    /* NULL when there is no Filters key */
    struct entry *entries;
    DWORD count;
};

static LSTATUS open_filters(REGSAM access, HKEY *key)
{
    return RegOpenKeyExW(HKEY_LOCAL_MACHINE, FILTERS_KEY, 0, access | FILTERS_VIEW, key);
}

/* Running order: Position, then name; a filter without one last. */
static int by_running_order(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;

    if (x->positioned != y->positioned)
        return x->positioned ? -1 : 1;
    if (x->position != y->position)
        return x->position < y->position ? -1 : 1;
    return _wcsicmp(x->name, y->name);
}

static void free_filters(struct filters *fs)
{
    if (fs->key)
        RegCloseKey(fs->key);
    free(fs->entries);
}

/* Every filter, in running order; an error status after complaining. */
static LSTATUS read_filters(struct filters *fs, const char *command)
{
    DWORD subkeys = 0, i, len, size;
    LSTATUS status;

    *fs = (struct filters){ 0 };
    status = open_filters(KEY_READ, &fs->key);
    if (status)
        fs->key = NULL;
    if (status == ERROR_FILE_NOT_FOUND)
        return 0;
    if (!status)
        status = RegQueryInfoKeyW(fs->key, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL,
                                  NULL, NULL, NULL);
    if (!status && subkeys && !(fs->entries = calloc(subkeys, sizeof(*fs->entries))))
        status = ERROR_OUTOFMEMORY;
    for (i = 0; !status && i < subkeys; i++) {
        struct entry *e = &fs->entries[i];

        len = FILTER_NAME_MAX + 1;
        status = RegEnumKeyExW(fs->key, i, e->name, &len, NULL, NULL, NULL, NULL);
        size = sizeof(e->position);
        e->positioned = !status && !RegGetValueW(fs->key, e->name, L"Position", RRF_RT_REG_DWORD,
                                                 NULL, &e->position, &size);
    }
    if (status) {
        complain("%s: cannot read HKLM\\%s: Win32 error %ld", command, u8(0, FILTERS_KEY),
                 (long)status);
        free_filters(fs);
        return status;
    }
    fs->count = subkeys;
    if (fs->count)
        qsort(fs->entries, fs->count, sizeof(*fs->entries), by_running_order);
    return 0;
}

/* --- filter add --- */

static int bad_value(const WCHAR *option, const WCHAR *value)
{
    complain("filter add: bad value '%s' for %s (see lspinst --help)", u8(0, value),
             u8(1, option));
    return EXIT_USAGE;
}

static int take_position(struct filter_spec *f, const WCHAR *value)
{
    if (!parse_number(value, POSITION_MAX, &f->position))
        return bad_value(L"--position", value);
    f->has_position = TRUE;
    return 0;
}

/* A list of image names, checked as the capture checks them
 * (validate.h): the provider selects processes for both alike. */
static int take_list(struct filter_spec *f, const WCHAR *option, const WCHAR *value_name,
                     const WCHAR *value)
{
    struct option_change *c = &f->changes[f->n];

    if (!parse_list(value, validate_image_name, &c->change.data, &c->change.size))
        return bad_value(option, value);
    c->change.name = value_name;
    c->change.type = REG_MULTI_SZ;
    c->owned = c->change.data;
    f->n++;
    return 0;
}

static int take_include(struct filter_spec *f, const WCHAR *value)
{
    return take_list(f, L"--include", L"IncludeProcesses", value);
}

static int take_exclude(struct filter_spec *f, const WCHAR *value)
{
    return take_list(f, L"--exclude", L"ExcludeProcesses", value);
}

/* VALUE=DATA, a REG_SZ setting of the filter's own; an empty DATA deletes
 * VALUE. The change owns one copy: the name, its NUL, then the data. */
static int take_set(struct filter_spec *f, const WCHAR *value)
{
    struct option_change *c = &f->changes[f->n];
    WCHAR *copy, *data;

    if (!wcschr(value, L'=') || value[0] == L'=') {
        complain("filter add: --set needs VALUE=DATA, not '%s'", u8(0, value));
        return EXIT_USAGE;
    }
    if (!(copy = _wcsdup(value))) {
        complain("filter add: out of memory");
        return EXIT_FAILED;
    }
    data = wcschr(copy, L'=');
    *data++ = 0;
    if (is_reserved(copy)) {
        complain("filter add: --set cannot set %s: filter add writes it from the DLL, "
                 "--position, --include and --exclude", u8(0, copy));
        free(copy);
        return EXIT_USAGE;
    }
    c->change = (struct reg_change){ copy, REG_SZ, *data ? (BYTE *)data : NULL,
                                     (DWORD)((wcslen(data) + 1) * sizeof(WCHAR)) };
    c->owned = copy;
    f->n++;
    return 0;
}

static const struct {
    const WCHAR *option;
    int (*take)(struct filter_spec *f, const WCHAR *value);
} options[] = {
    { L"--position", take_position },
    { L"--include", take_include },
    { L"--exclude", take_exclude },
    { L"--set", take_set },
};

/* NAME, then DLL: the arguments that are not options. */
static BOOL take_word(struct filter_spec *f, const WCHAR *arg)
{
    if (arg[0] == L'-' || f->dll)
        return FALSE;
    if (f->name)
        f->dll = arg;
    else
        f->name = arg;
    return TRUE;
}

static int parse_add(int argc, WCHAR **argv, struct filter_spec *f)
{
    const int n_options = sizeof(options) / sizeof(options[0]);
    struct args a;
    int ret = 0, o;

    args_init(&a, argc, argv);
    while (!ret && args_next(&a)) {
        for (o = 0; o < n_options; o++)
            if (args_value(&a, options[o].option))
                break;
        if (a.bad)
            ret = EXIT_USAGE;
        else if (o < n_options && f->n == (int)(sizeof(f->changes) / sizeof(f->changes[0]))) {
            complain("filter add: too many options");
            ret = EXIT_USAGE;
        } else if (o < n_options)
            ret = options[o].take(f, a.value);
        else if (!take_word(f, a.argv[a.i]))
            ret = args_unknown(&a, "filter add");
    }
    if (!ret && !f->name) {
        complain("usage: lspinst filter add NAME [DLL] [OPTIONS] (see lspinst --help)");
        ret = EXIT_USAGE;
    }
    return ret ? ret : name_or_complain("filter add", f->name);
}

/* The DLL to save: the one given, made absolute, or the shipped filter of
 * that name, lspkit_NAME.dll beside lspinst.exe. FALSE when too long. */
static BOOL full_dll_path(struct filter_spec *f)
{
    WCHAR *slash;
    DWORD n;

    if (f->dll) {
        n = GetFullPathNameW(f->dll, MAX_PATH, f->path, NULL);
        return n && n < MAX_PATH;
    }
    n = GetModuleFileNameW(NULL, f->path, MAX_PATH);
    if (!n || n >= MAX_PATH || !(slash = wcsrchr(f->path, L'\\')))
        return FALSE;
    return swprintf(slash + 1, MAX_PATH - (slash + 1 - f->path), L"lspkit_%ls.dll", f->name) > 0;
}

/* The DLL must be one the native lspkit.dll can load as a filter; it is
 * read as data, never loaded. */
static int check_dll(struct filter_spec *f)
{
    const char *problem = NULL;
    DWORD attributes;

    if (!full_dll_path(f)) {
        complain("filter add: the path of %s's DLL is too long; nothing was saved",
                 u8(0, f->name));
        return EXIT_FAILED;
    }
    attributes = GetFileAttributesW(f->path);
    if (attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY))
        problem = "does not exist";
    else
        problem = pe_filter_problem(f->path, machine_of(CM_VIEW_NATIVE));
    if (!problem)
        return 0;
    complain("filter add: %s %s; nothing was saved", u8(0, f->path), problem);
    if (!f->dll)
        complain("filter add: without a DLL argument, NAME is a filter shipped with lspkit "
                 "(bytecount, firewall, socks5), lspkit_NAME.dll beside lspinst.exe");
    return EXIT_FAILED;
}

/* Where a filter without --position goes: its own Position when it has
 * one, else POSITION_STEP after the last filter. FALSE after complaining
 * when there is no room after it. */
static BOOL choose_position(struct filter_spec *f, const struct filters *fs)
{
    DWORD last = 0, i;

    for (i = 0; i < fs->count; i++) {
        if (!fs->entries[i].positioned)
            continue;
        if (!_wcsicmp(fs->entries[i].name, f->name)) {
            f->position = fs->entries[i].position;
            return TRUE;
        }
        if (fs->entries[i].position > last)
            last = fs->entries[i].position;
    }
    if (last > POSITION_MAX - POSITION_STEP) {
        complain("filter add: the last filter's Position is %lu: give --position",
                 (unsigned long)last);
        return FALSE;
    }
    f->position = last + POSITION_STEP;
    return TRUE;
}

/* Creates or updates the subkey; a new one that could not be written
 * whole is deleted again, so that no half filter is left. */
static LSTATUS write_filter(const struct filter_spec *f)
{
    WCHAR subkey[sizeof(FILTERS_KEY) / sizeof(WCHAR) + FILTER_NAME_MAX + 1];
    DWORD disposition = 0;
    LSTATUS status;
    HKEY key;
    int i;

    swprintf(subkey, sizeof(subkey) / sizeof(subkey[0]), L"%ls\\%ls", FILTERS_KEY, f->name);
    status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, subkey, 0, NULL, 0,
                             KEY_SET_VALUE | KEY_QUERY_VALUE | FILTERS_VIEW, NULL, &key,
                             &disposition);
    if (status)
        return status;
    status = RegSetValueExW(key, L"Path", 0, REG_SZ, (const BYTE *)f->path,
                            (DWORD)((wcslen(f->path) + 1) * sizeof(WCHAR)));
    if (!status)
        status = RegSetValueExW(key, L"Position", 0, REG_DWORD, (const BYTE *)&f->position,
                                sizeof(f->position));
    for (i = 0; !status && i < f->n; i++)
        status = reg_change_apply(key, &f->changes[i].change);
    RegCloseKey(key);
    if (status && disposition == REG_CREATED_NEW_KEY)
        RegDeleteKeyExW(HKEY_LOCAL_MACHINE, subkey, FILTERS_VIEW, 0);
    return status;
}

static int save_filter(struct filter_spec *f)
{
    struct filters fs;
    LSTATUS status;
    HKEY filters;

    if (read_filters(&fs, "filter add"))
        return EXIT_FAILED;
    if (!f->has_position && !choose_position(f, &fs)) {
        free_filters(&fs);
        return EXIT_FAILED;
    }
    free_filters(&fs);
    if ((status = write_filter(f))) {
        complain("filter add: cannot write HKLM\\%s\\%s: Win32 error %ld", u8(0, FILTERS_KEY),
                 u8(1, f->name), (long)status);
        return EXIT_FAILED;
    }
    say("saved filter %s in HKLM\\%s:", u8(0, f->name), u8(1, FILTERS_KEY));
    if (!open_filters(KEY_READ, &filters)) {
        show_filter(filters, f->name);
        RegCloseKey(filters);
    }
    return EXIT_OK;
}

static int filter_add(int argc, WCHAR **argv)
{
    struct filter_spec f = { .n = 0 };
    int ret = parse_add(argc, argv, &f), i;

    /* Its checks are for the 32-bit lspkit.dll, which does not read the
     * filters the 64-bit one does. */
    if (!ret && under_wow64()) {
        complain("filter add: this is the 32-bit lspinst on 64-bit Windows: use the 64-bit "
                 "lspinst.exe, whose lspkit.dll loads the filters");
        ret = EXIT_FAILED;
    }
    if (!ret)
        ret = require_admin("filter add");
    if (!ret)
        ret = check_dll(&f);
    if (!ret)
        ret = save_filter(&f);
    for (i = 0; i < f.n; i++)
        free(f.changes[i].owned);
    return ret;
}

/* --- filter remove, filter list --- */

static int filter_remove(int argc, WCHAR **argv)
{
    LSTATUS status;
    HKEY filters;
    int ret;

    if (argc != 2 || argv[1][0] == L'-') {
        complain("usage: lspinst filter remove NAME");
        return EXIT_USAGE;
    }
    /* A name with a '\' would reach into another key. */
    if ((ret = name_or_complain("filter remove", argv[1])) ||
        (ret = require_admin("filter remove")))
        return ret;
    status = open_filters(DELETE | KEY_ENUMERATE_SUB_KEYS | KEY_QUERY_VALUE | KEY_SET_VALUE,
                          &filters);
    if (!status) {
        status = RegDeleteTreeW(filters, argv[1]);
        RegCloseKey(filters);
    }
    if (status == ERROR_FILE_NOT_FOUND) {
        complain("filter remove: there is no filter '%s' (see lspinst filter list)",
                 u8(0, argv[1]));
        return EXIT_FAILED;
    }
    if (status) {
        complain("filter remove: cannot delete HKLM\\%s\\%s: Win32 error %ld", u8(0, FILTERS_KEY),
                 u8(1, argv[1]), (long)status);
        return EXIT_FAILED;
    }
    say("removed filter %s", u8(0, argv[1]));
    return EXIT_OK;
}

static int filter_list(int argc, WCHAR **argv)
{
    struct filters fs;
    struct args a;
    DWORD i;

    args_init(&a, argc, argv);
    if (args_next(&a))
        return args_unknown(&a, "filter list");
    if (read_filters(&fs, "filter list"))
        return EXIT_FAILED;
    if (!fs.count)
        say("no filters (HKLM\\%s)", u8(0, FILTERS_KEY));
    for (i = 0; i < fs.count; i++)
        show_filter(fs.key, fs.entries[i].name);
    free_filters(&fs);
    return EXIT_OK;
}

static const struct {
    const WCHAR *name;
    int (*run)(int argc, WCHAR **argv);
} subcommands[] = {
    { L"add", filter_add },
    { L"remove", filter_remove },
    { L"list", filter_list },
};

int cmd_filter(struct lspinst *ctx, int argc, WCHAR **argv)
{
    size_t i;

    (void)ctx;
    for (i = 0; argc > 1 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (!wcscmp(argv[1], subcommands[i].name))
            return subcommands[i].run(argc - 1, argv + 1);
    complain("usage: lspinst filter add|remove|list (see lspinst --help)");
    return EXIT_USAGE;
}
