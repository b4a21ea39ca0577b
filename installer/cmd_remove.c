/* SPDX-License-Identifier: MIT */
/* lspinst remove: takes lspkit's entries out of the catalog(s) and skips
 * lspkit in other LSPs' chains (WSCUpdateProvider), leaving the rest as it
 * was. */
#include "lspinst.h"
#include "apply.h"
#include "../catalog/plan.h"

int cmd_remove(struct lspinst *ctx, int argc, WCHAR **argv)
{
    struct cm_views cur, desired;
    struct args a;
    int v, ret = 0;

    args_init(&a, argc, argv);
    if (args_next(&a))
        return args_unknown(&a, "remove");
    ret = require_admin("remove");
    if (!ret)
        ret = refuse_if_pending();
    cm_views_init(&cur);
    cm_views_init(&desired);
    if (!ret)
        ret = read_or_complain(ctx, &cur);
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        desired.present[v] = cur.present[v];
        if (cur.present[v] && cm_plan_remove(&cur.cat[v], &cm_lspkit_guid, &desired.cat[v])) {
            complain("remove: out of memory");
            ret = EXIT_FAILED;
        }
    }
    if (!ret && views_same_layout(&cur, &desired))
        say("lspkit is not installed; nothing to do");
    else if (!ret && !(ret = run_change(ctx, "remove", &cur, &desired, NULL, NULL)))
        say("lspkit removed");
    cm_views_free(&cur);
    cm_views_free(&desired);
    return ret;
}
