/* SPDX-License-Identifier: MIT */
/* WSCSetApplicationCategory / WSCGetApplicationCategory: the LSP categories
 * an application permits, kept where Windows keeps them,
 *   HKLM\SYSTEM\CurrentControlSet\Services\WinSock2\Parameters\AppId_Catalog\XXXXXXXX
 * with AppFullPath (REG_SZ), AppArgs (REG_SZ, when Extra is given) and
 * PermittedLspCategories (REG_DWORD). Windows names the key by a hash it
 * does not document; here it is an FNV-1a hash of the identity, and lookups
 * compare the stored values, so the name only has to be unique. */
#include "wsc.h"

#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>

#define APPID_ROOT  L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\AppId_Catalog"
#define V_PATH      L"AppFullPath"
#define V_ARGS      L"AppArgs"
#define V_PERMITTED L"PermittedLspCategories"
#define MAX_PROBES  64   /* hash collisions tolerated before giving up */

/* An application instance: its image path and, optionally, its command
 * line arguments (the documented way to tell svchost instances apart). */
struct app_identity {
    const WCHAR *path;
    DWORD path_len;
    const WCHAR *args;
    DWORD args_len;
};

static int check_identity(const struct app_identity *app)
{
    if (!app->path || (!app->args && app->args_len))
        return WSAEFAULT;
    if (!app->path_len || wmemchr(app->path, 0, app->path_len) ||
        (app->args && wmemchr(app->args, 0, app->args_len)))
        return WSAEINVAL;
    return 0;
}

/* A REG_SZ value, NUL-terminated, in a buffer the caller frees; NULL when absent. */
static WCHAR *read_string(HKEY key, const WCHAR *name)
{
    DWORD type, size = 0;
    WCHAR *value;

    if (RegQueryValueExW(key, name, NULL, &type, NULL, &size) != ERROR_SUCCESS || type != REG_SZ)
        return NULL;
    /* Two spare characters: a value need not end with a NUL, and one of odd
     * size leaves half a character in the last. */
    value = calloc(size / sizeof(WCHAR) + 2, sizeof(WCHAR));
    if (value && RegQueryValueExW(key, name, NULL, &type, (BYTE *)value, &size) != ERROR_SUCCESS) {
        free(value);
        return NULL;
    }
    return value;
}

static BOOL same_text(const WCHAR *stored, const WCHAR *text, DWORD len, BOOL ignore_case)
{
    return CompareStringOrdinal(stored, -1, text, (int)len, ignore_case) == CSTR_EQUAL;
}

/* Paths compare as Windows file names do, without case; arguments exactly. */
static BOOL key_is_app(HKEY key, const struct app_identity *app)
{
    WCHAR *path = read_string(key, V_PATH), *args = read_string(key, V_ARGS);
    BOOL same = path && same_text(path, app->path, app->path_len, TRUE) &&
                same_text(args ? args : L"", app->args ? app->args : L"",
                          app->args ? app->args_len : 0, FALSE);

    free(path);
    free(args);
    return same;
}

/* Opens the key of an application; FALSE when it has none. */
static BOOL find_app(HKEY root, const struct app_identity *app, REGSAM access, HKEY *out)
{
    WCHAR name[64];
    DWORD i, len;
    HKEY key;

    for (i = 0;; i++) {
        len = sizeof(name) / sizeof(name[0]);
        switch (RegEnumKeyExW(root, i, name, &len, NULL, NULL, NULL, NULL)) {
        case ERROR_SUCCESS:
            break;
        case ERROR_MORE_DATA:
            continue;
        default:
            return FALSE;
        }
        if (RegOpenKeyExW(root, name, 0, access | KEY_WOW64_64KEY, &key) != ERROR_SUCCESS)
            continue;
        if (key_is_app(key, app)) {
            *out = key;
            return TRUE;
        }
        RegCloseKey(key);
    }
}

static DWORD identity_hash(const struct app_identity *app)
{
    DWORD hash = 2166136261u, i;

    for (i = 0; i < app->path_len; i++)
        hash = (hash ^ (DWORD)towupper(app->path[i])) * 16777619u;
    hash = (hash ^ 0xffffu) * 16777619u;   /* keeps "a"+"bc" apart from "ab"+"c" */
    for (i = 0; app->args && i < app->args_len; i++)
        hash = (hash ^ (DWORD)app->args[i]) * 16777619u;
    return hash;
}

static BOOL set_string(HKEY key, const WCHAR *name, const WCHAR *text, DWORD len)
{
    WCHAR *copy = calloc(len + 1, sizeof(WCHAR));
    BOOL ok;

    if (!copy)
        return FALSE;
    wmemcpy(copy, text, len);
    ok = RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)copy, (len + 1) * sizeof(WCHAR)) ==
         ERROR_SUCCESS;
    free(copy);
    return ok;
}

