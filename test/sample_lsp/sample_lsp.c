/* SPDX-License-Identifier: MIT */
/* sample_lsp.c: a test fixture, a layered provider written the way
 * Microsoft's LSP sample (Windows-classic-samples, netds/winsock/lsp)
 * teaches, so that lspkit is tried against the conventions of the LSPs
 * that descend from it, not its own:
 *  - it knows itself by a GUID built in, exported through GetLspGuid for
 *    its installer, and takes the first catalog entry with that GUID as
 *    its hidden layered entry;
 *  - it finds its link in the chain it is started with by that entry's
 *    catalog id, and starts the next provider with the chain unmodified
 *    (a base provider with the base entry);
 *  - it routes WSASendMsg and WSAPoll to itself as Windows Vista and later
 *    do: SIO_BSP_HANDLE(_POLL) name its own socket, and it answers
 *    SIO_EXT_SENDMSG and SIO_EXT_POLL.
 * It is an IFS-style provider (like the sample's ifslsp): its sockets are
 * its lower provider's, and it takes only the calls it counts and
 * SO_PROTOCOL_INFO(W), which names its chain entry, so one lower DLL
 * serves all its chains. What it counts, a test reads with the
 * vendor ioctl SAMPLE_LSP_COUNTERS, which passes through the providers
 * above it to reach it. Built twice, with two GUIDs (sample_lsp.h). */
#include "sample_lsp.h"

#include <mswsock.h>
#include <string.h>

static const GUID lsp_guid = SAMPLE_LSP_GUID;

/* One link per chain entry we were started for. */
struct link {
    DWORD chain_entry;
    WSAPROTOCOLCHAIN chain;
    WSAPROTOCOL_INFOW info;       /* the chain entry, as we were given it */
    WSAPROTOCOL_INFOW next_info;  /* what the next provider is started with */
};

#define MAX_LINKS 32
#define MAX_SOCKETS 256

/* Our sockets (the lower provider's handles) and their links. */
struct socket_link {
    SOCKET s;
    const struct link *link;
};

static CRITICAL_SECTION lock;
static struct link links[MAX_LINKS];
static int link_count;
static LONG starts;
static HMODULE lower_module;
static WSPPROC_TABLE lower;       /* the next provider's table */
static WSPUPCALLTABLE upcall_table;
static struct sample_lsp_counters counters;
static struct socket_link sockets[MAX_SOCKETS];

void WSPAPI GetLspGuid(LPGUID guid)
{
    *guid = lsp_guid;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH)
        InitializeCriticalSection(&lock);
    return TRUE;
}

static WSAPROTOCOL_INFOW *read_catalog(int *count)
{
    WSAPROTOCOL_INFOW *list = NULL;
    DWORD size = 0;
    int error;

    if (WSCEnumProtocols(NULL, NULL, &size, &error) != SOCKET_ERROR || error != WSAENOBUFS)
        return NULL;
    list = HeapAlloc(GetProcessHeap(), 0, size);
    if (list && (*count = WSCEnumProtocols(NULL, list, &size, &error)) == SOCKET_ERROR) {
        HeapFree(GetProcessHeap(), 0, list);
        list = NULL;
    }
    return list;
}

static const WSAPROTOCOL_INFOW *find_id(const WSAPROTOCOL_INFOW *list, int count, DWORD id)
{
    int i;

    for (i = 0; i < count; i++)
        if (list[i].dwCatalogEntryId == id)
            return &list[i];
    return NULL;
}

static struct link *find_link(const WSAPROTOCOL_INFOW *info)
{
    int i;

    for (i = 0; i < link_count; i++)
        if (links[i].chain_entry == info->dwCatalogEntryId &&
            !memcmp(&links[i].chain, &info->ProtocolChain, sizeof(links[i].chain)))
            return &links[i];
    return NULL;
}

/* Loads and starts the next provider (the first time), checking that it
 * is the DLL every other link has. */
static int start_next(const WSAPROTOCOL_INFOW *next_entry, const WSAPROTOCOL_INFOW *next_info,
                      WSPUPCALLTABLE upcalls)
{
    WCHAR stored[MAX_PATH], path[MAX_PATH];
    int len = MAX_PATH, error = 0;
    GUID provider = next_entry->ProviderId;
    WSPDATA data;
    HMODULE module;
    LPWSPSTARTUP startup;

    if (WSCGetProviderPath(&provider, stored, &len, &error) == SOCKET_ERROR ||
        !ExpandEnvironmentStringsW(stored, path, MAX_PATH) || !(module = LoadLibraryW(path)))
        return WSAEPROVIDERFAILEDINIT;
    if (lower_module) {
        FreeLibrary(module);
        return module == lower_module ? 0 : WSAEPROVIDERFAILEDINIT;
    }
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(module, "WSPStartup");
    error = startup ? startup(MAKEWORD(2, 2), &data, (LPWSAPROTOCOL_INFOW)next_info, upcalls,
                              &lower)
                    : WSAEPROVIDERFAILEDINIT;
    if (error) {
        FreeLibrary(module);
        return error;
    }
    lower_module = module;
    return 0;
}

