/* SPDX-License-Identifier: MIT */
/* Carrying out plans through the WSC* API (see apply.h). */
#include "apply.h"
#include "read.h"
#include "lspkit/trace.h"
#include "../catalog/diff.h"
#include "../catalog/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct run {
    const struct wsc_api *api;
    struct cm_plan plan[CM_VIEWS];
    BOOL *done[CM_VIEWS];             /* per op */
    BOOL present[CM_VIEWS];
    struct cm_error *err;
};

static const char *suffix(enum cm_view v)
{
    return v == CM_VIEW_32 ? "32" : "";
}

static int failed(struct run *r, const char *call, enum cm_view v, const GUID *g, int error)
{
    char guid[39] = "", name[64];

    if (g)
        cm_guid_format(g, guid);
    snprintf(r->err->text, sizeof(r->err->text), "%s%s(%s) failed: %s", call, suffix(v), guid,
             wsa_error_name(error, name, sizeof(name)));
    TRACE("%s", r->err->text);
    return -1;
}

/* Every catalog write starts here, so fault injection sees them all. */
static int write_begin(struct run *r, const char *call, enum cm_view v, const GUID *g)
{
    char guid[39] = "";
    int error = wsc_write_begin();

    if (g)
        cm_guid_format(g, guid);
    TRACE("catalog write: %s%s(%s)", call, suffix(v), guid);
    return error ? failed(r, call, v, g, error) : 0;
}

static int planner_bug(struct run *r, const char *what)
{
    snprintf(r->err->text, sizeof(r->err->text), "internal error: %s", what);
    return -1;
}

/* The group's entries as WSC wants them. For an installation the ids are
 * the system's to give, so a placeholder own id becomes 0; any other
 * placeholder left is a planning error. */
static WSAPROTOCOL_INFOW *op_infos(struct run *r, enum cm_view v, const struct cm_op *op,
                                   BOOL installing)
{
    WSAPROTOCOL_INFOW *infos = malloc(op->count * sizeof(*infos));
    DWORD k;
    int i;

    if (!infos) {
        snprintf(r->err->text, sizeof(r->err->text), "out of memory");
        return NULL;
    }
    for (k = 0; k < op->count; k++) {
        infos[k] = cm_op_member(&r->plan[v], op, k)->info;
        if (installing)
            infos[k].dwCatalogEntryId = 0;
        for (i = 0; i < infos[k].ProtocolChain.ChainLen && i < MAX_PROTOCOL_CHAIN; i++)
            if (infos[k].ProtocolChain.ChainLen > BASE_PROTOCOL &&
                CM_IS_NEW_ID(infos[k].ProtocolChain.ChainEntries[i])) {
                free(infos);
                planner_bug(r, "a chain names an entry not installed yet");
                return NULL;
            }
        if (CM_IS_NEW_ID(infos[k].dwCatalogEntryId)) {
            free(infos);
            planner_bug(r, "an entry to update has no id yet");
            return NULL;
        }
    }
    return infos;
}

static int do_update(struct run *r, enum cm_view v, const struct cm_op *op, const WCHAR *path)
{
    WSAPROTOCOL_INFOW *infos = op_infos(r, v, op, FALSE);
    int error = 0, ret;

    if (!infos)
        return -1;
    ret = write_begin(r, "WSCUpdateProvider", v, &op->provider);
    if (!ret && r->api->update[v]((GUID *)&op->provider, path, infos, op->count, &error))
        ret = failed(r, "WSCUpdateProvider", v, &op->provider, error);
    free(infos);
    return ret;
}

static int do_deinstall(struct run *r, enum cm_view v, const GUID *g)
{
    int error = 0;

    if (write_begin(r, "WSCDeinstallProvider", v, g))
        return -1;
    if (r->api->deinstall[v]((GUID *)g, &error))
        return failed(r, "WSCDeinstallProvider", v, g, error);
    return 0;
}

