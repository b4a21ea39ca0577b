/* SPDX-License-Identifier: MIT */
/* lspinst config: the capture settings lspkit.dll reads, kept under
 * HKLM\SOFTWARE\lspkit:
 *   Enabled            REG_DWORD      1 to capture, 0 to pass traffic untouched
 *   Directory          REG_EXPAND_SZ  where capture files go
 *   SnapLength         REG_DWORD      bytes kept per packet, 0 for all
 *   IncludeProcesses   REG_MULTI_SZ   only these executables (none: all)
 *   ExcludeProcesses   REG_MULTI_SZ   never these executables
 *   Ports              REG_MULTI_SZ   only these ports or ranges "N-M" (none: all)
 *   Readers            REG_SZ         a group that may read the captures (none:
 *                                     administrators only)
 * On 64-bit Windows the values go to both registry views, since the 32-bit
 * provider in 32-bit processes reads the WOW6432Node one. */
#include "lspinst.h"
#include "../provider/capture/storage.h"
#include "../provider/capture/config.h"
#include "../provider/capture/validate.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>


struct setting {
    const WCHAR *option;         /* --OPTION VALUE */
    const WCHAR *value_name;
    DWORD type;
};

static const struct setting settings[] = {
    { L"--directory", L"Directory", REG_EXPAND_SZ },
    { L"--snaplen", L"SnapLength", REG_DWORD },
    { L"--include", L"IncludeProcesses", REG_MULTI_SZ },
    { L"--exclude", L"ExcludeProcesses", REG_MULTI_SZ },
    { L"--ports", L"Ports", REG_MULTI_SZ },
    { L"--readers", L"Readers", REG_SZ },
};

/* The provider's own checks (validate.h): what is saved is what it uses. */
static BOOL valid_port_item(const WCHAR *item)
{
    DWORD first, last;

    return validate_port_range(item, &first, &last);
}

/* Readers: a group the provider can give read access to, by the very
 * check it makes (storage_security); '' deletes the value. */
static BOOL make_readers(const WCHAR *value, struct reg_change *c)
{
    PSECURITY_DESCRIPTOR sd;

    c->data = NULL;
    if (!value[0])
        return TRUE;
    sd = wcslen(value) < 256 ? storage_security(STORAGE_CAPTURE_FILE, value) : NULL;
    if (!sd)
        return FALSE;
    LocalFree(sd);
    if (!(c->data = (BYTE *)_wcsdup(value)))
        return FALSE;
    c->size = (DWORD)((wcslen(value) + 1) * sizeof(WCHAR));
    return TRUE;
}

static BOOL make_change(const struct setting *s, const WCHAR *value, struct reg_change *c)
{
    DWORD number;

    c->name = s->value_name;
    c->type = s->type;
    if (s->type == REG_DWORD) {
        if (!parse_number(value, CONFIG_SNAP_MAX, &number) || !(c->data = malloc(sizeof(DWORD))))
            return FALSE;
        memcpy(c->data, &number, sizeof(number));
        c->size = sizeof(DWORD);
        return TRUE;
    }
    if (s->type == REG_EXPAND_SZ) {
        WCHAR checked[CAPTURE_DIRECTORY_MAX];

        if (wcslen(value) >= MAX_PATH || validate_directory(value, TRUE, checked) ||
            !(c->data = (BYTE *)_wcsdup(value)))
            return FALSE;
        c->size = (DWORD)((wcslen(value) + 1) * sizeof(WCHAR));
        return TRUE;
    }
    if (s->type == REG_SZ)
        return make_readers(value, c);
    return parse_list(value, s->value_name[0] == L'P' ? valid_port_item : validate_image_name,
                      &c->data, &c->size);
}

static LSTATUS apply_to_view(const struct reg_change *changes, int n, BOOL reset, REGSAM view)
{
    LSTATUS status;
    HKEY key;
    int i;

    status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, CONFIG_KEY, 0, NULL, 0,
                             KEY_SET_VALUE | KEY_QUERY_VALUE | view, NULL, &key, NULL);
    if (status)
        return status;
    for (i = 0; reset && i < (int)(sizeof(settings) / sizeof(settings[0])); i++)
        RegDeleteValueW(key, settings[i].value_name);
    if (reset)
        RegDeleteValueW(key, L"Enabled");
    for (i = 0; !status && i < n; i++)
        status = reg_change_apply(key, &changes[i]);
    RegCloseKey(key);
    return status;
}

