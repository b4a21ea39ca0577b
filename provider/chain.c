/* SPDX-License-Identifier: MIT */
/* Resolving our chains from the catalog and starting the next providers.
 * Nothing here knows a provider by name or GUID (L02). As the WSPStartup
 * documentation has it, a layered provider finds its place by searching
 * the chain it is given for its own catalog id, and hands the chain on
 * unmodified to a next layered provider (a base provider gets its own
 * entry). Our ids are those of the layered entries whose DLL is this
 * module, so any GUID the installer chose works, and the chain may put
 * other LSPs above, below or between us. */
#include <string.h>
#include <stdlib.h>
#include "lsp.h"
#include "chain.h"
#include "../common/lazy_lock.h"

/* Recursive: starting a lower that is this very DLL resolves its chain on
 * the same thread, under the same lock. */
static struct lazy_lock chain_lock;
static INIT_ONCE descent_once = INIT_ONCE_STATIC_INIT;
static struct layer *layers;
static struct lower *lowers;
/* The thread's innermost struct chain_descent (see chain.h). */
static DWORD descent_slot = TLS_OUT_OF_INDEXES;

/* A snapshot of the whole catalog, hidden and layered entries included. */
struct catalog {
    WSAPROTOCOL_INFOW *entries;
    int count;
};

static BOOL CALLBACK alloc_descent_slot(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    descent_slot = TlsAlloc();
    return descent_slot != TLS_OUT_OF_INDEXES;
}

/* The descent slot is made the first time the lock is taken, which every
 * path does (chain_layer) before it descends into a chain. */
static void lock_chains(void)
{
    InitOnceExecuteOnce(&descent_once, alloc_descent_slot, NULL, NULL);
    lazy_lock_enter(&chain_lock);
}

/* A provider's DLL path from the catalog, expanded; FALSE when it does
 * not fit (a cut path could name another DLL). */
static BOOL provider_path(GUID *provider, WCHAR *path)
{
    WCHAR stored[MAX_PATH];
    int len = MAX_PATH, error = 0;
    DWORD n;

    if (WSCGetProviderPath(provider, stored, &len, &error) == SOCKET_ERROR)
        return FALSE;
    n = ExpandEnvironmentStringsW(stored, path, MAX_PATH);
    return n > 0 && n <= MAX_PATH;
}

