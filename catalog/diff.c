/* SPDX-License-Identifier: MIT */
/* From the current catalog to a desired one, in WSC* operations (see diff.h). */
#include "diff.h"
#include "guid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void cm_plan_init(struct cm_plan *plan)
{
    memset(plan, 0, sizeof(*plan));
    cm_init(&plan->desired);
}

void cm_plan_free(struct cm_plan *plan)
{
    cm_free(&plan->desired);
    free(plan->ops);
    free(plan->members);
    cm_plan_init(plan);
}

static BOOL same_guid(const struct cm_entry *e, const GUID *g)
{
    return IsEqualGUID(&e->info.ProviderId, g);
}

/* TRUE when entry `i` is the first of its GUID in `cat`: walking those
 * visits every group once, in catalog order. */
static BOOL first_of_group(const struct cm_catalog *cat, DWORD i)
{
    DWORD j;

    for (j = 0; j < i; j++)
        if (same_guid(&cat->entries[j], &cat->entries[i].info.ProviderId))
            return FALSE;
    return TRUE;
}

static BOOL is_new(const struct cm_entry *e)
{
    return CM_IS_NEW_ID(e->info.dwCatalogEntryId);
}

static DWORD next_placeholder(const struct cm_catalog *work)
{
    DWORD i, next = CM_NEW_ID_BASE;

    for (i = 0; i < work->count; i++)
        if (is_new(&work->entries[i]) && work->entries[i].info.dwCatalogEntryId >= next)
            next = work->entries[i].info.dwCatalogEntryId + 1;
    return next;
}

/* Makes entry `i` one to install: a placeholder id, followed by its chains. */
static void make_new(struct cm_catalog *work, DWORD i)
{
    if (!is_new(&work->entries[i]))
        cm_rename_id(work, work->entries[i].info.dwCatalogEntryId, next_placeholder(work));
}

static BOOL kept_in(const struct cm_catalog *cur, const struct cm_entry *e)
{
    int at = cm_find_id(cur, e->info.dwCatalogEntryId);

    return at >= 0 && same_guid(&cur->entries[at], &e->info.ProviderId);
}

static DWORD count_guid(const struct cm_catalog *cat, const GUID *g)
{
    DWORD i, n = 0;

    for (i = 0; i < cat->count; i++)
        n += same_guid(&cat->entries[i], g);
    return n;
}

static BOOL listed(const GUID *list, DWORD n, const GUID *g)
{
    DWORD i;

    for (i = 0; i < n; i++)
        if (IsEqualGUID(&list[i], g))
            return TRUE;
    return FALSE;
}

/* A group is kept only when it is exactly the current one: the same ids,
 * none new, and not listed in `force`. Otherwise all of it is installed
 * again. */
static void mark_reinstalls(const struct cm_catalog *cur, struct cm_catalog *work,
                            const GUID *force, DWORD nforce)
{
    DWORD i, j, kept, members;
    const GUID *g;

    for (i = 0; i < work->count; i++) {
        if (!first_of_group(work, i))
            continue;
        g = &work->entries[i].info.ProviderId;
        kept = members = 0;
        for (j = 0; j < work->count; j++)
            if (same_guid(&work->entries[j], g)) {
                members++;
                kept += !is_new(&work->entries[j]);
            }
        if (kept == members && kept == count_guid(cur, g) && !listed(force, nforce, g))
            continue;
        for (j = 0; j < work->count; j++)
            if (same_guid(&work->entries[j], g))
                make_new(work, j);
    }
}

/* TRUE when chain `e` names a placeholder that entry of group `g` holds. */
static BOOL names_own_group(const struct cm_catalog *work, const struct cm_entry *e, const GUID *g)
{
    int k, at;

    for (k = 0; cm_is_chain(e) && k < e->info.ProtocolChain.ChainLen; k++) {
        at = cm_find_id(work, e->info.ProtocolChain.ChainEntries[k]);
        if (at >= 0 && is_new(&work->entries[at]) && same_guid(&work->entries[at], g))
            return TRUE;
    }
    return FALSE;
}

static void split_self_references(struct cm_catalog *work)
{
    static const char tag[] = "lspkit chains of";
    DWORD i, j;
    GUID g, chains;

    for (i = 0; i < work->count; i++) {
        if (!is_new(&work->entries[i]) || !first_of_group(work, i))
            continue;
        g = work->entries[i].info.ProviderId;
        chains = cm_derive_guid(&g, tag, sizeof(tag));
        for (j = 0; j < work->count; j++)
            if (same_guid(&work->entries[j], &g) && names_own_group(work, &work->entries[j], &g))
                work->entries[j].info.ProviderId = chains;
    }
}

