/* SPDX-License-Identifier: MIT */
/* WSCInstallProviderAndChains and WSCInstallProviderAndChains64_32: a
 * layered ("dummy", ChainLen 0) entry for the LSP plus one protocol chain
 * over each protocol asked for, all at the top of the catalog, so that
 * applications pick the chains without a WSCWriteProviderOrder.
 *
 * The layout is what LSPs written after Microsoft's sample need. Such an
 * LSP finds its layered entry as the first catalog entry carrying its
 * GUID, and its chains as the entries whose ChainEntries[0] is that
 * entry's id; its installer removes the chains one GUID at a time, then
 * the layered entry. So the layered entry comes first and alone has the
 * LSP's GUID, and each chain gets a GUID of its own, derived from the
 * LSP's GUID and what the chain lies over: the same chain gets the same
 * GUID in both catalogs of the 64_32 call. */
#include "wsc.h"
#include "../catalog/guid.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

struct chains_request {
    const GUID *provider;
    const WCHAR *lsp_name;
    DWORD service_flags;
    const WSAPROTOCOL_INFOW *list;   /* NULL: layer over every base protocol */
    DWORD n;
};

/* What one catalog gets: the entries its chains layer over. */
struct view_plan {
    struct catalog old;
    const struct catalog_entry **targets;
    DWORD ntargets;
    struct catalog updated;
};

static BOOL same_protocol(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->iAddressFamily == b->iAddressFamily && a->iSocketType == b->iSocketType &&
           a->iProtocol == b->iProtocol;
}

/* Entries an application can reach, so a chain may sit on top of them. */
static BOOL layerable(const WSAPROTOCOL_INFOW *info)
{
    return info->ProtocolChain.ChainLen >= BASE_PROTOCOL && !(info->dwProviderFlags & PFL_HIDDEN);
}

static BOOL has_protocol(const struct catalog_entry **targets, DWORD n,
                         const WSAPROTOCOL_INFOW *info)
{
    DWORD i;

    for (i = 0; i < n; i++)
        if (same_protocol(&targets[i]->info, info))
            return TRUE;
    return FALSE;
}

/* With a list: the top-most reachable entry for each listed protocol, where
 * only family, type and protocol count and repeats are ignored. Without:
 * the first base entry of each distinct protocol. Errors as documented:
 * WSAEINVAL for a listed protocol nothing serves, WSANO_RECOVERY when there
 * is no base entry or a chain would exceed MAX_PROTOCOL_CHAIN. */
static int find_targets(struct view_plan *plan, const struct chains_request *req)
{
    const struct catalog *cat = &plan->old;
    const struct catalog_entry *top;
    DWORD i, j;

    plan->targets = malloc((cat->count ? cat->count : 1) * sizeof(*plan->targets));
    if (!plan->targets)
        return WSA_NOT_ENOUGH_MEMORY;
    if (!req->list) {
        for (i = 0; i < cat->count; i++)
            if (cat->entries[i].info.ProtocolChain.ChainLen == BASE_PROTOCOL &&
                layerable(&cat->entries[i].info) &&
                !has_protocol(plan->targets, plan->ntargets, &cat->entries[i].info))
                plan->targets[plan->ntargets++] = &cat->entries[i];
        if (!plan->ntargets)
            return WSANO_RECOVERY;
    }
    for (i = 0; req->list && i < req->n; i++) {
        top = NULL;
        for (j = 0; j < cat->count && !top; j++)
            if (layerable(&cat->entries[j].info) && same_protocol(&cat->entries[j].info, &req->list[i]))
                top = &cat->entries[j];
        if (!top)
            return WSAEINVAL;
        if (!has_protocol(plan->targets, plan->ntargets, &top->info))
            plan->targets[plan->ntargets++] = top;
    }
    for (i = 0; i < plan->ntargets; i++)
        if (plan->targets[i]->info.ProtocolChain.ChainLen >= MAX_PROTOCOL_CHAIN)
            return WSANO_RECOVERY;
    return 0;
}

/* Documented: a provider id or an LSP name already in the catalog is WSAEINVAL. */
static BOOL name_taken(const struct catalog *cat, const WCHAR *name)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (!wcscmp(cat->entries[i].info.szProtocol, name))
            return TRUE;
    return FALSE;
}

static void append(WCHAR *out, size_t *len, const WCHAR *text)
{
    while (*text && *len < WSAPROTOCOL_LEN)
        out[(*len)++] = *text++;
    out[*len] = 0;
}

static void make_dummy(struct catalog_entry *entry, const CHAR *path,
                       const struct chains_request *req, const struct catalog_entry *model,
                       DWORD id)
{
    wsc_make_entry(entry, path, &model->info, req->provider, id);
    memset(&entry->info.ProtocolChain, 0, sizeof(entry->info.ProtocolChain));
    entry->info.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    wcscpy(entry->info.szProtocol, req->lsp_name);
    entry->info.dwServiceFlags1 = req->service_flags;
    entry->info.dwProviderFlags = PFL_HIDDEN;
}

