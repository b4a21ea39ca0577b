/* SPDX-License-Identifier: MIT */
/* What `lspinst repair` aims for, and the order fix (see plan.h). */
#include "plan.h"
#include "check.h"

#include <string.h>

void cm_fix_order(struct cm_catalog *cat)
{
    DWORD guard, i, j;
    BOOL moved = TRUE;

    /* Each move puts a chain ahead of something it covers; the guard ends
     * a loop that a cycle of bad chains would otherwise keep going. */
    for (guard = 0; moved && guard <= cat->count * cat->count; guard++) {
        moved = FALSE;
        for (j = 0; j < cat->count && !moved; j++)
            for (i = 0; i < j && !moved; i++)
                if (cm_covers(&cat->entries[j], &cat->entries[i])) {
                    cm_move(cat, j, i);
                    moved = TRUE;
                }
    }
}

static BOOL malformed(const WSAPROTOCOLCHAIN *chain)
{
    int i, j;

    if (chain->ChainLen < 0 || chain->ChainLen > MAX_PROTOCOL_CHAIN)
        return TRUE;
    for (i = 0; i < chain->ChainLen; i++)
        for (j = i + 1; j < chain->ChainLen; j++)
            if (chain->ChainEntries[i] == chain->ChainEntries[j])
                return TRUE;
    return FALSE;
}

/* Mends chain `e` in place; FALSE when it cannot work and must go. */
static BOOL mend_chain(const struct cm_catalog *cat, struct cm_entry *e)
{
    WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    int head, bottom, i;

    if (malformed(chain))
        return FALSE;
    head = cm_find_id(cat, chain->ChainEntries[0]);
    if (head < 0 || !cm_is_layered(&cat->entries[head]))
        return FALSE;
    bottom = cm_find_id(cat, cm_chain_bottom(e));
    if (bottom < 0 || !cm_is_base(&cat->entries[bottom]))
        return FALSE;
    for (i = chain->ChainLen - 2; i >= 1; i--)
        if (cm_find_id(cat, chain->ChainEntries[i]) < 0 && !cm_chain_drop(e, chain->ChainEntries[i]))
            return FALSE;
    return TRUE;
}

/* One pass over a catalog; TRUE when it changed something. */
static BOOL mend_pass(struct cm_catalog *cat, enum cm_view v, cm_dll_problem_fn dll_problem,
                      void *ctx)
{
    DWORD i;

    for (i = cat->count; i-- > 0;) {
        struct cm_entry *e = &cat->entries[i];
        struct cm_entry before = *e;

        if (cm_is_base(e))
            continue;     /* a base provider is the system's, not ours to delete */
        /* lspkit's own entries with another DLL went as a damaged
         * installation already: here any provider DLL will do. */
        if ((dll_problem && dll_problem(e->path, v, FALSE, ctx)) ||
            (!cm_is_layered(e) && !mend_chain(cat, e))) {
            cm_remove_at(cat, i);
            return TRUE;
        }
        if (memcmp(&before, e, sizeof(before)))
            return TRUE;
    }
    return FALSE;
}

static void drop_unused_layered(struct cm_catalog *cat, const GUID *ours)
{
    int at = cm_find_layered(cat, ours);
    DWORD i, id;

    if (at < 0)
        return;
    id = cat->entries[at].info.dwCatalogEntryId;
    for (i = 0; i < cat->count; i++)
        if (cm_is_chain(&cat->entries[i]) && cm_chain_names(&cat->entries[i], id))
            return;
    cm_remove_at(cat, at);
}

static BOOL ours_damaged(const struct cm_views *cur, const GUID *ours,
                         cm_dll_problem_fn dll_problem, void *ctx, int *failed)
{
    struct cm_problems problems;
    BOOL damaged = FALSE;
    DWORD i;

    cm_problems_init(&problems);
    *failed = cm_check(cur, ours, dll_problem, ctx, &problems);
    for (i = 0; i < problems.count; i++)
        damaged |= problems.items[i].ours;
    cm_problems_free(&problems);
    return damaged;
}

int cm_plan_repair(const struct cm_views *cur, const GUID *ours, cm_dll_problem_fn dll_problem,
                   void *ctx, struct cm_views *desired)
{
    struct cm_catalog stripped;
    int failed, v;
    BOOL damaged = ours_damaged(cur, ours, dll_problem, ctx, &failed);

    if (failed || cm_views_copy(desired, cur))
        return -1;
    for (v = 0; v < CM_VIEWS; v++) {
        struct cm_catalog *cat = &desired->cat[v];

        if (!desired->present[v])
            continue;
        if (damaged) {
            cm_init(&stripped);
            if (cm_plan_remove(cat, ours, &stripped)) {
                cm_free(&stripped);
                return -1;
            }
            cm_free(cat);
            *cat = stripped;
        }
        while (mend_pass(cat, (enum cm_view)v, dll_problem, ctx))
            ;
        drop_unused_layered(cat, ours);
        cm_fix_order(cat);
    }
    return 0;
}
