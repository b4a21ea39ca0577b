/* SPDX-License-Identifier: MIT */
/* WPUGetProviderPath: the DLL path of the provider with a given ProviderId,
 * as the catalog stores it (environment variables unexpanded). */
#include "upcall_parts.h"
#include "dcatalog.h"

/* The first entry of `cat` whose ProviderId is `id`; NULL when none. */
static const struct catalog_entry *find_provider(const struct catalog *cat, const GUID *id)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, id))
            return &cat->entries[i];
    return NULL;
}

/* Copies the entry's path into path[*length] (WCHARs). When it does not
 * fit, *length receives the size needed, terminator included. */
static int copy_path(const struct catalog_entry *entry, WCHAR *path, LPINT length)
{
    int needed = MultiByteToWideChar(CP_ACP, 0, entry->dll_path, -1, NULL, 0);

    if (!needed)
        return WSAEINVAL;
    if (*length < needed) {
        *length = needed;
        return WSAEFAULT;
    }
    MultiByteToWideChar(CP_ACP, 0, entry->dll_path, -1, path, needed);
    *length = needed;
    return 0;
}

static int WSPAPI get_provider_path(LPGUID provider_id, WCHAR *path, LPINT length, LPINT err)
{
    const struct catalog_entry *entry;
    struct catalog cat;
    int error;

    if (!provider_id || !path || !length) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    error = catalog_read(CATALOG_NATIVE, &cat);
    if (!error) {
        entry = find_provider(&cat, provider_id);
        error = entry ? copy_path(entry, path, length) : WSAEINVAL;
        catalog_free(&cat);
    }
    if (error) {
        *err = error;
        return SOCKET_ERROR;
    }
    return 0;
}

void upcall_fill_path(WSPUPCALLTABLE *table)
{
    table->lpWPUGetProviderPath = get_provider_path;
}
