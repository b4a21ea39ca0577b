/* SPDX-License-Identifier: MIT */
/* Checks of the registry store beside the API's picture (see store.h). */
#include "store.h"
#include "../common/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void cm_store_free(struct cm_store *store)
{
    int v;

    for (v = 0; v < CM_VIEWS; v++) {
        free(store->view[v].items);
        cm_free(&store->view[v].hidden);
    }
    memset(store, 0, sizeof(*store));
}

/* Programs skip such keys, and nothing the API shows names them. */
static void check_unreadable(struct cm_reporter *c, enum cm_view v,
                             const struct cm_store_view *sv)
{
    if (sv->unreadable)
        cm_report(c, CM_PROBLEM_UNREADABLE, v, 0, FALSE,
            "%lu entry key(s) cannot be read (PackedCatalogItem garbage or truncated): "
            "programs skip them",
            (unsigned long)sv->unreadable);
    if (sv->past_count)
        cm_report(c, CM_PROBLEM_UNREADABLE, v, 0, FALSE,
            "%lu entry key(s) lie past Num_Catalog_Entries: programs skip them",
            (unsigned long)sv->past_count);
}

/* The DLL a chain's layered entry is loaded from, as the API shows it: a
 * chain must name the same one, since the provider finds its own place in
 * the chain by the entries whose DLL it is. NULL for other entries. */
static const WCHAR *layered_path(const struct cm_catalog *cat, const struct cm_entry *e)
{
    int head;

    if (!cm_is_chain(e))
        return NULL;
    head = cm_find_id(cat, e->info.ProtocolChain.ChainEntries[0]);
    return head >= 0 && cm_is_layered(&cat->entries[head]) ? cat->entries[head].path : NULL;
}

/* Each entry is loaded from its own path, which may differ from the one
 * WSCGetProviderPath shows for its provider; the API's path was checked
 * already (cm_check), so only a differing one is looked at here. */
static void check_own_paths(struct cm_reporter *c, const struct cm_catalog *cat,
                            enum cm_view v, const struct cm_store_view *sv, const GUID *ours,
                            cm_dll_problem_fn dll_problem, void *ctx)
{
    char name[WSAPROTOCOL_LEN * 3 + 1], path[MAX_PATH * 3];
    const WCHAR *layered;
    const char *why;
    DWORD i;
    int at;

    for (i = 0; i < sv->count; i++) {
        const struct cm_store_item *item = &sv->items[i];

        at = cm_find_id(cat, item->id);
        if (at < 0 || !_wcsicmp(cat->entries[at].path, item->path))
            continue;
        layered = layered_path(cat, &cat->entries[at]);
        why = dll_problem(item->path, v, cm_loads_ours(cat, &cat->entries[at], ours), ctx);
        if (!why && layered && _wcsicmp(layered, item->path))
            why = "is not the DLL of its layered entry, so the provider cannot find itself in "
                  "the chain";
        if (!why)
            continue;
        cm_name_utf8(&cat->entries[at], name, sizeof(name));
        text_utf8(item->path, path, sizeof(path));
        cm_report(c, CM_PROBLEM_BAD_DLL, v, item->id, cm_is_ours(cat, &cat->entries[at], ours),
            "'%s' (id %lu) is loaded from its own path %s, which %s", name,
            (unsigned long)item->id, path, why);
    }
}

/* The front end hands out Next_Catalog_Entry_ID, never MAXDWORD; one at
 * or below an id in use is corrected when handed out, but says the store
 * was tampered with. */
static void check_next_id(struct cm_reporter *c, const struct cm_store *store)
{
    DWORD highest = 0, i;
    int v;

    for (v = 0; v < CM_VIEWS; v++)
        for (i = 0; i < store->view[v].count; i++)
            if (store->view[v].items[i].id > highest)
                highest = store->view[v].items[i].id;
    if (!store->has_next_id)
        cm_report(c, CM_PROBLEM_NEXT_ID, CM_VIEW_NATIVE, 0, FALSE,
            "Next_Catalog_Entry_ID is missing or not a REG_DWORD");
    else if (store->next_id == MAXDWORD)
        cm_report(c, CM_PROBLEM_NEXT_ID, CM_VIEW_NATIVE, 0, FALSE,
            "Next_Catalog_Entry_ID is 0x%lx: no entry can be installed any more",
            (unsigned long)store->next_id);
    else if (store->next_id <= highest)
        cm_report(c, CM_PROBLEM_NEXT_ID, CM_VIEW_NATIVE, 0, FALSE,
            "Next_Catalog_Entry_ID is %lu, not above every catalog id (the highest is %lu)",
            (unsigned long)store->next_id, (unsigned long)highest);
}

int cm_check_store(const struct cm_views *views, const struct cm_store *store, const GUID *ours,
                   cm_dll_problem_fn dll_problem, void *ctx, struct cm_problems *out)
{
    struct cm_reporter c = { out, views->present[CM_VIEW_32], 0 };
    int v;

    for (v = 0; v < CM_VIEWS; v++) {
        if (!views->present[v] || !store->view[v].present)
            continue;
        check_unreadable(&c, (enum cm_view)v, &store->view[v]);
        if (dll_problem)
            check_own_paths(&c, &views->cat[v], (enum cm_view)v, &store->view[v], ours,
                            dll_problem, ctx);
    }
    check_next_id(&c, store);
    return c.failed ? -1 : 0;
}
