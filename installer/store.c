/* SPDX-License-Identifier: MIT */
/* The registry store read directly (see store.h): the layout is Windows'
 * own, and the front end's (spi/dcatalog.h). Only read: what to change is
 * done through the WSC* API. */
#include "store.h"
#include "../catalog/packed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 32-bit catalog is a second one only on 64-bit Windows. */
static const WCHAR *view_key(enum cm_view v)
{
#ifdef _WIN64
    return v == CM_VIEW_NATIVE ? L"Catalog_Entries64" : L"Catalog_Entries";
#else
    return v == CM_VIEW_NATIVE ? L"Catalog_Entries" : NULL;
#endif
}

static int failed(struct cm_error *err, const char *what, LSTATUS status)
{
    snprintf(err->text, sizeof(err->text), "cannot read the catalog store (%s): Win32 error %ld",
             what, (long)status);
    return -1;
}

static BOOL query_dword(HKEY key, const WCHAR *name, DWORD *value)
{
    DWORD type, size = sizeof(*value);

    return !RegQueryValueExW(key, name, NULL, &type, (BYTE *)value, &size) &&
           type == REG_DWORD && size == sizeof(*value);
}

/* One entry key: an entry when its PackedCatalogItem is one. */
static BOOL read_entry(HKEY view, const WCHAR *name, struct cm_entry *entry)
{
    struct {
        CHAR path[MAX_PATH];
        WSAPROTOCOL_INFOW info;
    } packed;
    DWORD type, size = sizeof(packed);
    LSTATUS status;
    HKEY key;

    if (RegOpenKeyExW(view, name, 0, KEY_QUERY_VALUE, &key))
        return FALSE;
    status = RegQueryValueExW(key, L"PackedCatalogItem", NULL, &type, (BYTE *)&packed, &size);
    if (status || type != REG_BINARY || size != CM_PACKED_SIZE ||
        !cm_packed_valid(packed.path, &packed.info) ||
        !MultiByteToWideChar(CP_ACP, 0, packed.path, -1, entry->path, MAX_PATH)) {
        RegCloseKey(key);
        return FALSE;
    }
    entry->info = packed.info;
    if (!query_dword(key, L"LspCategories", &entry->categories))
        entry->categories = 0;
    RegCloseKey(key);
    return TRUE;
}

/* Sorts one entry key into the view: an item up to the count (or an
 * unreadable one), a hidden entry past it. FALSE when out of memory. */
static BOOL sort_key(HKEY key, const WCHAR *name, BOOL past, struct cm_store_view *out)
{
    struct cm_entry entry;
    BOOL readable = read_entry(key, name, &entry);

    if (past) {
        out->past_count++;
        return !readable || !cm_append(&out->hidden, &entry);
    }
    if (!readable) {
        out->unreadable++;
        return TRUE;
    }
    out->items[out->count].id = entry.info.dwCatalogEntryId;
    memcpy(out->items[out->count++].path, entry.path, sizeof(entry.path));
    return TRUE;
}

static int read_view(HKEY root, enum cm_view v, struct cm_store_view *out, struct cm_error *err)
{
    DWORD subkeys, i, len, count = MAXDWORD;
    WCHAR name[64];
    ULONGLONG index;
    LSTATUS status;
    HKEY key;

    if (!view_key(v) || RegOpenKeyExW(root, view_key(v), 0, KEY_READ, &key))
        return 0;
    out->present = TRUE;
    query_dword(key, L"Num_Catalog_Entries", &count);
    status = RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL, NULL, NULL,
                              NULL);
    out->items = status ? NULL : malloc((subkeys ? subkeys : 1) * sizeof(*out->items));
    for (i = 0; !status && out->items; i++) {
        len = sizeof(name) / sizeof(name[0]);
        status = RegEnumKeyExW(key, i, name, &len, NULL, NULL, NULL, NULL);
        if (status == ERROR_MORE_DATA) {
            status = 0;   /* a long name is no entry key */
            continue;
        }
        if (status || out->count == subkeys)
            break;
        index = cm_entry_index(name);
        if (!index)
            continue;
        if (!sort_key(key, name, index > count, out)) {
            status = ERROR_NOT_ENOUGH_MEMORY;
            break;
        }
    }
    RegCloseKey(key);
    if (status && status != ERROR_NO_MORE_ITEMS)
        return failed(err, "entry keys", status);
    if (!out->items)
        return failed(err, "entry keys", ERROR_NOT_ENOUGH_MEMORY);
    return 0;
}

int read_store(struct cm_store *out, struct cm_error *err)
{
    LSTATUS status;
    HKEY root;
    int v;

    cm_store_free(out);
    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, STORE_KEY, 0, KEY_READ | KEY_WOW64_64KEY, &root);
    if (status == ERROR_FILE_NOT_FOUND)
        return 0;
    if (status)
        return failed(err, "Protocol_Catalog9", status);
    out->has_next_id = query_dword(root, L"Next_Catalog_Entry_ID", &out->next_id);
    for (v = 0; v < CM_VIEWS; v++)
        if (read_view(root, (enum cm_view)v, &out->view[v], err)) {
            RegCloseKey(root);
            return -1;
        }
    RegCloseKey(root);
    return 0;
}
