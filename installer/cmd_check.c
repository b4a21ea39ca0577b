/* SPDX-License-Identifier: MIT */
/* lspinst verify and lspinst repair. */
#include "lspinst.h"
#include "apply.h"
#include "store.h"
#include "txn.h"
#include "../catalog/check.h"
#include "../catalog/plan.h"

/* Prints one line per problem, an unfinished command first; returns how
 * many there are, or -1 when the catalog cannot be read. */
static int report_problems(struct lspinst *ctx)
{
    struct cm_problems problems;
    struct cm_views cur, before;
    struct cm_store store = { 0 };
    struct cm_error err;
    char command[64];
    int found, count = -1;
    DWORD i;

    cm_views_init(&cur);
    cm_views_init(&before);
    cm_problems_init(&problems);
    found = txn_pending(command, sizeof(command), &before, &err);
    if (found < 0)
        complain("%s", err.text);
    else if (read_store(&store, &err))
        complain("%s", err.text);
    else if (!read_or_complain(ctx, &cur)) {
        if (cm_check(&cur, &cm_lspkit_guid, dll_problem, NULL, &problems) ||
            cm_check_store(&cur, &store, &cm_lspkit_guid, dll_problem, NULL, &problems))
            complain("out of memory");
        else {
            if (found)
                say("interrupted: 'lspinst %s' did not finish; the catalog may be half-changed "
                    "(run 'lspinst repair' to go back to how it was before)", command);
            for (i = 0; i < problems.count; i++)
                say("%s", problems.items[i].text);
            count = found + (int)problems.count;
        }
    }
    cm_problems_free(&problems);
    cm_store_free(&store);
    cm_views_free(&before);
    cm_views_free(&cur);
    return count;
}

int cmd_verify(struct lspinst *ctx, int argc, WCHAR **argv)
{
    struct args a;
    int count;

    args_init(&a, argc, argv);
    if (args_next(&a))
        return args_unknown(&a, "verify");
    count = report_problems(ctx);
    if (count < 0)
        return EXIT_FAILED;
    if (count == 0)
        say("no problems found");
    return count ? EXIT_PROBLEMS : EXIT_OK;
}

/* Goes back to the catalog before an interrupted command, if any. When
 * that cannot be done (the record is unreadable, or names what this system
 * lacks), the record is set aside and repair goes on from the catalog as
 * it is: a record that can never be undone must not block every later
 * command. *set_aside tells the caller so. */
static int finish_interrupted(struct lspinst *ctx, BOOL *set_aside)
{
    struct cm_views before;
    struct cm_error err, aside_err;
    char command[64];
    int found;

    *set_aside = FALSE;
    cm_views_init(&before);
    found = txn_pending(command, sizeof(command), &before, &err);
    cm_views_free(&before);
    if (found > 0 && !txn_rollback(&ctx->api, &err)) {
        say("went back to the catalog as it was before the interrupted 'lspinst %s'", command);
        return 0;
    }
    if (!found)
        return 0;
    complain("repair: cannot go back before the interrupted command: %s", err.text);
    if (txn_set_aside(&aside_err)) {
        complain("repair: %s", aside_err.text);
        return EXIT_DAMAGED;
    }
    complain("repair: its record is kept under HKLM\\SOFTWARE\\lspkit\\Installer\\Abandoned; "
             "repairing the catalog as it is");
    *set_aside = TRUE;
    return 0;
}

/* Entries that a damaged Num_Catalog_Entries hides come back before the
 * catalog is judged: otherwise the repair below would take their LSP for a
 * damaged installation and remove it, and lost base providers would stay
 * lost (catalog/plan_recover.c says which come back). */
static int recover_hidden(struct lspinst *ctx)
{
    struct cm_views cur, desired;
    struct cm_store store = { 0 };
    struct cm_error err;
    DWORD recovered, total = 0;
    int v, ret;

    cm_views_init(&cur);
    cm_views_init(&desired);
    ret = read_or_complain(ctx, &cur);
    if (!ret && read_store(&store, &err)) {
        complain("repair: %s", err.text);
        ret = EXIT_FAILED;
    }
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        desired.present[v] = cur.present[v];
        if (!cur.present[v])
            continue;
        if (cm_plan_recover(&cur.cat[v], &store.view[v].hidden, &desired.cat[v], &recovered)) {
            complain("repair: out of memory");
            ret = EXIT_FAILED;
        }
        total += recovered;
    }
    if (!ret && total && !(ret = run_change(ctx, "repair", &cur, &desired, NULL, NULL)))
        say("took back %lu entr%s that a damaged Num_Catalog_Entries hid from programs",
            (unsigned long)total, total == 1 ? "y" : "ies");
    cm_store_free(&store);
    cm_views_free(&cur);
    cm_views_free(&desired);
    return ret;
}

int cmd_repair(struct lspinst *ctx, int argc, WCHAR **argv)
{
    struct cm_views cur, desired;
    struct args a;
    int ret, left;
    BOOL set_aside = FALSE;

    args_init(&a, argc, argv);
    if (args_next(&a))
        return args_unknown(&a, "repair");
    ret = require_admin("repair");
    if (!ret)
        ret = finish_interrupted(ctx, &set_aside);
    if (!ret)
        ret = recover_hidden(ctx);
    cm_views_init(&cur);
    cm_views_init(&desired);
    if (!ret)
        ret = read_or_complain(ctx, &cur);
    if (!ret && cm_plan_repair(&cur, &cm_lspkit_guid, dll_problem, NULL, &desired)) {
        complain("repair: out of memory");
        ret = EXIT_FAILED;
    }
    if (!ret && !views_same_layout(&cur, &desired) &&
        !(ret = run_change(ctx, "repair", &cur, &desired, NULL, NULL)))
        say("repaired the catalog");
    cm_views_free(&cur);
    cm_views_free(&desired);
    if (ret)
        return ret;
    left = report_problems(ctx);
    if (left > 0)
        complain("repair: %d problem(s) left that repair does not fix (see above); 'netsh winsock "
                 "reset' is the last resort", left);
    if (left < 0)
        return EXIT_FAILED;
    /* What the interrupted command changed may be left half-done. */
    return left || set_aside ? EXIT_PROBLEMS : EXIT_OK;
}
