/* SPDX-License-Identifier: MIT */
/* Registering a filter from a test program (filter_registry.h). */
#include <check.h>
#include "filter_registry.h"

/* The length in bytes of a REG_MULTI_SZ, its last empty string included. */
static DWORD multi_sz_bytes(const WCHAR *data)
{
    const WCHAR *p = data;

    while (*p)
        p += lstrlenW(p) + 1;
    return (DWORD)((p - data + 1) * sizeof(WCHAR));
}

void filter_register(const WCHAR *name, const WCHAR *dll, DWORD position,
                     const WCHAR *const *settings)
{
    WCHAR key_name[128] = L"SOFTWARE\\lspkit\\Filters\\", path[MAX_PATH], *slash;
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH);
    HKEY key;

    ck_assert(n > 0 && n < MAX_PATH && (slash = wcsrchr(path, L'\\')));
    ck_assert((size_t)(slash + 1 - path) + lstrlenW(dll) < MAX_PATH);
    lstrcpyW(slash + 1, dll);
    lstrcatW(key_name, name);
    ck_assert_int_eq(RegCreateKeyExW(HKEY_LOCAL_MACHINE, key_name, 0, NULL, 0,
                                     KEY_WRITE | KEY_WOW64_64KEY, NULL, &key, NULL), 0);
    ck_assert_int_eq(RegSetValueExW(key, L"Path", 0, REG_SZ, (BYTE *)path,
                                    (lstrlenW(path) + 1) * sizeof(WCHAR)), 0);
    ck_assert_int_eq(RegSetValueExW(key, L"Position", 0, REG_DWORD, (BYTE *)&position,
                                    sizeof(position)), 0);
    for (; settings && settings[0]; settings += 2)
        ck_assert_int_eq(RegSetValueExW(key, settings[0], 0, REG_MULTI_SZ, (BYTE *)settings[1],
                                        multi_sz_bytes(settings[1])), 0);
    RegCloseKey(key);
}
