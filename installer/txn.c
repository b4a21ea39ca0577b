/* SPDX-License-Identifier: MIT */
/* Commands as transactions (see txn.h). */
#include "txn.h"
#include "apply.h"
#include "read.h"
#include "../catalog/pack.h"
#include "../catalog/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int registry_failed(struct cm_error *err, const char *what, LSTATUS status)
{
    snprintf(err->text, sizeof(err->text),
             "cannot %s HKLM\\SOFTWARE\\lspkit\\Installer: Win32 error %ld", what, (long)status);
    return -1;
}

int txn_begin(const char *command, const struct cm_views *before, struct cm_error *err)
{
    unsigned char *data;
    size_t size;
    LSTATUS status;
    HKEY key;

    if (cm_pack(before, &data, &size)) {
        snprintf(err->text, sizeof(err->text), "out of memory");
        return -1;
    }
    status = RegCreateKeyExW(HKEY_LOCAL_MACHINE, INSTALLER_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL,
                             &key, NULL);
    if (status) {
        free(data);
        return registry_failed(err, "create", status);
    }
    /* Before first, then Command: a record exists only once it is whole. */
    status = RegSetValueExW(key, L"Before", 0, REG_BINARY, data, (DWORD)size);
    if (!status)
        status = RegSetValueExA(key, "Command", 0, REG_SZ, (const BYTE *)command,
                                (DWORD)strlen(command) + 1);
    if (!status)
        status = RegFlushKey(key);
    RegCloseKey(key);
    free(data);
    return status ? registry_failed(err, "write", status) : 0;
}

int txn_commit(struct cm_error *err)
{
    LSTATUS status;
    HKEY key;

    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, INSTALLER_KEY, 0, KEY_SET_VALUE, &key);
    if (status == ERROR_FILE_NOT_FOUND)
        return 0;
    if (status)
        return registry_failed(err, "open", status);
    status = RegDeleteValueW(key, L"Command");
    if (!status || status == ERROR_FILE_NOT_FOUND)
        status = RegDeleteValueW(key, L"Before");
    if (status == ERROR_FILE_NOT_FOUND)
        status = 0;
    RegCloseKey(key);
    if (!status)
        RegDeleteKeyW(HKEY_LOCAL_MACHINE, INSTALLER_KEY);   /* only goes when empty */
    return status ? registry_failed(err, "clear", status) : 0;
}

/* Value `name` of `key`, whatever its type, in a malloc'ed buffer with two
 * NULs past its `size` bytes (a REG_SZ need not end in one). */
static LSTATUS read_value(HKEY key, const WCHAR *name, DWORD *type, BYTE **data, DWORD *size)
{
    LSTATUS status = RegQueryValueExW(key, name, NULL, type, NULL, size);

    *data = NULL;
    if (status)
        return status;
    *data = malloc(*size + 2);
    if (!*data)
        return ERROR_NOT_ENOUGH_MEMORY;
    status = RegQueryValueExW(key, name, NULL, type, *data, size);
    if (!status)
        (*data)[*size] = (*data)[*size + 1] = 0;
    return status;
}

/* Copies value `name` of `from` to `to`, whatever its type (a damaged
 * record is set aside as it is); a missing one is no error. */
static LSTATUS copy_value(HKEY from, HKEY to, const WCHAR *name)
{
    DWORD type, size;
    BYTE *data;
    LSTATUS status = read_value(from, name, &type, &data, &size);

    if (!status)
        status = RegSetValueExW(to, name, 0, type, data, size);
    free(data);
    return status == ERROR_FILE_NOT_FOUND ? 0 : status;
}

int txn_set_aside(struct cm_error *err)
{
    LSTATUS status;
    HKEY key, aside;

    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, INSTALLER_KEY, 0, KEY_QUERY_VALUE, &key);
    if (status)
        return registry_failed(err, "open", status);
    status = RegCreateKeyExW(key, L"Abandoned", 0, NULL, 0, KEY_SET_VALUE, NULL, &aside, NULL);
    if (!status) {
        status = copy_value(key, aside, L"Before");
        if (!status)
            status = copy_value(key, aside, L"Command");
        RegCloseKey(aside);
    }
    RegCloseKey(key);
    if (status)
        return registry_failed(err, "set aside the record in", status);
    return txn_commit(err);
}

/* Value `name` of `key` as read_value reads it, if it has type `type`. */
static LSTATUS query(HKEY key, const WCHAR *name, DWORD type, BYTE **data, DWORD *size)
{
    DWORD actual;
    LSTATUS status = read_value(key, name, &actual, data, size);

    if (!status && actual != type)
        status = ERROR_INVALID_DATA;
    return status;
}

int txn_pending(char *command, size_t size, struct cm_views *before, struct cm_error *err)
{
    BYTE *name = NULL, *data = NULL;
    DWORD name_size = 0, data_size = 0;
    LSTATUS status;
    HKEY key;
    int ret = 1;

    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, INSTALLER_KEY, 0, KEY_QUERY_VALUE, &key);
    if (status == ERROR_FILE_NOT_FOUND)
        return 0;
    if (status)
        return registry_failed(err, "open", status);
    status = RegQueryValueExA(key, "Command", NULL, NULL, NULL, &name_size);
    if (status == ERROR_FILE_NOT_FOUND) {
        RegCloseKey(key);
        return 0;
    }
    /* RegQueryValueExW on an ANSI-written REG_SZ returns it in UTF-16:
     * read the name with the A call instead. */
    name = malloc(name_size + 1);
    if (!status && name) {
        status = RegQueryValueExA(key, "Command", NULL, NULL, name, &name_size);
        name[status ? 0 : name_size] = 0;
    }
    if (!status)
        status = query(key, L"Before", REG_BINARY, &data, &data_size);
    RegCloseKey(key);
    if (status || !name)
        ret = registry_failed(err, "read", status ? status : ERROR_NOT_ENOUGH_MEMORY);
    else if (cm_unpack(data, data_size, before, err))
        ret = -1;
    else
        snprintf(command, size, "%s", (char *)name);
    free(name);
    free(data);
    return ret;
}

int restore_views(const struct wsc_api *api, const struct cm_views *saved, struct cm_error *err)
{
    struct cm_views cur, desired;
    int v, ret = 0;

    cm_views_init(&cur);
    cm_views_init(&desired);
    if (read_views(api, &cur, err))
        ret = -1;
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        /* A catalog only one side knows is left as it is. */
        desired.present[v] = cur.present[v] && saved->present[v];
        if (desired.present[v])
            ret = cm_plan_restore(&cur.cat[v], &saved->cat[v], &desired.cat[v], err);
    }
    if (!ret && !views_same_layout(&cur, &desired))
        ret = apply_views(api, &desired, err);
    cm_views_free(&cur);
    cm_views_free(&desired);
    return ret;
}

int txn_rollback(const struct wsc_api *api, struct cm_error *err)
{
    struct cm_views before;
    char command[64];
    int found;

    wsc_faults_arm(FALSE);
    cm_views_init(&before);
    found = txn_pending(command, sizeof(command), &before, err);
    if (found > 0 && restore_views(api, &before, err))
        found = -1;
    cm_views_free(&before);
    if (found < 0)
        return -1;
    return txn_commit(err);
}
