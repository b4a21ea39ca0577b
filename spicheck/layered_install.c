/* SPDX-License-Identifier: MIT */
/* layered_install.c: see layered_install.h. */
#include "layered_install.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <sporder.h>

/* The whole catalog, hidden and layered entries included; NULL on failure. */
static WSAPROTOCOL_INFOW *read_catalog(int *count, int *error)
{
    WSAPROTOCOL_INFOW *entries = NULL;
    DWORD size = 0;

    for (;;) {
        *count = WSCEnumProtocols(NULL, entries, &size, error);
        if (*count != SOCKET_ERROR) {
            *error = 0;
            return entries;
        }
        free(entries);
        entries = NULL;
        if (*error != WSAENOBUFS || !(entries = malloc(size)))
            return NULL;
    }
}

static const WSAPROTOCOL_INFOW *find_id(const WSAPROTOCOL_INFOW *entries, int count, DWORD id)
{
    int i;

    for (i = 0; i < count; i++)
        if (entries[i].dwCatalogEntryId == id)
            return &entries[i];
    return NULL;
}

int layered_catalog_entry(DWORD id, WSAPROTOCOL_INFOW *out)
{
    int count, error = 0;
    WSAPROTOCOL_INFOW *entries = read_catalog(&count, &error);
    const WSAPROTOCOL_INFOW *entry;

    if (!entries)
        return error;
    entry = find_id(entries, count, id);
    if (entry)
        *out = *entry;
    free(entries);
    return entry ? 0 : WSAEINVAL;
}

static BOOL is_tcp_or_udp_base(const WSAPROTOCOL_INFOW *info)
{
    return info->ProtocolChain.ChainLen == BASE_PROTOCOL &&
           (info->iAddressFamily == AF_INET || info->iAddressFamily == AF_INET6) &&
           ((info->iSocketType == SOCK_STREAM && info->iProtocol == IPPROTO_TCP) ||
            (info->iSocketType == SOCK_DGRAM && info->iProtocol == IPPROTO_UDP));
}

DWORD layered_base_entries(DWORD *ids, DWORD max)
{
    int count, error, i;
    WSAPROTOCOL_INFOW *entries = read_catalog(&count, &error);
    DWORD found = 0;

    for (i = 0; entries && i < count && found < max; i++)
        if (is_tcp_or_udp_base(&entries[i]))
            ids[found++] = entries[i].dwCatalogEntryId;
    free(entries);
    return found;
}

/* The chain of a new chain entry over `below`: our layered entry, then
 * `below` itself when it is a base entry, or its whole chain when it is a
 * chain entry of another layered provider. */
static int chain_over(const WSAPROTOCOL_INFOW *below, DWORD layered_id, WSAPROTOCOLCHAIN *chain)
{
    const WSAPROTOCOLCHAIN *under = &below->ProtocolChain;

    memset(chain, 0, sizeof(*chain));
    chain->ChainEntries[0] = layered_id;
    if (under->ChainLen == BASE_PROTOCOL) {
        chain->ChainEntries[1] = below->dwCatalogEntryId;
        chain->ChainLen = 2;
        return 0;
    }
    if (under->ChainLen < 2 || under->ChainLen >= MAX_PROTOCOL_CHAIN)
        return WSAEINVAL;
    memcpy(chain->ChainEntries + 1, under->ChainEntries,
           under->ChainLen * sizeof(under->ChainEntries[0]));
    chain->ChainLen = under->ChainLen + 1;
    return 0;
}

static void name_entry(WSAPROTOCOL_INFOW *info, const WCHAR *prefix, const WCHAR *below)
{
    _snwprintf(info->szProtocol, WSAPROTOCOL_LEN, L"%ls%ls", prefix, below);
    info->szProtocol[WSAPROTOCOL_LEN] = 0;
}

static int install_layered_entry(const WCHAR *dll_path, const WSAPROTOCOL_INFOW *model,
                                 const GUID *guid)
{
    WSAPROTOCOL_INFOW info = *model;
    int error = 0;

    info.ProviderId = *guid;
    info.dwCatalogEntryId = 0;
    info.dwProviderReserved = 0;
    info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    info.dwProviderFlags |= PFL_HIDDEN;
    info.dwProviderFlags &= ~PFL_RECOMMENDED_PROTO_ENTRY;
    memset(&info.ProtocolChain, 0, sizeof(info.ProtocolChain));
    info.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    name_entry(&info, L"lspkit layered", L"");
    return WSCInstallProvider((GUID *)guid, dll_path, &info, 1, &error) ? error : 0;
}

/* The id of the entry of `guid` with chain length `chain_len` (any, for
 * the layered entry) whose chain is `chain` (when not NULL). */