static void show_value(HKEY key, const WCHAR *name, DWORD type)
{
    BYTE data[4096];
    DWORD size = sizeof(data) - 2 * sizeof(WCHAR), actual;
    const WCHAR *item;

    memset(data, 0, sizeof(data));
    if (RegQueryValueExW(key, name, NULL, &actual, data, &size) || actual != type) {
        say("%-17s (not set)", u8(0, name));
        return;
    }
    if (type == REG_DWORD) {
        DWORD value;

        memcpy(&value, data, sizeof(value));
        say("%-17s %lu", u8(0, name), (unsigned long)value);
        return;
    }
    if (type != REG_MULTI_SZ) {
        say("%-17s %s", u8(0, name), u8(1, (const WCHAR *)data));
        return;
    }
    for (item = (const WCHAR *)data; *item; item += wcslen(item) + 1)
        say("%-17s %s", u8(0, name), u8(1, item));
}

static int show(void)
{
    HKEY key;
    size_t i;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, CONFIG_KEY, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key)) {
        say("no lspkit settings yet (HKLM\\SOFTWARE\\lspkit); the provider uses its defaults");
        return EXIT_OK;
    }
    show_value(key, L"Enabled", REG_DWORD);
    for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        show_value(key, settings[i].value_name, settings[i].type);
    RegCloseKey(key);
    return EXIT_OK;
}

static int usage_error(const WCHAR *option, const WCHAR *value)
{
    complain("config: bad value '%s' for %s (see lspinst --help)", u8(0, value), u8(1, option));
    return EXIT_USAGE;
}

int cmd_config(struct lspinst *ctx, int argc, WCHAR **argv)
{
    static DWORD on = 1, off = 0;
    struct reg_change changes[32];
    struct args a;
    BOOL reset = FALSE;
    LSTATUS status;
    int n = 0, ret = 0, i;
    size_t s;

    (void)ctx;
    args_init(&a, argc, argv);
    while (!ret && args_next(&a)) {
        if (n == (int)(sizeof(changes) / sizeof(changes[0]))) {
            complain("config: too many options");
            ret = EXIT_USAGE;
            break;
        }
        if (args_flag(&a, L"--enable") || args_flag(&a, L"--disable")) {
            changes[n++] = (struct reg_change){ L"Enabled", REG_DWORD,
                                                (BYTE *)(args_flag(&a, L"--enable") ? &on : &off),
                                                sizeof(DWORD) };
            continue;
        }
        if (args_flag(&a, L"--reset")) {
            reset = TRUE;
            continue;
        }
        for (s = 0; s < sizeof(settings) / sizeof(settings[0]); s++)
            if (args_value(&a, settings[s].option))
                break;
        if (a.bad)
            ret = EXIT_USAGE;
        else if (s == sizeof(settings) / sizeof(settings[0]))
            ret = args_unknown(&a, "config");
        else if (!make_change(&settings[s], a.value, &changes[n]))
            ret = usage_error(settings[s].option, a.value);
        else
            n++;
    }
    if (!ret && !n && !reset)
        return show();
    if (!ret)
        ret = require_admin("config");
    /* Both views: on 32-bit Windows the flags are ignored and name one key. */
    status = ret ? 0 : apply_to_view(changes, n, reset, KEY_WOW64_64KEY);
    if (!ret && !status)
        status = apply_to_view(changes, n, reset, KEY_WOW64_32KEY);
    if (status) {
        complain("config: cannot write HKLM\\SOFTWARE\\lspkit: Win32 error %ld", (long)status);
        ret = EXIT_FAILED;
    }
    for (i = 0; i < n; i++)
        if (changes[i].data != (BYTE *)&on && changes[i].data != (BYTE *)&off)
            free(changes[i].data);
    if (!ret)
        say("lspkit settings saved to HKLM\\SOFTWARE\\lspkit");
    return ret;
}