/* The link for `info`: our hidden entry is the first with our GUID; our
 * place is where its id stands in the chain. */
static int add_link(const WSAPROTOCOL_INFOW *info, WSPUPCALLTABLE upcalls)
{
    const WSAPROTOCOLCHAIN *chain = &info->ProtocolChain;
    const WSAPROTOCOL_INFOW *next;
    WSAPROTOCOL_INFOW *catalog;
    struct link *link = &links[link_count];
    DWORD hidden = 0;
    int count = 0, i, at = -1, error;

    if (link_count == MAX_LINKS || !(catalog = read_catalog(&count)))
        return WSAEPROVIDERFAILEDINIT;
    for (i = 0; i < count && !hidden; i++)
        if (IsEqualGUID(&catalog[i].ProviderId, &lsp_guid))
            hidden = catalog[i].dwCatalogEntryId;
    for (i = 0; hidden && i < chain->ChainLen - 1 && at < 0; i++)
        if (chain->ChainEntries[i] == hidden)
            at = i;
    next = at < 0 ? NULL : find_id(catalog, count, chain->ChainEntries[at + 1]);
    error = next ? 0 : WSAEINVALIDPROVIDER;
    if (!error) {
        link->chain_entry = info->dwCatalogEntryId;
        link->chain = *chain;
        link->info = *info;
        link->next_info = next->ProtocolChain.ChainLen == BASE_PROTOCOL ? *next : *info;
        error = start_next(next, &link->next_info, upcalls);
    }
    HeapFree(GetProcessHeap(), 0, catalog);
    if (!error)
        link_count++;
    return error;
}

static DWORD buffers_length(const WSABUF *bufs, DWORD count)
{
    DWORD total = 0, i;

    for (i = 0; bufs && i < count; i++)
        total += bufs[i].len;
    return total;
}

/* Called with the lock held. */
static struct socket_link *socket_slot(SOCKET s)
{
    int i;

    for (i = 0; i < MAX_SOCKETS; i++)
        if (sockets[i].s == s)
            return &sockets[i];
    return NULL;
}

/* A full table only costs the socket its SO_PROTOCOL_INFO answer. */
static SOCKET remember(SOCKET s, const struct link *link)
{
    struct socket_link *slot;

    if (s == INVALID_SOCKET)
        return s;
    EnterCriticalSection(&lock);
    slot = socket_slot(s);
    if (!slot)
        slot = socket_slot(0);
    if (slot) {
        slot->s = s;
        slot->link = link;
    }
    LeaveCriticalSection(&lock);
    return s;
}

static const struct link *link_of(SOCKET s)
{
    struct socket_link *slot;
    const struct link *link;

    EnterCriticalSection(&lock);
    slot = socket_slot(s);
    link = slot ? slot->link : NULL;
    LeaveCriticalSection(&lock);
    return link;
}

static SOCKET WSPAPI sample_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info,
                                   GROUP g, DWORD flags, LPINT lpErrno)
{
    struct link *link = NULL;
    int error = WSAEINVAL;

    /* Windows starts a provider once per GUID, so a socket may come for a
     * chain entry that no WSPStartup named: its link is made now. */
    EnterCriticalSection(&lock);
    if (info && !(link = find_link(info)) && !(error = add_link(info, upcall_table)))
        link = find_link(info);
    LeaveCriticalSection(&lock);
    if (!link) {
        *lpErrno = error;
        return INVALID_SOCKET;
    }
    return remember(lower.lpWSPSocket(af, type, protocol, &link->next_info, g, flags, lpErrno),
                    link);
}

static SOCKET WSPAPI sample_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                                   LPCONDITIONPROC condition, DWORD_PTR data, LPINT lpErrno)
{
    return remember(lower.lpWSPAccept(s, addr, addrlen, condition, data, lpErrno), link_of(s));
}

static int WSPAPI sample_closesocket(SOCKET s, LPINT lpErrno)
{
    struct socket_link *slot;

    EnterCriticalSection(&lock);
    if ((slot = socket_slot(s)))
        slot->s = 0;
    LeaveCriticalSection(&lock);
    return lower.lpWSPCloseSocket(s, lpErrno);
}

