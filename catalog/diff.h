/* SPDX-License-Identifier: MIT */
/* From the current catalog to a desired one, in WSC* operations.
 *
 * The WSC* API works on providers (GUIDs), not entries: WSCInstallProvider
 * appends all entries of a new provider and hands out their ids,
 * WSCUpdateProvider rewrites a provider's entries, WSCDeinstallProvider
 * removes all of them, WSCSetProviderInfo sets its categories and
 * WSCWriteProviderOrder reorders the whole catalog. A plan is a list of
 * such operations on "groups", the desired entries sharing a GUID.
 *
 * Operations come in an order that keeps every intermediate catalog
 * loadable as far as possible: updates that drop references first, then
 * removals (chains before the layered entries they name), installations
 * (each after the entries its chains name), the remaining updates,
 * categories and, last, the order, which is what makes new chains active. */
#ifndef LSPKIT_CATALOG_DIFF_H
#define LSPKIT_CATALOG_DIFF_H

#include "model.h"

enum cm_op_kind {
    CM_OP_UPDATE,                /* WSCUpdateProvider with the group's entries */
    CM_OP_DEINSTALL,             /* WSCDeinstallProvider(provider) */
    CM_OP_INSTALL,               /* WSCInstallProvider with the group's entries */
    CM_OP_CATEGORIES,            /* WSCSetProviderInfo(provider, LspCategories) */
    CM_OP_ORDER,                 /* WSCWriteProviderOrder with `desired`'s order */
};

struct cm_op {
    enum cm_op_kind kind;
    GUID provider;
    DWORD first, count;          /* the group: plan->members[first .. first+count) */
    DWORD categories;            /* CM_OP_CATEGORIES */
};

struct cm_plan {
    /* The desired catalog. The executor replaces placeholder ids by real
     * ones (cm_rename_id) as installations hand them out. */
    struct cm_catalog desired;
    struct cm_op *ops;
    DWORD nops, ops_capacity;
    DWORD *members;              /* indices into `desired` */
    DWORD nmembers, members_capacity;
};

void cm_plan_init(struct cm_plan *plan);
void cm_plan_free(struct cm_plan *plan);

/* Plans the way from `cur` to `desired`. Entries of `desired` are matched
 * to `cur` by id and GUID; a group whose entries cannot all be kept is
 * removed and installed again, and a new group whose chains name its own
 * layered entry is split (its chains get a GUID derived from the group's),
 * since one WSCInstallProvider call cannot know the ids it hands out.
 * Returns 0, or -1 with `err` set. */
int cm_diff(const struct cm_catalog *cur, const struct cm_catalog *desired, struct cm_plan *plan,
            struct cm_error *err);

/* cm_diff, with the providers listed in `force` installed again even when
 * they could be kept: the installer keeps a provider's ids the same in
 * both catalogs by installing it into both at once. */
int cm_diff_forced(const struct cm_catalog *cur, const struct cm_catalog *desired,
                   const GUID *force, DWORD nforce, struct cm_plan *plan, struct cm_error *err);

/* The group's entries of op `op`, as pointers into plan->desired. */
static inline struct cm_entry *cm_op_member(const struct cm_plan *plan, const struct cm_op *op,
                                            DWORD k)
{
    return &plan->desired.entries[plan->members[op->first + k]];
}

#endif
