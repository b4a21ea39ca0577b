/* SPDX-License-Identifier: MIT */
/* WSCWriteProviderOrder and WSCWriteProviderOrder32: put a catalog's
 * entries in a new order. Unlike the other WSC* calls these return the
 * error code itself. Documented failures, all WSAEINVAL with nothing
 * changed: a count that is not the number of entries, an unknown id, or an
 * id given twice. */
#include "wsc.h"

#include <sporder.h>
#include <stdlib.h>

/* Called with the catalog lock held. */
static int reorder_locked(enum catalog_view view, const DWORD *ids, DWORD n)
{
    struct catalog_entry *ordered = NULL;
    const struct catalog_entry *entry;
    struct catalog cat;
    BOOL *taken = NULL;
    DWORD i;
    int error;

    error = catalog_read(view, &cat);
    if (error)
        return error;
    if (n != cat.count)
        error = WSAEINVAL;
    if (!error) {
        ordered = malloc(n * sizeof(*ordered));
        taken = calloc(n, sizeof(*taken));
        if (!ordered || !taken)
            error = WSA_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; !error && i < n; i++) {
        entry = catalog_find_id(&cat, ids[i]);
        if (!entry || taken[entry - cat.entries]) {
            error = WSAEINVAL;
            break;
        }
        taken[entry - cat.entries] = TRUE;
        ordered[i] = *entry;
    }
    if (!error)
        error = catalog_write(view, ordered, n);
    free(taken);
    free(ordered);
    catalog_free(&cat);
    return error;
}

static int reorder(enum catalog_view view, const DWORD *ids, DWORD n)
{
    int error;

    if (!ids || !n)
        return WSAEINVAL;
    error = catalog_lock();
    if (error)
        return error;
    error = reorder_locked(view, ids, n);
    catalog_unlock();
    return error;
}

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return reorder(CATALOG_NATIVE, lpwdCatalogEntryId, dwNumberOfEntries);
}

int WSPAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries)
{
    return reorder(CATALOG_32, lpwdCatalogEntryId, dwNumberOfEntries);
}
