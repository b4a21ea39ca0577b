/* SPDX-License-Identifier: MIT */
/* The catalog without an LSP, and a saved catalog to go back to (see plan.h). */
#include "plan.h"

#include <stdio.h>
#include <stdlib.h>

/* TRUE when `e` goes with provider `provider`: its GUID, or a chain headed
 * by one of its layered entries. */
static BOOL goes(const struct cm_catalog *cat, const struct cm_entry *e, const GUID *provider)
{
    DWORD i;

    if (IsEqualGUID(&e->info.ProviderId, provider))
        return TRUE;
    if (!cm_is_chain(e))
        return FALSE;
    for (i = 0; i < cat->count; i++)
        if (cm_is_layered(&cat->entries[i]) &&
            IsEqualGUID(&cat->entries[i].info.ProviderId, provider) &&
            e->info.ProtocolChain.ChainEntries[0] == cat->entries[i].info.dwCatalogEntryId)
            return TRUE;
    return FALSE;
}

int cm_plan_remove(const struct cm_catalog *cur, const GUID *provider, struct cm_catalog *desired)
{
    DWORD *gone, ngone = 0, i, j;

    gone = malloc((cur->count ? cur->count : 1) * sizeof(*gone));
    if (!gone || cm_copy(desired, cur)) {
        free(gone);
        return -1;
    }
    for (i = desired->count; i-- > 0;)
        if (goes(cur, &desired->entries[i], provider)) {
            gone[ngone++] = desired->entries[i].info.dwCatalogEntryId;
            cm_remove_at(desired, i);
        }
    /* Other LSPs' chains that call into the removed ones skip them. */
    for (i = desired->count; i-- > 0;) {
        struct cm_entry *e = &desired->entries[i];

        for (j = 0; cm_is_chain(e) && e->info.ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN &&
                    j < ngone; j++)
            if (e->info.ProtocolChain.ChainEntries[0] != gone[j] && cm_chain_names(e, gone[j]) &&
                !cm_chain_drop(e, gone[j])) {
                cm_remove_at(desired, i);
                break;
            }
    }
    free(gone);
    return 0;
}

/* TRUE when `cur` still holds saved entry `e`: same id, same provider. */
static BOOL still_there(const struct cm_catalog *cur, const struct cm_entry *e)
{
    int at = cm_find_id(cur, e->info.dwCatalogEntryId);

    return at >= 0 && IsEqualGUID(&cur->entries[at].info.ProviderId, &e->info.ProviderId);
}

int cm_plan_restore(const struct cm_catalog *cur, const struct cm_catalog *saved,
                    struct cm_catalog *desired, struct cm_error *err)
{
    DWORD i, next = CM_NEW_ID_BASE;

    for (i = 0; i < saved->count; i++)
        if (CM_IS_NEW_ID(saved->entries[i].info.dwCatalogEntryId) ||
            cm_find_id(saved, saved->entries[i].info.dwCatalogEntryId) != (int)i) {
            snprintf(err->text, sizeof(err->text),
                     "the saved catalog is unusable: entry %lu has an invalid or repeated id",
                     (unsigned long)i + 1);
            return -1;
        }
    if (cm_copy(desired, saved)) {
        snprintf(err->text, sizeof(err->text), "out of memory");
        return -1;
    }
    /* Ids never come back once deleted: entries that must be installed
     * again get placeholders, and the chains naming them follow. */
    for (i = 0; i < desired->count; i++)
        if (!still_there(cur, &saved->entries[i]))
            cm_rename_id(desired, saved->entries[i].info.dwCatalogEntryId, next++);
    return 0;
}