/* Creates the key of an application that has none, probing past names
 * that another application's hash already took. */
static int create_app(HKEY root, const struct app_identity *app, HKEY *out)
{
    DWORD hash = identity_hash(app), disposition, probe;
    WCHAR name[9];
    HKEY key;

    for (probe = 0; probe < MAX_PROBES; probe++, hash++) {
        swprintf(name, 9, L"%08lX", (unsigned long)hash);
        if (RegCreateKeyExW(root, name, 0, NULL, 0, KEY_READ | KEY_WRITE | KEY_WOW64_64KEY, NULL,
                            &key, &disposition) != ERROR_SUCCESS)
            return WSANO_RECOVERY;
        if (disposition == REG_CREATED_NEW_KEY) {
            if (set_string(key, V_PATH, app->path, app->path_len) &&
                (!app->args || set_string(key, V_ARGS, app->args, app->args_len))) {
                *out = key;
                return 0;
            }
            RegCloseKey(key);
            RegDeleteKeyExW(root, name, KEY_WOW64_64KEY, 0);
            return WSANO_RECOVERY;
        }
        RegCloseKey(key);
    }
    return WSANO_RECOVERY;
}

static DWORD permitted_of(HKEY key)
{
    DWORD type, value, size = sizeof(value);

    if (RegQueryValueExW(key, V_PERMITTED, NULL, &type, (BYTE *)&value, &size) != ERROR_SUCCESS ||
        type != REG_DWORD || size != sizeof(value))
        return 0;
    return value;
}

/* Called with the catalog lock held. Documented: categories set again for
 * the same application are ORed with those it had. */
static int set_locked(const struct app_identity *app, DWORD categories, DWORD *previous)
{
    DWORD old = 0, value;
    HKEY root, key;
    int error = 0;

    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, APPID_ROOT, 0, NULL, 0,
                        KEY_READ | KEY_WRITE | KEY_WOW64_64KEY, NULL, &root, NULL) != ERROR_SUCCESS)
        return WSANO_RECOVERY;
    if (find_app(root, app, KEY_READ | KEY_WRITE, &key))
        old = permitted_of(key);
    else
        error = create_app(root, app, &key);
    RegCloseKey(root);
    if (error)
        return error;
    value = old | categories;
    if (RegSetValueExW(key, V_PERMITTED, 0, REG_DWORD, (const BYTE *)&value, sizeof(value)) !=
        ERROR_SUCCESS)
        error = WSANO_RECOVERY;
    RegCloseKey(key);
    if (!error && previous)
        *previous = old;
    return error;
}

int WSPAPI WSCSetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra,
                                     DWORD ExtraLength, DWORD PermittedLspCategories,
                                     DWORD *pPrevPermLspCat, LPINT lpErrno)
{
    struct app_identity app = { Path, PathLength, Extra, ExtraLength };
    int error;

    if (!lpErrno)
        return wsc_no_errno();
    error = check_identity(&app);
    if (!error)
        error = catalog_lock();
    if (error)
        return wsc_fail(lpErrno, error);
    error = set_locked(&app, PermittedLspCategories, pPrevPermLspCat);
    catalog_unlock();
    return error ? wsc_fail(lpErrno, error) : 0;
}

int WSPAPI WSCGetApplicationCategory(LPCWSTR Path, DWORD PathLength, LPCWSTR Extra,
                                     DWORD ExtraLength, DWORD *pPermittedLspCategories,
                                     LPINT lpErrno)
{
    struct app_identity app = { Path, PathLength, Extra, ExtraLength };
    HKEY root, key;
    int error;

    if (!lpErrno)
        return wsc_no_errno();
    error = check_identity(&app);
    if (!error && !pPermittedLspCategories)
        error = WSAEFAULT;
    if (error)
        return wsc_fail(lpErrno, error);
    /* Documented: an application never categorised is WSASERVICE_NOT_FOUND. */
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, APPID_ROOT, 0, KEY_READ | KEY_WOW64_64KEY, &root) !=
        ERROR_SUCCESS)
        return wsc_fail(lpErrno, WSASERVICE_NOT_FOUND);
    if (find_app(root, &app, KEY_READ, &key)) {
        *pPermittedLspCategories = permitted_of(key);
        RegCloseKey(key);
    } else {
        error = WSASERVICE_NOT_FOUND;
    }
    RegCloseKey(root);
    return error ? wsc_fail(lpErrno, error) : 0;
}
