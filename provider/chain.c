/* SPDX-License-Identifier: MIT */
/* Resolving our chains from the catalog and starting the next providers.
 * Nothing here knows a provider by name or GUID (L02): the chain entry
 * says which layered entry is ours and which entry comes next, and the
 * catalog says where that entry's DLL is. */
#include <string.h>
#include "lsp.h"
#include "chain.h"

static CRITICAL_SECTION chain_lock;
static INIT_ONCE chain_lock_once = INIT_ONCE_STATIC_INIT;
static struct layer *layers;
static struct lower *lowers;

/* A snapshot of the whole catalog, hidden and layered entries included. */
struct catalog {
    WSAPROTOCOL_INFOW *entries;
    int count;
};

static BOOL CALLBACK init_chain_lock(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    InitializeCriticalSection(&chain_lock);
    return TRUE;
}

/* A critical section, not an SRW lock: starting a lower that is this very
 * DLL resolves its chain on the same thread, under the same lock. */
static void lock_chains(void)
{
    InitOnceExecuteOnce(&chain_lock_once, init_chain_lock, NULL, NULL);
    EnterCriticalSection(&chain_lock);
}

static int read_catalog(struct catalog *cat)
{
    DWORD size = 0;
    int error = 0, count;

    /* The catalog may grow between asking for the size and reading it. */
    for (;;) {
        cat->entries = size ? HeapAlloc(GetProcessHeap(), 0, size) : NULL;
        if (size && !cat->entries)
            return WSAENOBUFS;
        count = WSCEnumProtocols(NULL, cat->entries, &size, &error);
        if (count != SOCKET_ERROR) {
            cat->count = count;
            return 0;
        }
        HeapFree(GetProcessHeap(), 0, cat->entries);
        if (error != WSAENOBUFS)
            return WSAEPROVIDERFAILEDINIT;
    }
}

static const WSAPROTOCOL_INFOW *find_id(const struct catalog *cat, DWORD id)
{
    int i;

    for (i = 0; i < cat->count; i++)
        if (cat->entries[i].dwCatalogEntryId == id)
            return &cat->entries[i];
    return NULL;
}

static BOOL same_chain(const WSAPROTOCOLCHAIN *a, const WSAPROTOCOLCHAIN *b)
{
    return a->ChainLen == b->ChainLen &&
           !memcmp(a->ChainEntries, b->ChainEntries, a->ChainLen * sizeof(a->ChainEntries[0]));
}

/* The catalog entry with exactly this chain, if any. */
static const WSAPROTOCOL_INFOW *find_chain(const struct catalog *cat,
                                           const WSAPROTOCOLCHAIN *chain)
{
    int i;

    for (i = 0; i < cat->count; i++)
        if (same_chain(&cat->entries[i].ProtocolChain, chain))
            return &cat->entries[i];
    return NULL;
}

static BOOL same_entry(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->dwCatalogEntryId == b->dwCatalogEntryId &&
           same_chain(&a->ProtocolChain, &b->ProtocolChain);
}

/* The protocol info to start the next link with, and the provider whose
 * DLL serves it. */
static int next_link(const struct catalog *cat, const WSAPROTOCOL_INFOW *mine,
                     WSAPROTOCOL_INFOW *next_info, GUID *next_provider)
{
    const WSAPROTOCOLCHAIN *chain = &mine->ProtocolChain;
    const WSAPROTOCOL_INFOW *own = find_id(cat, chain->ChainEntries[0]);
    const WSAPROTOCOL_INFOW *next = find_id(cat, chain->ChainEntries[1]);
    const WSAPROTOCOL_INFOW *existing;
    WSAPROTOCOL_INFOW shifted;

    if (!own || own->ProtocolChain.ChainLen != LAYERED_PROTOCOL || !next)
        return WSAEINVALIDPROVIDER;
    *next_provider = next->ProviderId;
    if (chain->ChainLen == 2) {
        if (next->ProtocolChain.ChainLen != BASE_PROTOCOL)
            return WSAEINVALIDPROVIDER;
        *next_info = *next;
        return 0;
    }
    if (next->ProtocolChain.ChainLen != LAYERED_PROTOCOL)
        return WSAEINVALIDPROVIDER;
    shifted = *mine;
    shifted.ProtocolChain.ChainLen = chain->ChainLen - 1;
    memmove(shifted.ProtocolChain.ChainEntries, chain->ChainEntries + 1,
            (chain->ChainLen - 1) * sizeof(chain->ChainEntries[0]));
    memset(shifted.ProtocolChain.ChainEntries + chain->ChainLen - 1, 0,
           (MAX_PROTOCOL_CHAIN - chain->ChainLen + 1) * sizeof(chain->ChainEntries[0]));
    /* The next provider's own chain entry for the rest of our chain, when
     * it installed one; otherwise it gets the shifted chain under the id of
     * its layered entry, as a layer above a shorter chain would. */
    existing = find_chain(cat, &shifted.ProtocolChain);
    if (existing) {
        *next_info = *existing;
        return 0;
    }
    shifted.dwCatalogEntryId = next->dwCatalogEntryId;
    shifted.ProviderId = next->ProviderId;
    shifted.dwProviderReserved = 0;
    *next_info = shifted;
    return 0;
}

