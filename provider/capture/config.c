/* SPDX-License-Identifier: MIT */
/* Reading and checking the capture configuration (config.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "storage.h"
#include "validate.h"
#include "log.h"
#include "../../common/text.h"

/* The bad values found by one config_read, for its one log line. */
struct problems {
    char text[768];
    size_t len;
};

static void problem(struct problems *p, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(struct problems *p, const char *format, ...)
{
    va_list args;
    int n;

    if (p->len && p->len < sizeof(p->text) - 2) {
        p->text[p->len++] = ';';
        p->text[p->len++] = ' ';
    }
    if (p->len >= sizeof(p->text) - 1)
        return;
    va_start(args, format);
    n = vsnprintf(p->text + p->len, sizeof(p->text) - p->len, format, args);
    va_end(args);
    if (n > 0)
        p->len += (size_t)n < sizeof(p->text) - p->len ? (size_t)n : sizeof(p->text) - p->len - 1;
}

/* Up to 60 characters of a value's text, in UTF-8, for a message. */
static const char *quote(const WCHAR *text, char *out, size_t size)
{
    return text_narrow(CP_UTF8, text, (int)wcsnlen(text, 60), out, size);
}

/* The machine's ProgramData (from the system, not the process's
 * environment: storage.h), or C:\ProgramData where it has none. */
static void default_directory(WCHAR *dir, size_t size)
{
    WCHAR base[MAX_PATH];

    if (!storage_program_data(base, MAX_PATH))
        lstrcpyW(base, L"C:\\ProgramData");
    _snwprintf(dir, size, L"%ls\\lspkit\\captures", base);
    dir[size - 1] = 0;
}

void config_defaults(struct capture_config *c)
{
    memset(c, 0, sizeof(*c));
    default_directory(c->directory, CAPTURE_DIRECTORY_MAX);
    c->snap_length = CONFIG_SNAP_DEFAULT;
    c->queue_bytes = CONFIG_QUEUE_BYTES_DEFAULT;
    c->queue_records = CONFIG_QUEUE_RECORDS_DEFAULT;
    c->all_ports = TRUE;
    c->limits.max_file = CONFIG_MAX_FILE_MIB_DEFAULT * MIB;
    c->limits.max_total = CONFIG_MAX_TOTAL_MIB_DEFAULT * MIB;
    c->limits.min_free = CONFIG_MIN_FREE_MIB_DEFAULT * MIB;
}

/* A value's type and data, allocated with two spare NULs so that string
 * data is always terminated. ERROR_FILE_NOT_FOUND when it is absent. */
static LONG read_value(HKEY key, const WCHAR *name, DWORD *type, BYTE **data, DWORD *size)
{
    LONG rc;

    *data = NULL;
    for (int tries = 0; tries < 4; tries++) {
        rc = RegQueryValueExW(key, name, NULL, type, NULL, size);
        if (rc != ERROR_SUCCESS)
            return rc;
        free(*data);
        *data = calloc(1, *size + 2 * sizeof(WCHAR));
        if (!*data)
            return ERROR_NOT_ENOUGH_MEMORY;
        rc = RegQueryValueExW(key, name, NULL, type, *data, size);
        if (rc != ERROR_MORE_DATA)    /* else it grew meanwhile: again */
            break;
    }
    if (rc != ERROR_SUCCESS) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

/* A REG_DWORD in [min, max]: TRUE with *out set; absent: FALSE quietly. */
static BOOL read_dword(HKEY key, const WCHAR *name, const char *label, DWORD min, DWORD max,
                       DWORD *out, struct problems *p)
{
    DWORD type, size;
    BYTE *data;
    LONG rc = read_value(key, name, &type, &data, &size);
    BOOL ok = FALSE;

    if (rc == ERROR_FILE_NOT_FOUND)
        return FALSE;
    if (rc != ERROR_SUCCESS)
        problem(p, "%s: unreadable (error %ld)", label, rc);
    else if (type != REG_DWORD || size != sizeof(DWORD))
        problem(p, "%s: not a REG_DWORD (type %lu, %lu bytes)", label, type, size);
    else if (*(DWORD *)data < min || *(DWORD *)data > max)
        problem(p, "%s: %lu is outside %lu..%lu", label, *(DWORD *)data, min, max);
    else {
        *out = *(DWORD *)data;
        ok = TRUE;
    }
    free(data);
    return ok;
}

/* Reads a string-list value (REG_MULTI_SZ, or a REG_SZ list) as one
 * string whose items are separated by commas. NULL when absent or
 * bad (then a problem is noted). The caller frees it. */
static WCHAR *read_list(HKEY key, const WCHAR *name, const char *label, struct problems *p)
{
    DWORD type, size, count;
    BYTE *data;
    LONG rc = read_value(key, name, &type, &data, &size);
    WCHAR *text;

    if (rc == ERROR_FILE_NOT_FOUND)
        return NULL;
    if (rc != ERROR_SUCCESS) {
        problem(p, "%s: unreadable (error %ld)", label, rc);
        return NULL;
    }
    if (type != REG_MULTI_SZ && type != REG_SZ) {
        problem(p, "%s: not a REG_MULTI_SZ or REG_SZ (type %lu)", label, type);
        free(data);
        return NULL;
    }
    text = (WCHAR *)data;
    count = size / sizeof(WCHAR);
    /* The NULs between REG_MULTI_SZ items become separators; the data
     * ends with at least one NUL of ours. */
    for (DWORD i = 0; i + 1 < count; i++)
        if (text[i] == 0 && text[i + 1] != 0)
            text[i] = L',';
    return text;
}

static BOOL is_space(WCHAR ch)
{
    return ch == L' ' || ch == L'\t';
}

/* Calls `item` for each non-empty item of a list separated by commas or
 * semicolons, and also by spaces when `spaces_separate`; each item is
 * trimmed of the spaces around it. */
static void for_each_item(WCHAR *list, BOOL spaces_separate,
                          void (*item)(WCHAR *text, void *arg), void *arg)
{
    WCHAR *p = list;

    while (*p) {
        WCHAR *start, *end, saved;

        while (*p == L',' || *p == L';' || is_space(*p))
            p++;
        start = p;
        while (*p && *p != L',' && *p != L';' && !(spaces_separate && is_space(*p)))
            p++;
        end = p;
        while (end > start && is_space(end[-1]))
            end--;
        if (end == start)
            continue;
        saved = *end;
        *end = 0;
        item(start, arg);
        *end = saved;
    }
}

struct port_parse {
    struct capture_config *c;
    struct problems *p;
    BOOL any;
};

static void port_item(WCHAR *text, void *arg)
{
    struct port_parse *pp = arg;
    DWORD first, last;
    char quoted[200];

    if (!validate_port_range(text, &first, &last)) {
        problem(pp->p, "Ports: \"%s\" is not a port or range, skipped",
                quote(text, quoted, sizeof(quoted)));
        return;
    }
    for (DWORD port = first; port <= last; port++)
        pp->c->ports[port >> 3] |= (BYTE)(1u << (port & 7));
    pp->any = TRUE;
}

static void read_ports(HKEY key, struct capture_config *c, struct problems *p)
{
    WCHAR *list = read_list(key, L"Ports", "Ports", p);
    struct port_parse pp = { c, p, FALSE };

    if (!list)
        return;
    memset(c->ports, 0, sizeof(c->ports));
    for_each_item(list, TRUE, port_item, &pp);
    free(list);
    /* Nothing usable: the filter's default, every port. */
    c->all_ports = !pp.any;
}

struct name_match {
    const WCHAR *image;
    const char *label;
    struct problems *p;
    BOOL found, any, bad;
};

static void name_item(WCHAR *text, void *arg)
{
    struct name_match *m = arg;
    char quoted[200];

    m->any = TRUE;
    if (!validate_image_name(text)) {
        problem(m->p, "%s: \"%s\" is not an image name (a path?)", m->label,
                quote(text, quoted, sizeof(quoted)));
        m->bad = TRUE;
        return;
    }
    if (CompareStringOrdinal(text, -1, m->image, -1, TRUE) == CSTR_EQUAL)
        m->found = TRUE;
}

/* For IncludeProcesses / ExcludeProcesses: whether `image` is listed
 * (case-insensitively). *present tells whether the value held any item,
 * *bad whether one was not an image name. Names are separated by the NULs
 * of a REG_MULTI_SZ, or by commas or semicolons; a name may contain
 * spaces. */
static BOOL image_listed(HKEY key, const WCHAR *name, const char *label, const WCHAR *image,
                         BOOL *present, BOOL *bad, struct problems *p)
{
    WCHAR *list = read_list(key, name, label, p);
    struct name_match m = { image, label, p, FALSE, FALSE, FALSE };

    if (list) {
        for_each_item(list, FALSE, name_item, &m);
        free(list);
    }
    *present = m.any;
    *bad = m.bad;
    return m.found;
}

static void read_directory(HKEY key, struct capture_config *c, struct problems *p)
{
    DWORD type, size;
    BYTE *data;
    LONG rc = read_value(key, L"Directory", &type, &data, &size);
    WCHAR checked[CAPTURE_DIRECTORY_MAX];
    const char *why;
    char quoted[200];

    if (rc == ERROR_FILE_NOT_FOUND)
        return;
    if (rc != ERROR_SUCCESS) {
        problem(p, "Directory: unreadable (error %ld)", rc);
        return;
    }
    if (type != REG_SZ && type != REG_EXPAND_SZ) {
        problem(p, "Directory: not a REG_SZ or REG_EXPAND_SZ (type %lu)", type);
        goto out;
    }
    why = validate_directory((WCHAR *)data, type == REG_EXPAND_SZ, checked);
    if (why) {
        problem(p, "Directory: \"%s\" %s", quote((WCHAR *)data, quoted, sizeof(quoted)), why);
        goto out;
    }
    lstrcpyW(c->directory, checked);
out:
    free(data);
}

/* Readers: the group given read access to the captures; one that names
 * nobody is left out, so that only administrators can read them. */
static void read_readers(HKEY key, struct capture_config *c, struct problems *p)
{
    DWORD type, size;
    BYTE *data;
    LONG rc = read_value(key, L"Readers", &type, &data, &size);
    PSECURITY_DESCRIPTOR sd;
    char quoted[200];

    if (rc == ERROR_FILE_NOT_FOUND)
        return;
    if (rc != ERROR_SUCCESS || type != REG_SZ) {
        problem(p, "Readers: unreadable or not a REG_SZ");
        if (rc == ERROR_SUCCESS)
            free(data);
        return;
    }
    sd = wcslen((WCHAR *)data) < CONFIG_READERS_MAX
             ? storage_security(STORAGE_CAPTURE_FILE, (WCHAR *)data) : NULL;
    if (sd)
        lstrcpynW(c->readers, (WCHAR *)data, CONFIG_READERS_MAX);
    else
        problem(p, "Readers: \"%s\" names no account or group",
                quote((WCHAR *)data, quoted, sizeof(quoted)));
    LocalFree(sd);
    free(data);
}

/* The bounds on disk, in MiB in the registry. */
static void read_limits(HKEY key, struct capture_config *c, struct problems *p)
{
    DWORD mib;

    if (read_dword(key, L"MaxFileMiB", "MaxFileMiB", 1, CONFIG_MIB_MAX, &mib, p))
        c->limits.max_file = mib * MIB;
    if (read_dword(key, L"MaxTotalMiB", "MaxTotalMiB", 1, CONFIG_MIB_MAX, &mib, p))
        c->limits.max_total = mib * MIB;
    if (read_dword(key, L"MinFreeMiB", "MinFreeMiB", 0, CONFIG_MIB_MAX, &mib, p))
        c->limits.min_free = mib * MIB;
}

/* Whether the Include/Exclude lists select this process. */
static BOOL process_selected(HKEY key, const WCHAR *image, struct problems *p)
{
    BOOL include_present, exclude_present, include_bad, exclude_bad;
    BOOL included = image_listed(key, L"IncludeProcesses", "IncludeProcesses", image,
                                 &include_present, &include_bad, p);
    BOOL excluded = image_listed(key, L"ExcludeProcesses", "ExcludeProcesses", image,
                                 &exclude_present, &exclude_bad, p);

    /* A list that cannot mean what it says selects nothing: capturing every
     * process (an Include list left empty) is not what was asked. */
    if (include_bad || exclude_bad) {
        problem(p, "off in this process until the process lists are fixed");
        return FALSE;
    }
    return (!include_present || included) && !excluded;
}

BOOL config_scope_selects(HKEY key, const WCHAR *image, char *why, size_t why_size)
{
    struct problems p = { .len = 0 };
    BOOL selected = process_selected(key, image, &p);

    lstrcpynA(why, p.len ? p.text : "", (int)why_size);
    return selected;
}

void config_read(HKEY key, const WCHAR *image, struct capture_config *c)
{
    struct problems p = { .len = 0 };
    DWORD enabled = 0;

    config_defaults(c);
    if (!key)
        return;
    read_dword(key, L"Enabled", "Enabled", 0, 1, &enabled, &p);
    if (enabled) {
        read_directory(key, c, &p);
        read_readers(key, c, &p);
        read_dword(key, L"SnapLength", "SnapLength", 0, CONFIG_SNAP_MAX, &c->snap_length, &p);
        read_dword(key, L"QueueBytes", "QueueBytes", CONFIG_QUEUE_BYTES_MIN,
                   CONFIG_QUEUE_BYTES_MAX, &c->queue_bytes, &p);
        read_dword(key, L"QueueRecords", "QueueRecords", CONFIG_QUEUE_RECORDS_MIN,
                   CONFIG_QUEUE_RECORDS_MAX, &c->queue_records, &p);
        read_ports(key, c, &p);
        read_limits(key, c, &p);
        c->enabled = process_selected(key, image, &p);
    }
    if (p.len)
        log_line("capture: configuration: %s (defaults used instead)", p.text);
}