static int do_categories(struct run *r, enum cm_view v, const struct cm_op *op)
{
    DWORD categories = op->categories;
    int error = 0;

    if (!r->api->set_info[v]) {
        snprintf(r->err->text, sizeof(r->err->text),
                 "this ws2_32 has no WSCSetProviderInfo%s: LSP categories need Windows Vista "
                 "or later", suffix(v));
        return -1;
    }
    if (write_begin(r, "WSCSetProviderInfo", v, &op->provider))
        return -1;
    if (r->api->set_info[v]((GUID *)&op->provider, ProviderInfoLspCategories, (PBYTE)&categories,
                            sizeof(categories), 0, &error))
        return failed(r, "WSCSetProviderInfo", v, &op->provider, error);
    return 0;
}

static int read_one(struct run *r, enum cm_view v, struct cm_views *views)
{
    cm_views_init(views);
    if (read_views(r->api, views, r->err))
        return -1;
    if (!views->present[v])
        return planner_bug(r, "a catalog went away");
    return 0;
}

/* The order is written only when it differs: WSCWriteProviderOrder
 * rewrites the whole catalog. */
static int do_order(struct run *r, enum cm_view v)
{
    const struct cm_catalog *want = &r->plan[v].desired;
    struct cm_views now;
    DWORD *ids, i;
    int ret = 0, error;
    BOOL same;

    if (read_one(r, v, &now))
        return -1;
    same = now.cat[v].count == want->count;
    for (i = 0; same && i < want->count; i++)
        same = now.cat[v].entries[i].info.dwCatalogEntryId == want->entries[i].info.dwCatalogEntryId;
    if (!same && now.cat[v].count != want->count)
        ret = planner_bug(r, "the catalog does not hold the entries the plan expects");
    cm_views_free(&now);
    if (same || ret)
        return ret;
    ids = malloc(want->count * sizeof(*ids));
    if (!ids)
        return planner_bug(r, "out of memory");
    for (i = 0; i < want->count; i++)
        ids[i] = want->entries[i].info.dwCatalogEntryId;
    ret = write_begin(r, "WSCWriteProviderOrder", v, NULL);
    if (!ret && (error = r->api->write_order[v](ids, want->count)))
        ret = failed(r, "WSCWriteProviderOrder", v, NULL, error);
    free(ids);
    return ret;
}

static BOOL same_shape(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->iAddressFamily == b->iAddressFamily && a->iSocketType == b->iSocketType &&
           a->iProtocol == b->iProtocol && a->ProtocolChain.ChainLen == b->ProtocolChain.ChainLen;
}

/* After installing group `op` into view `v`: gives its members the ids the
 * system handed out. Installed entries are paired with members in order,
 * or by shape when WSCInstallProvider64_32 installed another catalog's
 * entries. */
static int resolve(struct run *r, enum cm_view v, const struct cm_op *op)
{
    struct cm_views now;
    const struct cm_catalog *cat;
    DWORD *found, nfound = 0, i, k, m;
    int ret = 0;

    if (read_one(r, v, &now))
        return -1;
    cat = &now.cat[v];
    found = malloc((cat->count ? cat->count : 1) * sizeof(*found));
    for (i = 0; found && i < cat->count; i++)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, &op->provider))
            found[nfound++] = i;
    if (!found || nfound != op->count)
        ret = planner_bug(r, "an installation did not add the entries asked for");
    for (k = 0; !ret && k < op->count; k++) {
        struct cm_entry *member = cm_op_member(&r->plan[v], op, k);

        for (m = k; m < k + nfound; m++)
            if (found[m % nfound] != MAXDWORD &&
                same_shape(&cat->entries[found[m % nfound]].info, &member->info))
                break;
        if (m == k + nfound) {
            ret = planner_bug(r, "an installed entry matches no planned one");
            break;
        }
        cm_rename_id(&r->plan[v].desired, member->info.dwCatalogEntryId,
                     cat->entries[found[m % nfound]].info.dwCatalogEntryId);
        found[m % nfound] = MAXDWORD;
    }
    free(found);
    cm_views_free(&now);
    return ret;
}