static BOOL proc_table_complete(const WSPPROC_TABLE *procs)
{
    const FARPROC *entry = (const FARPROC *)procs;
    size_t i;

    for (i = 0; i < sizeof(*procs) / sizeof(FARPROC); i++)
        if (!entry[i])
            return FALSE;
    return TRUE;
}

/* Starts the next provider through its own WSPStartup, with our upcall
 * table. When the next link is this DLL again (a chain that runs through
 * us twice), the lower link is resolved here and now instead: one module
 * keeps one start count, so its last WSPCleanup can unload everything. */
static int start_lower(struct lower *lower)
{
    LPWSPSTARTUP startup;
    WSPDATA data;
    int error;

    if (lower->module == lsp_module) {
        struct layer *layer;
        error = chain_layer(&lower->info, &layer);
        if (!error)
            lsp_fill_proc_table(&lower->procs);
        return error;
    }
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(lower->module, "WSPStartup");
    if (!startup || startup(MAKEWORD(2, 2), &data, &lower->info, lsp_upcalls, &lower->procs))
        return WSAEPROVIDERFAILEDINIT;
    if (data.wVersion != MAKEWORD(2, 2) || !proc_table_complete(&lower->procs)) {
        if (lower->procs.lpWSPCleanup)
            lower->procs.lpWSPCleanup(&error);
        return WSAEPROVIDERFAILEDINIT;
    }
    return 0;
}

static int load_lower(const WSAPROTOCOL_INFOW *info, GUID *provider, struct lower **out)
{
    WCHAR stored[MAX_PATH], path[MAX_PATH];
    int len = MAX_PATH, error = 0;
    struct lower *lower;

    if (WSCGetProviderPath(provider, stored, &len, &error) == SOCKET_ERROR)
        return WSAEPROVIDERFAILEDINIT;
    if (!ExpandEnvironmentStringsW(stored, path, MAX_PATH))
        return WSAEPROVIDERFAILEDINIT;
    lower = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*lower));
    if (!lower)
        return WSAENOBUFS;
    lower->info = *info;
    lower->module = LoadLibraryW(path);
    error = lower->module ? start_lower(lower) : WSAEPROVIDERFAILEDINIT;
    if (error) {
        if (lower->module)
            FreeLibrary(lower->module);
        HeapFree(GetProcessHeap(), 0, lower);
        return error;
    }
    lower->next = lowers;
    lowers = lower;
    *out = lower;
    return 0;
}

static int get_lower(const WSAPROTOCOL_INFOW *info, GUID *provider, struct lower **out)
{
    struct lower *lower;

    for (lower = lowers; lower; lower = lower->next) {
        if (same_entry(&lower->info, info)) {
            *out = lower;
            return 0;
        }
    }
    return load_lower(info, provider, out);
}

static int new_layer(const WSAPROTOCOL_INFOW *info, struct layer **out)
{
    struct catalog cat;
    const WSAPROTOCOL_INFOW *listed;
    WSAPROTOCOL_INFOW next_info;
    GUID next_provider;
    struct layer *layer;
    int error = read_catalog(&cat);

    if (error)
        return error;
    error = next_link(&cat, info, &next_info, &next_provider);
    layer = error ? NULL : HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*layer));
    if (!error && !layer)
        error = WSAENOBUFS;
    if (!error) {
        /* The catalog's own copy, when it has the entry, answers
         * SO_PROTOCOL_INFO (L05); a shifted chain has none. */
        listed = find_id(&cat, info->dwCatalogEntryId);
        layer->info = listed && same_entry(listed, info) ? *listed : *info;
        layer->info.dwProviderReserved = 0;
        error = get_lower(&next_info, &next_provider, &layer->lower);
    }
    HeapFree(GetProcessHeap(), 0, cat.entries);
    if (error) {
        HeapFree(GetProcessHeap(), 0, layer);
        return error;
    }
    layer->next = layers;
    layers = layer;
    *out = layer;
    return 0;
}

int chain_layer(const WSAPROTOCOL_INFOW *info, struct layer **out)
{
    struct layer *layer;
    int error = 0;

    if (info->ProtocolChain.ChainLen < 2 || info->ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN)
        return WSAEINVAL;
    lock_chains();
    for (layer = layers; layer; layer = layer->next)
        if (same_entry(&layer->info, info))
            break;
    if (!layer)
        error = new_layer(info, &layer);
    LeaveCriticalSection(&chain_lock);
    if (!error)
        *out = layer;
    return error;
}

int chain_for_each_lower(int (*fn)(struct lower *lower, void *arg), void *arg)
{
    struct lower *lower;
    int result = 0;

    lock_chains();
    for (lower = lowers; lower && !result; lower = lower->next)
        result = fn(lower, arg);
    LeaveCriticalSection(&chain_lock);
    return result;
}

void chain_unload_all(void)
{
    struct layer *layer;
    struct lower *lower;
    int error;

    lock_chains();
    while ((layer = layers)) {
        layers = layer->next;
        HeapFree(GetProcessHeap(), 0, layer);
    }
    while ((lower = lowers)) {
        lowers = lower->next;
        /* A lower that is this DLL was never started through WSPStartup. */
        if (lower->module != lsp_module)
            lower->procs.lpWSPCleanup(&error);
        FreeLibrary(lower->module);
        HeapFree(GetProcessHeap(), 0, lower);
    }
    LeaveCriticalSection(&chain_lock);
}