static void normalize(const struct cm_catalog *cur, struct cm_catalog *work, const GUID *force,
                      DWORD nforce)
{
    DWORD i;

    for (i = 0; i < work->count; i++)
        if (!is_new(&work->entries[i]) && !kept_in(cur, &work->entries[i]))
            make_new(work, i);
    mark_reinstalls(cur, work, force, nforce);
    split_self_references(work);
    mark_reinstalls(cur, work, force, nforce);
}

static int add_op(struct cm_plan *plan, enum cm_op_kind kind, const GUID *g)
{
    struct cm_op *op;

    if (plan->nops == plan->ops_capacity) {
        DWORD capacity = plan->ops_capacity ? plan->ops_capacity * 2 : 16;
        struct cm_op *grown = realloc(plan->ops, capacity * sizeof(*grown));

        if (!grown)
            return -1;
        plan->ops = grown;
        plan->ops_capacity = capacity;
    }
    op = &plan->ops[plan->nops++];
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    if (g)
        op->provider = *g;
    op->first = plan->nmembers;
    return 0;
}

/* Adds an operation on group `g` of the desired catalog, listing its entries. */
static int add_group_op(struct cm_plan *plan, enum cm_op_kind kind, const GUID *g)
{
    const struct cm_catalog *work = &plan->desired;
    struct cm_op *op;
    DWORD i;

    if (add_op(plan, kind, g))
        return -1;
    op = &plan->ops[plan->nops - 1];
    for (i = 0; i < work->count; i++) {
        if (!same_guid(&work->entries[i], g))
            continue;
        if (plan->nmembers == plan->members_capacity) {
            DWORD capacity = plan->members_capacity ? plan->members_capacity * 2 : 32;
            DWORD *grown = realloc(plan->members, capacity * sizeof(*grown));

            if (!grown)
                return -1;
            plan->members = grown;
            plan->members_capacity = capacity;
        }
        plan->members[plan->nmembers++] = i;
        op->count++;
    }
    return 0;
}

static BOOL group_is_new(const struct cm_catalog *work, DWORD first)
{
    return is_new(&work->entries[first]);
}

/* TRUE when a kept group differs from what `cur` holds for it. */
static BOOL group_differs(const struct cm_catalog *cur, const struct cm_catalog *work, const GUID *g)
{
    DWORD i;

    for (i = 0; i < work->count; i++) {
        const struct cm_entry *want = &work->entries[i], *have;

        if (!same_guid(want, g))
            continue;
        have = &cur->entries[cm_find_id(cur, want->info.dwCatalogEntryId)];
        if (wcscmp(have->path, want->path) || memcmp(&have->info, &want->info, sizeof(want->info)))
            return TRUE;
    }
    return FALSE;
}

/* TRUE when the group names an entry not installed yet. `scheduled` lists
 * the groups whose installation is already planned (NULL: none). */
static BOOL group_waits(const struct cm_catalog *work, const GUID *g, const GUID *scheduled,
                        DWORD nscheduled)
{
    DWORD i, s;
    int k, at;

    for (i = 0; i < work->count; i++) {
        const struct cm_entry *e = &work->entries[i];

        for (k = 0; same_guid(e, g) && cm_is_chain(e) && k < e->info.ProtocolChain.ChainLen; k++) {
            at = cm_find_id(work, e->info.ProtocolChain.ChainEntries[k]);
            if (at < 0 || !is_new(&work->entries[at]))
                continue;
            for (s = 0; s < nscheduled && !same_guid(&work->entries[at], &scheduled[s]); s++)
                ;
            if (s == nscheduled)
                return TRUE;
        }
    }
    return FALSE;
}

static BOOL group_has_chain(const struct cm_catalog *cat, const GUID *g)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (same_guid(&cat->entries[i], g) && cm_is_chain(&cat->entries[i]))
            return TRUE;
    return FALSE;
}

static int plan_updates(struct cm_plan *plan, const struct cm_catalog *cur, BOOL late)
{
    const struct cm_catalog *work = &plan->desired;
    const GUID *g;
    DWORD i;

    for (i = 0; i < work->count; i++) {
        g = &work->entries[i].info.ProviderId;
        if (!first_of_group(work, i) || group_is_new(work, i) || !group_differs(cur, work, g) ||
            group_waits(work, g, NULL, 0) != late)
            continue;
        if (add_group_op(plan, CM_OP_UPDATE, g))
            return -1;
    }
    return 0;
}

/* Current providers none of whose entries stay; chains' providers first. */
static int plan_deinstalls(struct cm_plan *plan, const struct cm_catalog *cur)
{
    const GUID *g;
    DWORD i, j;
    int pass;

    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < cur->count; i++) {
            g = &cur->entries[i].info.ProviderId;
            if (!first_of_group(cur, i) || group_has_chain(cur, g) != !pass)
                continue;
            for (j = 0; j < plan->desired.count; j++)
                if (same_guid(&plan->desired.entries[j], g) && !is_new(&plan->desired.entries[j]))
                    break;
            if (j == plan->desired.count && add_op(plan, CM_OP_DEINSTALL, g))
                return -1;
        }
    return 0;
}