static int read_catalog(struct catalog *cat)
{
    DWORD size = 0;
    int error = 0, count;

    /* The catalog may grow between asking for the size and reading it. */
    for (;;) {
        cat->entries = size ? malloc(size) : NULL;
        if (size && !cat->entries)
            return WSAENOBUFS;
        count = WSCEnumProtocols(NULL, cat->entries, &size, &error);
        if (count != SOCKET_ERROR) {
            cat->count = count;
            return 0;
        }
        free(cat->entries);
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

static BOOL same_entry(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->dwCatalogEntryId == b->dwCatalogEntryId &&
           same_chain(&a->ProtocolChain, &b->ProtocolChain);
}

/* Whether catalog entry `id` is one of our layered entries: a layered
 * entry whose provider's DLL is this module. */
static BOOL own_layered_entry(const struct catalog *cat, DWORD id)
{
    const WSAPROTOCOL_INFOW *entry = find_id(cat, id);
    WCHAR path[MAX_PATH];
    GUID provider;

    if (!entry || entry->ProtocolChain.ChainLen != LAYERED_PROTOCOL)
        return FALSE;
    provider = entry->ProviderId;
    return provider_path(&provider, path) && GetModuleHandleW(path) == lsp_module;
}

/* Our position in `chain`: the first link from `from` on that is one of
 * our layered entries and has a link after it; -1 if there is none. */
static int own_position(const struct catalog *cat, const WSAPROTOCOLCHAIN *chain, int from)
{
    int i;

    for (i = from; i < chain->ChainLen - 1; i++)
        if (own_layered_entry(cat, chain->ChainEntries[i]))
            return i;
    return -1;
}

/* Whether the sockets of the link after `position` are IFS handles: only
 * when every provider from there down hands out IFS handles. */
static BOOL ifs_below(const struct catalog *cat, const WSAPROTOCOLCHAIN *chain, int position)
{
    const WSAPROTOCOL_INFOW *link;
    int i;

    for (i = position + 1; i < chain->ChainLen; i++) {
        link = find_id(cat, chain->ChainEntries[i]);
        if (!link || !(link->dwServiceFlags1 & XP1_IFS_HANDLES))
            return FALSE;
    }
    return TRUE;
}

/* The link after `position`: the protocol info to start it with (a base
 * provider gets its own catalog entry, a layered one the chain we were
 * given), its catalog id, and the provider whose DLL serves it. */
static int next_link(const struct catalog *cat, const WSAPROTOCOL_INFOW *mine, int position,
                     struct lower *next)
{
    const WSAPROTOCOLCHAIN *chain = &mine->ProtocolChain;
    const WSAPROTOCOL_INFOW *entry = find_id(cat, chain->ChainEntries[position + 1]);
    BOOL last = position + 2 == chain->ChainLen;

    if (!entry || entry->ProtocolChain.ChainLen != (last ? BASE_PROTOCOL : LAYERED_PROTOCOL))
        return WSAEINVALIDPROVIDER;
    next->entry_id = entry->dwCatalogEntryId;
    next->provider = entry->ProviderId;
    next->info = last ? *entry : *mine;
    next->ifs_handles = ifs_below(cat, chain, position);
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

/* Where the search for our position starts for `info`: after the deepest
 * of our layers for the same chain that this thread is inside of, since a
 * provider below that layer calls us with the chain it was given. */
static int search_start(const WSAPROTOCOL_INFOW *info)
{
    const struct chain_descent *d = TlsGetValue(descent_slot);
    int from = 0;

    for (; d; d = d->outer)
        if (same_entry(&d->layer->info, info) && d->layer->position + 1 > from)
            from = d->layer->position + 1;
    return from;
}

static int layer_at(const WSAPROTOCOL_INFOW *info, int from, struct layer **out);

/* Starts the next provider through its own WSPStartup, with our upcall
 * table and inside `above`, so that it may start us again for a deeper
 * link. When the next link is this DLL again, that link is resolved here
 * and now instead: one module keeps one start count, so its last
 * WSPCleanup can unload everything. */
static int start_lower(struct lower *lower, const struct layer *above)
{
    struct chain_descent descent;
    LPWSPSTARTUP startup;
    struct layer *layer;
    WSPDATA data;
    int error;

    if (lower->module == lsp_module) {
        error = layer_at(&lower->info, above->position + 1, &layer);
        if (!error)
            lower->procs = lsp_procs;
        return error;
    }
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(lower->module, "WSPStartup");
    if (!startup)
        return WSAEPROVIDERFAILEDINIT;
    chain_descend(&descent, above);
    error = startup(MAKEWORD(2, 2), &data, &lower->info, lsp_upcalls, &lower->procs);
    chain_ascend(&descent);
    if (error)
        return WSAEPROVIDERFAILEDINIT;
    if (data.wVersion != MAKEWORD(2, 2) || !proc_table_complete(&lower->procs)) {
        if (lower->procs.lpWSPCleanup)
            lower->procs.lpWSPCleanup(&error);
        return WSAEPROVIDERFAILEDINIT;
    }
    return 0;
}

static int load_lower(const struct layer *above, const struct lower *next, struct lower **out)
{
    WCHAR path[MAX_PATH];
    struct lower *lower;
    GUID provider = next->provider;
    int error;

    if (!provider_path(&provider, path))
        return WSAEPROVIDERFAILEDINIT;
    lower = calloc(1, sizeof(*lower));
    if (!lower)
        return WSAENOBUFS;
    *lower = *next;
    lower->module = LoadLibraryW(path);
    error = lower->module ? start_lower(lower, above) : WSAEPROVIDERFAILEDINIT;
    if (error) {
        if (lower->module)
            FreeLibrary(lower->module);
        free(lower);
        return error;
    }
    lower->next = lowers;
    lowers = lower;
    *out = lower;
    return 0;
}

/* One lower per next link: the entry it serves and the info it gets. */
static int get_lower(const struct layer *above, const struct lower *next, struct lower **out)
{
    struct lower *lower;

    for (lower = lowers; lower; lower = lower->next) {
        if (lower->entry_id == next->entry_id && same_entry(&lower->info, &next->info)) {
            *out = lower;
            return 0;
        }
    }
    return load_lower(above, next, out);
}

static int new_layer(const WSAPROTOCOL_INFOW *info, int from, struct layer **out)
{
    struct catalog cat;
    const WSAPROTOCOL_INFOW *listed;
    struct lower next;
    struct layer *layer = NULL;
    int error = read_catalog(&cat), position = -1;

    memset(&next, 0, sizeof(next));
    if (!error) {
        position = own_position(&cat, &info->ProtocolChain, from);
        error = position < 0 ? WSAEINVALIDPROVIDER : next_link(&cat, info, position, &next);
    }
    if (!error && !(layer = calloc(1, sizeof(*layer))))
        error = WSAENOBUFS;
    if (!error) {
        /* The catalog's own copy, when it has the entry, answers
         * SO_PROTOCOL_INFO (L05). */
        listed = find_id(&cat, info->dwCatalogEntryId);
        layer->info = listed && same_entry(listed, info) ? *listed : *info;
        layer->info.dwProviderReserved = 0;
        layer->from = from;
        layer->position = position;
        error = get_lower(layer, &next, &layer->lower);
    }
    free(cat.entries);
    if (error) {
        free(layer);
        return error;
    }
    layer->next = layers;
    layers = layer;
    *out = layer;
    return 0;
}

/* The layer for `info` whose position was searched for from `from` on;
 * called with the chain lock held. */
static int layer_at(const WSAPROTOCOL_INFOW *info, int from, struct layer **out)
{
    struct layer *layer;

    for (layer = layers; layer; layer = layer->next) {
        if (layer->from == from && same_entry(&layer->info, info)) {
            *out = layer;
            return 0;
        }
    }
    return new_layer(info, from, out);
}

int chain_layer(const WSAPROTOCOL_INFOW *info, struct layer **out)
{
    int error;

    if (info->ProtocolChain.ChainLen < 2 || info->ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN)
        return WSAEINVAL;
    lock_chains();
    error = layer_at(info, search_start(info), out);
    lazy_lock_leave(&chain_lock);
    return error;
}

int chain_stream_layer(int family, struct layer **out)
{
    struct catalog cat;
    int error = read_catalog(&cat);

    if (error)
        return error;
    error = WSAEAFNOSUPPORT;
    for (int i = 0; i < cat.count && error; i++) {
        const WSAPROTOCOL_INFOW *entry = &cat.entries[i];

        if (entry->ProtocolChain.ChainLen > 1 && entry->iAddressFamily == family &&
            entry->iSocketType == SOCK_STREAM && entry->iProtocol == IPPROTO_TCP &&
            chain_layer(entry, out) == 0)
            error = 0;
    }
    free(cat.entries);
    return error;
}

void chain_descend(struct chain_descent *descent, const struct layer *layer)
{
    descent->layer = layer;
    descent->outer = TlsGetValue(descent_slot);
    TlsSetValue(descent_slot, descent);
}

void chain_ascend(struct chain_descent *descent)
{
    TlsSetValue(descent_slot, descent->outer);
}

int chain_for_each_lower(int (*fn)(struct lower *lower, void *arg), void *arg)
{
    struct lower *lower;
    int result = 0;

    lock_chains();
    for (lower = lowers; lower && !result; lower = lower->next)
        result = fn(lower, arg);
    lazy_lock_leave(&chain_lock);
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
        free(layer);
    }
    while ((lower = lowers)) {
        lowers = lower->next;
        /* A lower that is this DLL was never started through WSPStartup. */
        if (lower->module != lsp_module)
            lower->procs.lpWSPCleanup(&error);
        FreeLibrary(lower->module);
        free(lower);
    }
    lazy_lock_leave(&chain_lock);
}
