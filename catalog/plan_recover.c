/* SPDX-License-Identifier: MIT */
/* Entries that a damaged Num_Catalog_Entries hides, taken back (plan.h).
 *
 * Programs read a catalog only up to its count, so a count set too low
 * hides whole entries that are still in the store: base providers, an LSP's
 * layered entry, its chains. Deleting them (as writing the catalog as it
 * reads would) loses what a repair could give back. But keys past the count
 * are also what a write interrupted between setting the count and deleting
 * the surplus leaves: entries that were removed on purpose. So only what the
 * visible catalog needs comes back: a base entry for a protocol no visible
 * base serves, a layered entry that a present chain names, and a chain all
 * of whose links are then present. An LSP removed on purpose is named by
 * nothing visible, and stays removed. */
#include "plan.h"

#include <stdlib.h>

/* TRUE when a base entry of `cat` serves the protocol base entry `b` does. */
static BOOL protocol_served(const struct cm_catalog *cat, const struct cm_entry *b)
{
    DWORD i;

    for (i = 0; i < cat->count; i++) {
        const WSAPROTOCOL_INFOW *c = &cat->entries[i].info;

        if (cm_is_base(&cat->entries[i]) && c->iAddressFamily == b->info.iAddressFamily &&
            c->iSocketType == b->info.iSocketType && c->iProtocol == b->info.iProtocol)
            return TRUE;
    }
    return FALSE;
}

/* TRUE when some chain of `cat` names `id`. */
static BOOL named_by_chain(const struct cm_catalog *cat, DWORD id)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cm_is_chain(&cat->entries[i]) && cm_chain_names(&cat->entries[i], id))
            return TRUE;
    return FALSE;
}

/* TRUE when every link of chain `e` is an entry of `cat`. */
static BOOL links_present(const struct cm_catalog *cat, const struct cm_entry *e)
{
    int i;

    for (i = 0; i < e->info.ProtocolChain.ChainLen; i++)
        if (cm_find_id(cat, e->info.ProtocolChain.ChainEntries[i]) < 0)
            return FALSE;
    return TRUE;
}

/* Whether hidden entry `h` comes back into `desired` as it stands. */
static BOOL needed(const struct cm_catalog *desired, const struct cm_entry *h)
{
    if (cm_find_id(desired, h->info.dwCatalogEntryId) >= 0)
        return FALSE;   /* a copy of an entry that is there */
    if (cm_is_base(h))
        return !protocol_served(desired, h);
    if (cm_is_layered(h))
        return named_by_chain(desired, h->info.dwCatalogEntryId);
    return cm_is_chain(h) && links_present(desired, h);
}

/* Takes hidden entry `i` into `probe` (what is present so far) and marks it. */
static int take(struct cm_catalog *probe, const struct cm_catalog *hidden, DWORD i, BOOL *taken)
{
    taken[i] = TRUE;
    return cm_append(probe, &hidden->entries[i]);
}

/* Marks in `taken` the hidden entries that come back: bases first (the
 * chains that come back end on them), then passes until none is added,
 * since each layered entry that comes back can make more chains whole. */
static int choose(const struct cm_catalog *cur, const struct cm_catalog *hidden, BOOL *taken)
{
    struct cm_catalog probe;
    BOOL grew = TRUE;
    DWORD i;
    int ret;

    cm_init(&probe);
    ret = cm_copy(&probe, cur);

    for (i = 0; !ret && i < hidden->count; i++)
        if (cm_is_base(&hidden->entries[i]) && needed(&probe, &hidden->entries[i]))
            ret = take(&probe, hidden, i, taken);
    while (!ret && grew) {
        grew = FALSE;
        for (i = 0; !ret && i < hidden->count; i++)
            if (!taken[i] && !cm_is_base(&hidden->entries[i]) &&
                needed(&probe, &hidden->entries[i])) {
                ret = take(&probe, hidden, i, taken);
                grew = TRUE;
            }
    }
    cm_free(&probe);
    return ret;
}

int cm_plan_recover(const struct cm_catalog *cur, const struct cm_catalog *hidden,
                    struct cm_catalog *desired, DWORD *recovered)
{
    BOOL *taken = calloc(hidden->count + 1, sizeof(*taken));
    DWORD i, next = CM_NEW_ID_BASE;
    int ret = taken ? 0 : -1;

    *recovered = 0;
    if (!ret)
        ret = choose(cur, hidden, taken);
    if (!ret)
        ret = cm_copy(desired, cur);
    /* In key order, where they were: the catalog's own order comes back. */
    for (i = 0; !ret && i < hidden->count; i++)
        if (taken[i]) {
            ret = cm_append(desired, &hidden->entries[i]);
            ++*recovered;
        }
    free(taken);
    if (ret)
        return -1;
    /* Ids never come back once gone from what the API shows: each entry
     * is installed again under a placeholder, and its chains follow. */
    for (i = cur->count; i < desired->count; i++)
        cm_rename_id(desired, desired->entries[i].info.dwCatalogEntryId, next++);
    cm_fix_order(desired);
    return 0;
}