static const WCHAR *op_path(struct run *r, enum cm_view v, const struct cm_op *op)
{
    return cm_op_member(&r->plan[v], op, 0)->path;
}

static int install_with(struct run *r, wsc_provider_fn install, const char *call, enum cm_view v,
                        const struct cm_op *op)
{
    WSAPROTOCOL_INFOW *infos = op_infos(r, v, op, TRUE);
    int error = 0, ret;

    if (!infos)
        return -1;
    ret = write_begin(r, call, CM_VIEW_NATIVE, &op->provider);
    if (!ret && install((GUID *)&op->provider, op_path(r, v, op), infos, op->count, &error))
        ret = failed(r, call, CM_VIEW_NATIVE, &op->provider, error);
    free(infos);
    return ret;
}

static int find_install(struct run *r, enum cm_view v, const GUID *g)
{
    DWORD i;

    for (i = 0; i < r->plan[v].nops; i++)
        if (r->plan[v].ops[i].kind == CM_OP_INSTALL && !r->done[v][i] &&
            IsEqualGUID(&r->plan[v].ops[i].provider, g))
            return (int)i;
    return -1;
}

/* 32-bit entries installed by WSCInstallProvider64_32 carry the native
 * path and ids; they get their own here. */
static int settle32(struct run *r, const struct cm_op *op)
{
    struct cm_views now;
    DWORD k;
    int at;
    BOOL differs = FALSE;

    if (read_one(r, CM_VIEW_32, &now))
        return -1;
    for (k = 0; k < op->count && !differs; k++) {
        const struct cm_entry *want = cm_op_member(&r->plan[CM_VIEW_32], op, k);

        at = cm_find_id(&now.cat[CM_VIEW_32], want->info.dwCatalogEntryId);
        differs = at < 0 || wcscmp(now.cat[CM_VIEW_32].entries[at].path, want->path) ||
                  memcmp(&now.cat[CM_VIEW_32].entries[at].info, &want->info, sizeof(want->info));
    }
    cm_views_free(&now);
    return differs ? do_update(r, CM_VIEW_32, op, op_path(r, CM_VIEW_32, op)) : 0;
}

/* WSCInstallProvider64_32 puts the native entries into both catalogs: the
 * entries their chains name must exist in the 32-bit one as well. */
static int check_both(struct run *r, const struct cm_op *op)
{
    struct cm_views now;
    const WSAPROTOCOLCHAIN *chain;
    DWORD k;
    int i, ret = 0;
    char guid[39];

    if (read_one(r, CM_VIEW_32, &now))
        return -1;
    for (k = 0; !ret && k < op->count; k++) {
        chain = &cm_op_member(&r->plan[CM_VIEW_NATIVE], op, k)->info.ProtocolChain;
        for (i = 0; chain->ChainLen > BASE_PROTOCOL && i < chain->ChainLen &&
                    i < MAX_PROTOCOL_CHAIN && !ret; i++)
            if (cm_find_id(&now.cat[CM_VIEW_32], chain->ChainEntries[i]) < 0) {
                cm_guid_format(&op->provider, guid);
                snprintf(r->err->text, sizeof(r->err->text),
                         "cannot install provider %s into both catalogs: the entries below it "
                         "have other ids in the 32-bit catalog than in the 64-bit one", guid);
                ret = -1;
            }
    }
    cm_views_free(&now);
    return ret;
}