static DWORD find_installed(const WSAPROTOCOL_INFOW *entries, int count, const GUID *guid,
                            const WSAPROTOCOLCHAIN *chain)
{
    int i;

    for (i = 0; i < count; i++) {
        if (!IsEqualGUID(&entries[i].ProviderId, guid))
            continue;
        if (!chain || !memcmp(&entries[i].ProtocolChain, chain, sizeof(*chain)))
            return entries[i].dwCatalogEntryId;
    }
    return 0;
}

/* The new chains first, then everything else in its present order. */
static int put_first(const struct layered_install *installed)
{
    int count, error = 0, i, n = 0;
    WSAPROTOCOL_INFOW *entries = read_catalog(&count, &error);
    DWORD *order, j;

    if (!entries)
        return error;
    order = malloc(count * sizeof(*order));
    if (!order) {
        free(entries);
        return WSAENOBUFS;
    }
    for (j = 0; j < installed->chain_count; j++)
        order[n++] = installed->chain_ids[j];
    for (i = 0; i < count; i++)
        if (!IsEqualGUID(&entries[i].ProviderId, &installed->chain_guid))
            order[n++] = entries[i].dwCatalogEntryId;
    error = WSCWriteProviderOrder(order, n);
    free(order);
    free(entries);
    return error;
}

static int install_chains(const WCHAR *dll_path, const WSAPROTOCOL_INFOW *entries, int count,
                          const DWORD *over, DWORD n, struct layered_install *out)
{
    WSAPROTOCOL_INFOW chains[LAYERED_MAX_CHAINS];
    const WSAPROTOCOL_INFOW *below;
    int error = 0;
    DWORD i;

    for (i = 0; i < n; i++) {
        below = find_id(entries, count, over[i]);
        if (!below)
            return WSAEINVAL;
        chains[i] = *below;
        error = chain_over(below, out->layered_id, &chains[i].ProtocolChain);
        if (error)
            return error;
        chains[i].ProviderId = out->chain_guid;
        chains[i].dwCatalogEntryId = 0;
        chains[i].dwProviderReserved = 0;
        chains[i].dwServiceFlags1 &= ~XP1_IFS_HANDLES;
        name_entry(&chains[i], L"lspkit over ", below->szProtocol);
    }
    if (WSCInstallProvider(&out->chain_guid, dll_path, chains, n, &error))
        return error;
    return 0;
}

/* Reads back the ids the catalog gave the new entries. */
static int find_ids(const DWORD *over, DWORD n, struct layered_install *out)
{
    int count, error = 0;
    WSAPROTOCOL_INFOW *entries = read_catalog(&count, &error);
    WSAPROTOCOLCHAIN chain;
    DWORD i;

    if (!entries)
        return error;
    for (i = 0; i < n && !error; i++) {
        const WSAPROTOCOL_INFOW *below = find_id(entries, count, over[i]);
        error = below ? chain_over(below, out->layered_id, &chain) : WSAEINVAL;
        if (!error && !(out->chain_ids[i] = find_installed(entries, count, &out->chain_guid,
                                                            &chain)))
            error = WSAEINVAL;
    }
    out->chain_count = i;
    free(entries);
    return error;
}

int layered_install(const WCHAR *dll_path, const GUID *layered_guid, const GUID *chain_guid,
                    const DWORD *over, DWORD n, struct layered_install *out)
{
    WSAPROTOCOL_INFOW *entries;
    const WSAPROTOCOL_INFOW *model;
    int count, error = 0;

    if (!n || n > LAYERED_MAX_CHAINS)
        return WSAEINVAL;
    memset(out, 0, sizeof(*out));
    out->layered_guid = *layered_guid;
    out->chain_guid = *chain_guid;
    layered_uninstall(out);
    entries = read_catalog(&count, &error);
    if (!entries)
        return error;
    model = find_id(entries, count, over[0]);
    error = model ? install_layered_entry(dll_path, model, layered_guid) : WSAEINVAL;
    free(entries);
    if (error)
        return error;
    entries = read_catalog(&count, &error);
    if (!entries)
        return error;
    out->layered_id = find_installed(entries, count, layered_guid, NULL);
    error = out->layered_id ? install_chains(dll_path, entries, count, over, n, out) : WSAEINVAL;
    free(entries);
    if (!error)
        error = find_ids(over, n, out);
    if (!error)
        error = put_first(out);
    return error;
}

void layered_uninstall(const struct layered_install *installed)
{
    int error;

    WSCDeinstallProvider((GUID *)&installed->chain_guid, &error);
    WSCDeinstallProvider((GUID *)&installed->layered_guid, &error);
}