static BOOL guid_taken(const struct catalog *cat, const struct catalog_entry *made, DWORD nmade,
                       const GUID *guid)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, guid))
            return TRUE;
    for (i = 0; i < nmade; i++)
        if (IsEqualGUID(&made[i].info.ProviderId, guid))
            return TRUE;
    return FALSE;
}

/* The GUID of the chain over `below`: from the LSP's GUID and what lies
 * below (its provider and protocol, not its id, which differs between the
 * catalogs), moved on in the rare case that it is already in use. */
static GUID chain_guid(const struct view_plan *plan, const struct catalog_entry *made,
                       DWORD nmade, const struct chains_request *req,
                       const struct catalog_entry *below)
{
    struct {
        GUID provider;
        int af, type, protocol, chain_len;
        DWORD attempt;
    } what;
    GUID guid;

    memset(&what, 0, sizeof(what));
    what.provider = below->info.ProviderId;
    what.af = below->info.iAddressFamily;
    what.type = below->info.iSocketType;
    what.protocol = below->info.iProtocol;
    what.chain_len = below->info.ProtocolChain.ChainLen;
    do
        guid = cm_derive_guid(req->provider, &what, sizeof(what));
    while (what.attempt++ < 0xffff &&
           (IsEqualGUID(&guid, req->provider) || guid_taken(&plan->old, made, nmade, &guid)));
    return guid;
}

/* A chain is the layered entry on top of what `below` already is: a base
 * entry (itself) or another chain (its entries). */
static void make_chain(struct catalog_entry *entry, const CHAR *path,
                       const struct chains_request *req, const struct catalog_entry *below,
                       const GUID *guid, DWORD dummy_id, DWORD id)
{
    const WSAPROTOCOLCHAIN *lower = &below->info.ProtocolChain;
    WSAPROTOCOLCHAIN *chain = &entry->info.ProtocolChain;
    size_t len = 0;

    wsc_make_entry(entry, path, &below->info, guid, id);
    memset(chain, 0, sizeof(*chain));
    chain->ChainEntries[0] = dummy_id;
    if (lower->ChainLen == BASE_PROTOCOL)
        chain->ChainEntries[1] = below->info.dwCatalogEntryId;
    else
        memcpy(&chain->ChainEntries[1], lower->ChainEntries, (size_t)lower->ChainLen * sizeof(DWORD));
    chain->ChainLen = lower->ChainLen + 1;
    /* A non-IFS LSP hands out handles of its own, so the chain is not IFS. */
    if (!(req->service_flags & XP1_IFS_HANDLES))
        entry->info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    append(entry->info.szProtocol, &len, req->lsp_name);
    append(entry->info.szProtocol, &len, L" over [");
    append(entry->info.szProtocol, &len, below->info.szProtocol);
    append(entry->info.szProtocol, &len, L"]");
}

/* New contents: the layered entry, the chains, then what was there. */
static int build(struct view_plan *plan, const struct chains_request *req, const CHAR *path,
                 DWORD dummy_id)
{
    struct catalog *out = &plan->updated;
    struct catalog_entry *chains;
    DWORD *ids, i;
    GUID guid;
    int error;

    ids = malloc(plan->ntargets * sizeof(*ids));
    out->entries = malloc((plan->old.count + plan->ntargets + 1) * sizeof(*out->entries));
    error = ids && out->entries ? wsc_new_ids(ids, plan->ntargets) : WSA_NOT_ENOUGH_MEMORY;
    if (error) {
        free(ids);
        return error;
    }
    make_dummy(&out->entries[0], path, req, plan->targets[0], dummy_id);
    chains = &out->entries[1];
    for (i = 0; i < plan->ntargets; i++) {
        guid = chain_guid(plan, chains, i, req, plan->targets[i]);
        make_chain(&chains[i], path, req, plan->targets[i], &guid, dummy_id, ids[i]);
    }
    memcpy(&chains[plan->ntargets], plan->old.entries,
           plan->old.count * sizeof(*plan->old.entries));
    out->count = 1 + plan->ntargets + plan->old.count;
    free(ids);
    return 0;
}

/* Called with the catalog lock held. */
static int install_chains_locked(const enum catalog_view *views, DWORD nviews,
                                 CHAR paths[][MAX_PATH], const struct chains_request *req,
                                 struct view_plan *plans, DWORD *dummy_id)
{
    struct catalog old[WSC_MAX_VIEWS], updated[WSC_MAX_VIEWS];
    DWORD v;
    int error = 0;

