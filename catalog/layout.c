/* SPDX-License-Identifier: MIT */
/* Comparing a catalog with a desired one up to ids (see plan.h). */
#include "plan.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Positions of the non-layered entries, whose order applications see. */
static DWORD visible_order(const struct cm_catalog *cat, DWORD *out)
{
    DWORD i, n = 0;

    for (i = 0; i < cat->count; i++)
        if (!cm_is_layered(&cat->entries[i]))
            out[n++] = i;
    return n;
}

/* Pairs every entry of `desired` with one of `cur`: visible entries by
 * position, layered entries by GUID. pair[i] is the index in `cur` of
 * desired entry i. */
static BOOL pair_entries(const struct cm_catalog *cur, const struct cm_catalog *desired,
                         DWORD *pair, DWORD *scratch_a, DWORD *scratch_b)
{
    DWORD na = visible_order(cur, scratch_a), nb = visible_order(desired, scratch_b), i;
    int at;

    if (na != nb)
        return FALSE;
    for (i = 0; i < nb; i++)
        pair[scratch_b[i]] = scratch_a[i];
    for (i = 0; i < desired->count; i++) {
        if (!cm_is_layered(&desired->entries[i]))
            continue;
        at = cm_find_layered(cur, &desired->entries[i].info.ProviderId);
        if (at < 0)
            return FALSE;
        pair[i] = (DWORD)at;
    }
    return TRUE;
}

/* The id in `cur` that desired id `id` stands for; 0 when none. */
static DWORD paired_id(const struct cm_catalog *cur, const struct cm_catalog *desired,
                       const DWORD *pair, DWORD id)
{
    int at = cm_find_id(desired, id);

    return at < 0 ? 0 : cur->entries[pair[at]].info.dwCatalogEntryId;
}

static BOOL same_entry(const struct cm_catalog *cur, const struct cm_catalog *desired,
                       const DWORD *pair, DWORD i)
{
    const struct cm_entry *want = &desired->entries[i], *have = &cur->entries[pair[i]];
    WSAPROTOCOL_INFOW a = have->info, b = want->info;
    int k;

    if (wcscmp(have->path, want->path) || have->categories != want->categories ||
        a.ProtocolChain.ChainLen != b.ProtocolChain.ChainLen ||
        b.ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN || b.ProtocolChain.ChainLen < 0)
        return FALSE;
    for (k = 0; cm_is_chain(want) && k < b.ProtocolChain.ChainLen; k++)
        if (a.ProtocolChain.ChainEntries[k] !=
            paired_id(cur, desired, pair, b.ProtocolChain.ChainEntries[k]))
            return FALSE;
    /* Left: everything but the ids, and but the GUID of a new entry. */
    memset(&a.ProtocolChain, 0, sizeof(a.ProtocolChain));
    memset(&b.ProtocolChain, 0, sizeof(b.ProtocolChain));
    a.dwCatalogEntryId = b.dwCatalogEntryId = 0;
    if (CM_IS_NEW_ID(want->info.dwCatalogEntryId))
        b.ProviderId = a.ProviderId;
    return !memcmp(&a, &b, sizeof(a));
}

BOOL cm_same_layout(const struct cm_catalog *cur, const struct cm_catalog *desired)
{
    DWORD *pair, n = cur->count, i;
    BOOL same;

    if (cur->count != desired->count)
        return FALSE;
    pair = malloc(3 * (n ? n : 1) * sizeof(*pair));
    if (!pair)
        return FALSE;
    same = pair_entries(cur, desired, pair, pair + n, pair + 2 * n);
    for (i = 0; same && i < n; i++)
        same = same_entry(cur, desired, pair, i);
    free(pair);
    return same;
}
