/* SPDX-License-Identifier: MIT */
/* What the registry store holds beside what the WSC* API shows.
 *
 * The API shows each readable entry once, with one DLL path per provider
 * GUID (WSCGetProviderPath). The store (Protocol_Catalog9, Windows' own
 * layout, spi/dcatalog.h) also holds entry keys that cannot be read, keys
 * past Num_Catalog_Entries, each entry's own DLL path, and the id counter.
 * installer/store.c reads these facts; cm_check_store checks them. */
#ifndef LSPKIT_CATALOG_STORE_H
#define LSPKIT_CATALOG_STORE_H

#include "check.h"

/* One readable entry key: its id and its own DLL path. */
struct cm_store_item {
    DWORD id;
    WCHAR path[MAX_PATH];
};

struct cm_store_view {
    BOOL present;                /* the catalog's key exists */
    DWORD unreadable;            /* keys up to the count that are no entry */
    DWORD past_count;            /* keys past Num_Catalog_Entries */
    struct cm_store_item *items; /* readable keys up to the count, in key order */
    DWORD count;
    struct cm_catalog hidden;    /* readable keys past the count, whole, in key order */
};

struct cm_store {
    BOOL has_next_id;            /* Next_Catalog_Entry_ID is a REG_DWORD */
    DWORD next_id;
    struct cm_store_view view[CM_VIEWS];
};

void cm_store_free(struct cm_store *store);

/* Checks `store` against `views` (the API's picture of the same moment):
 * unreadable keys, entries whose own DLL does not exist where the API
 * shows another path, and an id counter that is missing, exhausted or not
 * above every id. Appends to `out`; returns 0, or -1 when out of memory. */
int cm_check_store(const struct cm_views *views, const struct cm_store *store, const GUID *ours,
                   cm_dll_problem_fn dll_problem, void *ctx, struct cm_problems *out);

#endif