    for (v = 0; !error && v < nviews; v++)
        error = catalog_read(views[v], &plans[v].old);
    for (v = 0; !error && v < nviews; v++)
        if (wsc_has_provider(&plans[v].old, req->provider) ||
            name_taken(&plans[v].old, req->lsp_name))
            error = WSAEINVAL;
    for (v = 0; !error && v < nviews; v++)
        error = find_targets(&plans[v], req);
    if (!error)
        error = catalog_next_id(dummy_id);
    for (v = 0; !error && v < nviews; v++)
        error = build(&plans[v], req, paths[v], *dummy_id);
    if (error)
        return error;
    for (v = 0; v < nviews; v++) {
        old[v] = plans[v].old;
        updated[v] = plans[v].updated;
    }
    return wsc_write_views(views, nviews, old, updated);
}

static int install_chains(const enum catalog_view *views, DWORD nviews, CHAR paths[][MAX_PATH],
                          const struct chains_request *req, LPDWORD lpdwCatalogEntryId,
                          LPINT lpErrno)
{
    struct view_plan plans[WSC_MAX_VIEWS];
    DWORD dummy_id = 0, v;
    int error;

    if (!req->provider || !req->lsp_name || !req->lsp_name[0] ||
        wcsnlen(req->lsp_name, WSAPROTOCOL_LEN + 1) > WSAPROTOCOL_LEN ||
        (req->list && !req->n))
        return wsc_fail(lpErrno, WSAEINVAL);
    memset(plans, 0, sizeof(plans));
    error = catalog_lock();
    if (error)
        return wsc_fail(lpErrno, error);
    error = install_chains_locked(views, nviews, paths, req, plans, &dummy_id);
    catalog_unlock();
    for (v = 0; v < nviews; v++) {
        catalog_free(&plans[v].old);
        catalog_free(&plans[v].updated);
        free(plans[v].targets);
    }
    if (error)
        return wsc_fail(lpErrno, error);
    if (lpdwCatalogEntryId)
        *lpdwCatalogEntryId = dummy_id;
    return 0;
}

/* Documented for the 64_32 call: without a 32-bit path the one path must be
 * %windir%\system32\<dllname>, which each bitness resolves to its own copy. */
static BOOL in_windir_system32(const WCHAR *path)
{
    static const WCHAR prefix[] = L"%windir%\\system32\\";
    size_t n = wcslen(prefix);

    return !_wcsnicmp(path, prefix, n) && path[n] && !wcschr(path + n, L'\\');
}

int WSPAPI WSCInstallProviderAndChains(const LPGUID lpProviderId, const LPWSTR lpszProviderDllPath,
                                       const LPWSTR lpszLspName, DWORD dwServiceFlags,
                                       const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                       DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId,
                                       LPINT lpErrno)
{
    static const enum catalog_view native[] = { CATALOG_NATIVE };
    struct chains_request req = { lpProviderId, lpszLspName, dwServiceFlags, lpProtocolInfoList,
                                  dwNumberOfEntries };
    CHAR paths[1][MAX_PATH];

    if (!lpErrno)
        return wsc_no_errno();
    /* Documented: an invalid or over-long path is WSAEINVAL, NULL included. */
    if (wsc_path_to_ansi(lpszProviderDllPath, paths[0]))
        return wsc_fail(lpErrno, WSAEINVAL);
    return install_chains(native, 1, paths, &req, lpdwCatalogEntryId, lpErrno);
}

int WSPAPI WSCInstallProviderAndChains64_32(const LPGUID lpProviderId,
                                            const LPWSTR lpszProviderDllPath,
                                            const LPWSTR lpszProviderDllPath32,
                                            const LPWSTR lpszLspName, DWORD dwServiceFlags,
                                            const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                            DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId,
                                            LPINT lpErrno)
{
    struct chains_request req = { lpProviderId, lpszLspName, dwServiceFlags, lpProtocolInfoList,
                                  dwNumberOfEntries };
    CHAR paths[WSC_MAX_VIEWS][MAX_PATH];
    const WCHAR *path32 = lpszProviderDllPath32 ? lpszProviderDllPath32 : lpszProviderDllPath;

    if (!lpErrno)
        return wsc_no_errno();
    /* The 32-bit path goes to the last catalog: on x86 the only one, which
     * is the 32-bit catalog there. */
    if (wsc_path_to_ansi(lpszProviderDllPath, paths[0]) ||
        (!lpszProviderDllPath32 && !in_windir_system32(lpszProviderDllPath)) ||
        wsc_path_to_ansi(path32, paths[wsc_both_count - 1]))
        return wsc_fail(lpErrno, WSAEINVAL);
    return install_chains(wsc_both_views, wsc_both_count, paths, &req, lpdwCatalogEntryId,
                          lpErrno);
}
