/* SPDX-License-Identifier: MIT */
/* Installing through WSCInstallProviderAndChains (see chains.h). */
#include "chains.h"
#include "apply.h"
#include "read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void chains_request_init(struct chains_request *req, const WCHAR *name, const WCHAR *dll,
                         const WCHAR *dll32, enum chains_method method,
                         enum cm_placement placement)
{
    req->name = name;
    req->dll = dll;
    req->dll32 = dll32;
    req->method = method;
    req->placement = placement;
}

static BOOL same_protocol(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->iAddressFamily == b->iAddressFamily && a->iSocketType == b->iSocketType &&
           a->iProtocol == b->iProtocol;
}

/* The protocols of the chains the plan adds to the native catalog, once
 * each: what WSCInstallProviderAndChains asks for. */
static WSAPROTOCOL_INFOW *wanted_protocols(const struct cm_catalog *desired, DWORD *n)
{
    int layered = cm_find_layered(desired, &cm_lspkit_guid);
    WSAPROTOCOL_INFOW *list = malloc((desired->count ? desired->count : 1) * sizeof(*list));
    DWORD i, k;

    *n = 0;
    for (i = 0; list && layered >= 0 && i < desired->count; i++) {
        const struct cm_entry *e = &desired->entries[i];

        if (!cm_is_chain(e) || !CM_IS_NEW_ID(e->info.dwCatalogEntryId) ||
            !cm_belongs_to(e, desired->entries[layered].info.dwCatalogEntryId))
            continue;
        for (k = 0; k < *n && !same_protocol(&list[k], &e->info); k++)
            ;
        if (k == *n)
            list[(*n)++] = e->info;
    }
    return list;
}

/* Takes what the call made into `desired`: the layered entry's id, and each
 * planned chain the call also made, with its id and GUID. */
static int adopt(const struct cm_catalog *now, struct cm_catalog *desired, struct cm_error *err)
{
    int have = cm_find_layered(now, &cm_lspkit_guid), want = cm_find_layered(desired, &cm_lspkit_guid);
    BOOL *taken;
    DWORD i, j, layered_id;

    if (have < 0 || want < 0) {
        snprintf(err->text, sizeof(err->text),
                 "WSCInstallProviderAndChains succeeded but made no layered entry");
        return -1;
    }
    layered_id = now->entries[have].info.dwCatalogEntryId;
    cm_rename_id(desired, desired->entries[want].info.dwCatalogEntryId, layered_id);
    taken = calloc(now->count + 1, sizeof(*taken));
    if (!taken) {
        snprintf(err->text, sizeof(err->text), "out of memory");
        return -1;
    }
    for (i = 0; i < desired->count; i++) {
        struct cm_entry *e = &desired->entries[i];

        if (!CM_IS_NEW_ID(e->info.dwCatalogEntryId) || !cm_belongs_to(e, layered_id))
            continue;
        for (j = 0; j < now->count; j++) {
            const struct cm_entry *made = &now->entries[j];

            if (taken[j] || !cm_belongs_to(made, layered_id) || !same_protocol(&made->info, &e->info) ||
                made->info.ProtocolChain.ChainLen != e->info.ProtocolChain.ChainLen ||
                memcmp(made->info.ProtocolChain.ChainEntries, e->info.ProtocolChain.ChainEntries,
                       e->info.ProtocolChain.ChainLen * sizeof(DWORD)))
                continue;
            taken[j] = TRUE;
            e->info.ProviderId = made->info.ProviderId;
            cm_rename_id(desired, e->info.dwCatalogEntryId, made->info.dwCatalogEntryId);
            break;
        }
    }
    free(taken);
    return 0;
}

/* An earlier installation goes first: the call refuses a provider that is
 * already there. */
static int remove_earlier(struct lspinst *ctx, struct cm_error *err)
{
    struct cm_views now, removed;
    int v, ret = 0;

    cm_views_init(&now);
    cm_views_init(&removed);
    if (read_views(&ctx->api, &now, err))
        ret = -1;
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        removed.present[v] = now.present[v];
        if (now.present[v] && cm_plan_remove(&now.cat[v], &cm_lspkit_guid, &removed.cat[v]))
            ret = -1;
    }
    if (!ret && !views_same_layout(&now, &removed))
        ret = apply_views(&ctx->api, &removed, err);
    cm_views_free(&now);
    cm_views_free(&removed);
    return ret;
}

static int call(struct lspinst *ctx, const struct chains_request *req, BOOL both,
                WSAPROTOCOL_INFOW *list, DWORD n, struct cm_error *err)
{
    GUID provider = cm_lspkit_guid;
    DWORD id = 0;
    int error = 0, ret;
    char name[64];

    error = wsc_write_begin();
    if (!error) {
        if (both)
            ret = ctx->api.install_chains64_32(&provider, (LPWSTR)req->dll, (LPWSTR)req->dll32,
                                               (LPWSTR)req->name, 0, list, n, &id, &error);
        else
            ret = ctx->api.install_chains(&provider, (LPWSTR)req->dll, (LPWSTR)req->name, 0, list,
                                          n, &id, &error);
        if (!ret)
            return 0;
    }
    snprintf(err->text, sizeof(err->text), "WSCInstallProviderAndChains%s failed: %s",
             both ? "64_32" : "", wsa_error_name(error, name, sizeof(name)));
    return -1;
}

int install_step(struct lspinst *ctx, struct cm_views *desired, void *arg, struct cm_error *err)
{
    const struct chains_request *req = arg;
    BOOL both = desired->present[CM_VIEW_32];
    BOOL available = both ? ctx->api.install_chains64_32 != NULL : ctx->api.install_chains != NULL;
    WSAPROTOCOL_INFOW *list;
    struct cm_views now;
    DWORD n;
    int v, ret;

    if (req->method == CHAINS_NEVER ||
        (req->method == CHAINS_AUTO && (!available || req->placement != CM_PLACE_OVER)))
        return 0;
    if (!available) {
        snprintf(err->text, sizeof(err->text), "this ws2_32 has no WSCInstallProviderAndChains%s",
                 both ? "64_32" : "");
        return -1;
    }
    if (remove_earlier(ctx, err))
        return -1;
    list = wanted_protocols(&desired->cat[CM_VIEW_NATIVE], &n);
    if (!list) {
        snprintf(err->text, sizeof(err->text), "out of memory");
        return -1;
    }
    ret = n ? call(ctx, req, both, list, n, err) : 0;
    free(list);
    cm_views_init(&now);
    if (!ret && n)
        ret = read_views(&ctx->api, &now, err);
    for (v = 0; !ret && n && v < CM_VIEWS; v++)
        if (desired->present[v])
            ret = adopt(&now.cat[v], &desired->cat[v], err);
    cm_views_free(&now);
    return ret;
}