/* Installations: into both catalogs at once where both want a provider. */
static int run_installs(struct run *r)
{
    struct cm_plan *native = &r->plan[CM_VIEW_NATIVE], *wow = &r->plan[CM_VIEW_32];
    DWORD i;
    int j;

    for (i = 0; i < native->nops; i++) {
        const struct cm_op *op = &native->ops[i];

        if (op->kind != CM_OP_INSTALL)
            continue;
        j = r->present[CM_VIEW_32] ? find_install(r, CM_VIEW_32, &op->provider) : -1;
        if ((j >= 0 && check_both(r, op)) ||
            install_with(r, j >= 0 ? r->api->install64_32 : r->api->install,
                         j >= 0 ? "WSCInstallProvider64_32" : "WSCInstallProvider",
                         CM_VIEW_NATIVE, op) ||
            resolve(r, CM_VIEW_NATIVE, op))
            return -1;
        r->done[CM_VIEW_NATIVE][i] = TRUE;
        if (j >= 0) {
            if (resolve(r, CM_VIEW_32, &wow->ops[j]))
                return -1;
            r->done[CM_VIEW_32][j] = TRUE;
        }
    }
    /* Wanted only by the 32-bit catalog: both get it, the native loses it. */
    for (i = 0; r->present[CM_VIEW_32] && i < wow->nops; i++) {
        const struct cm_op *op = &wow->ops[i];

        if (op->kind != CM_OP_INSTALL || r->done[CM_VIEW_32][i])
            continue;
        if (install_with(r, r->api->install64_32, "WSCInstallProvider64_32", CM_VIEW_32, op) ||
            resolve(r, CM_VIEW_32, op) || do_deinstall(r, CM_VIEW_NATIVE, &op->provider))
            return -1;
        r->done[CM_VIEW_32][i] = TRUE;
    }
    for (i = 0; r->present[CM_VIEW_32] && i < wow->nops; i++)
        if (wow->ops[i].kind == CM_OP_INSTALL && settle32(r, &wow->ops[i]))
            return -1;
    return 0;
}

static int run_op(struct run *r, enum cm_view v, DWORD i)
{
    const struct cm_op *op = &r->plan[v].ops[i];

    r->done[v][i] = TRUE;
    switch (op->kind) {
    case CM_OP_UPDATE:
        return do_update(r, v, op, op_path(r, v, op));
    case CM_OP_DEINSTALL:
        return do_deinstall(r, v, &op->provider);
    case CM_OP_CATEGORIES:
        return do_categories(r, v, op);
    case CM_OP_ORDER:
        return do_order(r, v);
    case CM_OP_INSTALL:
        break;
    }
    return planner_bug(r, "installation outside the installation step");
}

/* Runs view `v`'s operations that are not done, up to the first
 * installation when `before_installs`. Updates before installations only
 * drop references, and removals make room for reinstalled providers. */
static int run_rest(struct run *r, enum cm_view v, BOOL before_installs)
{
    DWORD i;

    for (i = 0; i < r->plan[v].nops; i++) {
        if (r->done[v][i])
            continue;
        if (r->plan[v].ops[i].kind == CM_OP_INSTALL) {
            if (before_installs)
                return 0;
            continue;
        }
        if (run_op(r, v, i))
            return -1;
    }
    return 0;
}

static BOOL installs(const struct cm_plan *plan, const GUID *g)
{
    DWORD i;

    for (i = 0; i < plan->nops; i++)
        if (plan->ops[i].kind == CM_OP_INSTALL && IsEqualGUID(&plan->ops[i].provider, g))
            return TRUE;
    return FALSE;
}

static BOOL has_provider(const struct cm_catalog *cat, const GUID *g)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, g))
            return TRUE;
    return FALSE;
}

/* Adds to `list` the providers `plan` installs that `other` keeps. */
static int spread(const struct cm_plan *plan, const struct cm_catalog *other_desired,
                  const struct cm_plan *other, GUID **list, DWORD *n, BOOL *changed)
{
    DWORD i, k;
    GUID *grown;

    for (i = 0; i < plan->nops; i++) {
        const GUID *g = &plan->ops[i].provider;

        if (plan->ops[i].kind != CM_OP_INSTALL || !has_provider(other_desired, g) ||
            installs(other, g))
            continue;
        for (k = 0; k < *n && !IsEqualGUID(&(*list)[k], g); k++)
            ;
        if (k < *n)
            continue;
        grown = realloc(*list, (*n + 1) * sizeof(**list));
        if (!grown)
            return -1;
        *list = grown;
        (*list)[(*n)++] = *g;
        *changed = TRUE;
    }
    return 0;
}