static int plan_installs(struct cm_plan *plan, struct cm_error *err)
{
    const struct cm_catalog *work = &plan->desired;
    GUID *scheduled;
    DWORD nscheduled = 0, ngroups = 0, i;
    BOOL progress = TRUE;
    int ret = 0;

    for (i = 0; i < work->count; i++)
        ngroups += first_of_group(work, i) && group_is_new(work, i);
    scheduled = malloc((ngroups ? ngroups : 1) * sizeof(*scheduled));
    if (!scheduled)
        return -1;
    while (nscheduled < ngroups && progress && !ret) {
        progress = FALSE;
        for (i = 0; i < work->count && !ret; i++) {
            const GUID *g = &work->entries[i].info.ProviderId;
            DWORD s;

            if (!first_of_group(work, i) || !group_is_new(work, i))
                continue;
            for (s = 0; s < nscheduled && !IsEqualGUID(&scheduled[s], g); s++)
                ;
            if (s < nscheduled || group_waits(work, g, scheduled, nscheduled))
                continue;
            scheduled[nscheduled++] = *g;
            progress = TRUE;
            ret = add_group_op(plan, CM_OP_INSTALL, g);
        }
    }
    if (!ret && nscheduled < ngroups) {
        snprintf(err->text, sizeof(err->text),
                 "the new entries name each other in a cycle; no installation order exists");
        ret = -1;
    }
    free(scheduled);
    return ret;
}

static int plan_categories(struct cm_plan *plan, const struct cm_catalog *cur)
{
    const struct cm_catalog *work = &plan->desired;
    DWORD i, j, want;
    BOOL differs;

    for (i = 0; i < work->count; i++) {
        if (!first_of_group(work, i))
            continue;
        want = work->entries[i].categories;
        differs = FALSE;
        for (j = 0; j < work->count; j++) {
            const struct cm_entry *e = &work->entries[j];
            int at = is_new(e) ? -1 : cm_find_id(cur, e->info.dwCatalogEntryId);

            if (same_guid(e, &work->entries[i].info.ProviderId))
                differs |= (at < 0 ? 0 : cur->entries[at].categories) != want;
        }
        if (differs) {
            if (add_op(plan, CM_OP_CATEGORIES, &work->entries[i].info.ProviderId))
                return -1;
            plan->ops[plan->nops - 1].categories = want;
        }
    }
    return 0;
}

static BOOL same_order(const struct cm_catalog *cur, const struct cm_catalog *work)
{
    DWORD i;

    if (cur->count != work->count)
        return FALSE;
    for (i = 0; i < cur->count; i++)
        if (cur->entries[i].info.dwCatalogEntryId != work->entries[i].info.dwCatalogEntryId)
            return FALSE;
    return TRUE;
}

/* One WSC call gives all entries of a provider one DLL path. */
static int check_paths(const struct cm_plan *plan, struct cm_error *err)
{
    char guid[39];
    DWORD i, k;

    for (i = 0; i < plan->nops; i++) {
        const struct cm_op *op = &plan->ops[i];

        for (k = 1; k < op->count; k++)
            if (wcscmp(cm_op_member(plan, op, k)->path, cm_op_member(plan, op, 0)->path)) {
                cm_guid_format(&op->provider, guid);
                snprintf(err->text, sizeof(err->text),
                         "the entries of provider %s have different DLL paths", guid);
                return -1;
            }
    }
    return 0;
}

int cm_diff(const struct cm_catalog *cur, const struct cm_catalog *desired, struct cm_plan *plan,
            struct cm_error *err)
{
    return cm_diff_forced(cur, desired, NULL, 0, plan, err);
}

int cm_diff_forced(const struct cm_catalog *cur, const struct cm_catalog *desired,
                   const GUID *force, DWORD nforce, struct cm_plan *plan, struct cm_error *err)
{
    struct cm_catalog *work = &plan->desired;

    snprintf(err->text, sizeof(err->text), "out of memory");
    if (cm_copy(work, desired))
        return -1;
    normalize(cur, work, force, nforce);
    if (plan_updates(plan, cur, FALSE) || plan_deinstalls(plan, cur) ||
        plan_installs(plan, err) || plan_updates(plan, cur, TRUE) || plan_categories(plan, cur))
        return -1;
    if ((plan->nops || !same_order(cur, work)) && add_op(plan, CM_OP_ORDER, NULL))
        return -1;
    return check_paths(plan, err);
}
