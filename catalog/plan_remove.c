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

/* The current base entry that serves what saved base entry `b` served:
 * same provider, same protocol; one not `taken` already. -1 if none. */
static int matching_base(const struct cm_catalog *cur, const struct cm_entry *b, const BOOL *taken)
{
    DWORD i;

    for (i = 0; i < cur->count; i++) {
        const WSAPROTOCOL_INFOW *c = &cur->entries[i].info;

        if (!taken[i] && cm_is_base(&cur->entries[i]) &&
            IsEqualGUID(&c->ProviderId, &b->info.ProviderId) &&
            c->iAddressFamily == b->info.iAddressFamily &&
            c->iSocketType == b->info.iSocketType && c->iProtocol == b->info.iProtocol)
            return (int)i;
    }
    return -1;
}

/* Base providers are never deinstalled and installed again by a restore
 * (a backup from before a Winsock reset names other ids): each saved base
 * entry becomes the current one that serves the same protocol, the chains
 * follow it, and current base entries the backup lacks stay. */
static int keep_base_entries(const struct cm_catalog *cur, struct cm_catalog *desired,
                             struct cm_error *err)
{
    BOOL *taken = calloc(cur->count + 1, sizeof(*taken));
    DWORD i, from, to;
    int at, ret = 0;

    if (!taken) {
        snprintf(err->text, sizeof(err->text), "out of memory");
        return -1;
    }
    for (i = 0; !ret && i < desired->count; i++) {
        if (!cm_is_base(&desired->entries[i]))
            continue;
        at = matching_base(cur, &desired->entries[i], taken);
        from = desired->entries[i].info.dwCatalogEntryId;
        if (at < 0) {
            snprintf(err->text, sizeof(err->text),
                     "the backup's base entry \"%ls\" (id %lu) is not on this system, and a "
                     "restore never installs base providers", desired->entries[i].info.szProtocol,
                     (unsigned long)from);
            ret = -1;
            break;
        }
        taken[at] = TRUE;
        to = cur->entries[at].info.dwCatalogEntryId;
        if (from != to && cm_find_id(desired, to) >= 0) {
            snprintf(err->text, sizeof(err->text),
                     "the backup gives id %lu to another entry than this system's base entry "
                     "of that id", (unsigned long)to);
            ret = -1;
            break;
        }
        cm_rename_id(desired, from, to);
        desired->entries[i] = cur->entries[at];
    }
    for (i = 0; !ret && i < cur->count; i++)
        if (cm_is_base(&cur->entries[i]) && !taken[i] && cm_append(desired, &cur->entries[i])) {
            snprintf(err->text, sizeof(err->text), "out of memory");
            ret = -1;
        }
    free(taken);
    return ret;
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
    if (keep_base_entries(cur, desired, err))
        return -1;
    /* Ids never come back once deleted: entries that must be installed
     * again get placeholders, and the chains naming them follow. */
    for (i = 0; i < desired->count; i++)
        if (!cm_is_base(&desired->entries[i]) && !still_there(cur, &desired->entries[i]))
            cm_rename_id(desired, desired->entries[i].info.dwCatalogEntryId, next++);
    return 0;
}