/* Plans each catalog. With two, a provider one of them installs and the
 * other keeps is installed into both: WSCInstallProvider64_32 then gives
 * it the same ids in each, so the chains naming it agree. */
static int plan_views(struct run *r, const struct cm_views *cur, const struct cm_views *desired)
{
    GUID *force[CM_VIEWS] = { NULL, NULL };
    DWORD nforce[CM_VIEWS] = { 0, 0 };
    BOOL changed = TRUE;
    int round, v, ret = 0;

    for (round = 0; !ret && changed && round <= 2 * MAX_PROTOCOL_CHAIN; round++) {
        changed = FALSE;
        for (v = 0; !ret && v < CM_VIEWS; v++) {
            cm_plan_free(&r->plan[v]);
            if (r->present[v] && cm_diff_forced(&cur->cat[v], &desired->cat[v], force[v],
                                                nforce[v], &r->plan[v], r->err))
                ret = -1;
        }
        if (ret || !r->present[CM_VIEW_32])
            break;
        for (v = 0; !ret && v < CM_VIEWS; v++)
            if (spread(&r->plan[v], &desired->cat[1 - v], &r->plan[1 - v], &force[1 - v],
                       &nforce[1 - v], &changed))
                ret = planner_bug(r, "out of memory");
    }
    for (v = 0; v < CM_VIEWS; v++)
        free(force[v]);
    return ret;
}

BOOL views_same_layout(const struct cm_views *cur, const struct cm_views *desired)
{
    int v;

    for (v = 0; v < CM_VIEWS; v++)
        if (desired->present[v] &&
            (!cur->present[v] || !cm_same_layout(&cur->cat[v], &desired->cat[v])))
            return FALSE;
    return TRUE;
}

static int check_result(struct run *r)
{
    struct cm_views now, wanted;
    int v, ret = 0;

    cm_views_init(&now);
    cm_views_init(&wanted);
    if (read_views(r->api, &now, r->err))
        ret = -1;
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        wanted.present[v] = r->present[v];
        wanted.cat[v] = r->plan[v].desired;
    }
    if (!ret && !views_same_layout(&now, &wanted))
        ret = planner_bug(r, "after the changes the catalog is not what was planned");
    cm_views_free(&now);
    return ret;
}

int apply_views(const struct wsc_api *api, const struct cm_views *desired, struct cm_error *err)
{
    struct run r;
    struct cm_views cur;
    int v, ret = 0;

    memset(&r, 0, sizeof(r));
    r.api = api;
    r.err = err;
    cm_views_init(&cur);
    for (v = 0; v < CM_VIEWS; v++)
        cm_plan_init(&r.plan[v]);
    if (read_views(api, &cur, err))
        ret = -1;
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        r.present[v] = desired->present[v] && cur.present[v];
        if (desired->present[v] && !cur.present[v])
            ret = planner_bug(&r, "the plan names a catalog this ws2_32 cannot reach");
    }
    if (!ret)
        ret = plan_views(&r, &cur, desired);
    for (v = 0; !ret && v < CM_VIEWS; v++)
        if (!(r.done[v] = calloc(r.plan[v].nops + 1, sizeof(BOOL))))
            ret = planner_bug(&r, "out of memory");
    for (v = 0; !ret && v < CM_VIEWS; v++)
        if (r.present[v])
            ret = run_rest(&r, (enum cm_view)v, TRUE);
    if (!ret)
        ret = run_installs(&r);
    for (v = 0; !ret && v < CM_VIEWS; v++)
        if (r.present[v])
            ret = run_rest(&r, (enum cm_view)v, FALSE);
    if (!ret)
        ret = check_result(&r);
    for (v = 0; v < CM_VIEWS; v++) {
        cm_plan_free(&r.plan[v]);
        free(r.done[v]);
    }
    cm_views_free(&cur);
    return ret;
}