/* SO_PROTOCOL_INFO(W) describes our chain entry, as a layered provider's
 * answer must; everything else is the lower provider's. */
static int WSPAPI sample_getsockopt(SOCKET s, int level, int name, char *value, LPINT len,
                                    LPINT lpErrno)
{
    const struct link *link = link_of(s);

    if (link && level == SOL_SOCKET && name == SO_PROTOCOL_INFOW && value && len &&
        *len >= (int)sizeof(WSAPROTOCOL_INFOW)) {
        memcpy(value, &link->info, sizeof(link->info));
        *len = sizeof(link->info);
        return 0;
    }
    return lower.lpWSPGetSockOpt(s, level, name, value, len, lpErrno);
}

static int WSPAPI sample_send(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent, DWORD flags,
                              LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                              LPWSATHREADID thread, LPINT lpErrno)
{
    InterlockedExchangeAdd64(&counters.bytes_sent, buffers_length(bufs, count));
    return lower.lpWSPSend(s, bufs, count, sent, flags, ov, routine, thread, lpErrno);
}

static int WSPAPI sample_sendto(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD sent,
                                DWORD flags, const struct sockaddr *to, int tolen,
                                LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                                LPWSATHREADID thread, LPINT lpErrno)
{
    InterlockedExchangeAdd64(&counters.bytes_sent, buffers_length(bufs, count));
    return lower.lpWSPSendTo(s, bufs, count, sent, flags, to, tolen, ov, routine, thread,
                             lpErrno);
}

static int WSPAPI sample_ioctl(SOCKET s, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                               DWORD out_size, LPDWORD returned, LPWSAOVERLAPPED ov,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread,
                               LPINT lpErrno)
{
    const WSASENDMSG *sendmsg = in;

    if (code == SAMPLE_LSP_COUNTERS || code == SIO_BSP_HANDLE || code == SIO_BSP_HANDLE_POLL) {
        DWORD size = code == SAMPLE_LSP_COUNTERS ? sizeof(counters) : sizeof(SOCKET);

        if (!out || out_size < size || !returned) {
            *lpErrno = WSAEFAULT;
            return SOCKET_ERROR;
        }
        if (code == SAMPLE_LSP_COUNTERS)
            memcpy(out, &counters, size);
        else
            *(SOCKET *)out = s;
        *returned = size;
        return 0;
    }
    if (code == SIO_EXT_SENDMSG && in_size >= sizeof(*sendmsg)) {
        InterlockedIncrement(&counters.sendmsg_calls);
        InterlockedExchangeAdd64(&counters.bytes_sent,
                                 buffers_length(sendmsg->lpMsg->lpBuffers,
                                                sendmsg->lpMsg->dwBufferCount));
    } else if (code == SIO_EXT_POLL) {
        InterlockedIncrement(&counters.poll_calls);
    }
    return lower.lpWSPIoctl(s, code, in, in_size, out, out_size, returned, ov, routine, thread,
                            lpErrno);
}

static int WSPAPI sample_cleanup(LPINT lpErrno)
{
    int result = 0;

    EnterCriticalSection(&lock);
    if (starts == 0) {
        *lpErrno = WSANOTINITIALISED;
        result = SOCKET_ERROR;
    } else if (--starts == 0) {
        result = lower.lpWSPCleanup(lpErrno);
        FreeLibrary(lower_module);
        lower_module = NULL;
        link_count = 0;
    }
    LeaveCriticalSection(&lock);
    return result;
}

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info,
                      WSPUPCALLTABLE upcalls, LPWSPPROC_TABLE procs)
{
    int error = 0;

    if (!data || !info || !procs)
        return WSAEFAULT;
    EnterCriticalSection(&lock);
    upcall_table = upcalls;
    if (!find_link(info))
        error = add_link(info, upcalls);
    if (!error) {
        starts++;
        *procs = lower;
        procs->lpWSPSocket = sample_socket;
        procs->lpWSPAccept = sample_accept;
        procs->lpWSPCloseSocket = sample_closesocket;
        procs->lpWSPGetSockOpt = sample_getsockopt;
        procs->lpWSPSend = sample_send;
        procs->lpWSPSendTo = sample_sendto;
        procs->lpWSPIoctl = sample_ioctl;
        procs->lpWSPCleanup = sample_cleanup;
        data->wVersion = MAKEWORD(2, 2);
        data->wHighVersion = MAKEWORD(2, 2);
        lstrcpynW(data->szDescription, L"lspkit sample-style test LSP", WSPDESCRIPTION_LEN + 1);
    }
    LeaveCriticalSection(&lock);
    (void)version;
    return error;
}
