/* SPDX-License-Identifier: MIT */
/* Socket creation and destruction: socket, WSASocketA/W, accept, WSAAccept,
 * WSAJoinLeaf, closesocket. */
#include "dispatch.h"
#include "lspkit/trace.h"
#include "dstate.h"
#include "../common/protocol_info.h"

/* A provider must register every socket it returns through
 * WPUCreateSocketHandle or WPUModifyIFSHandle; ties that record to the
 * provider so later calls dispatch to it. */
static SOCKET adopt(struct provider *p, SOCKET s)
{
    int error;

    if (dsocket_attach_provider(s, p))
        return s;
    p->procs.lpWSPCloseSocket(s, &error);
    SetLastError(WSAEPROVIDERFAILEDINIT);
    return INVALID_SOCKET;
}

/* Picks the catalog entry WSASocket uses: the one named by the protocol
 * info, or the first that serves (af, type, protocol). */
static int choose_entry(int af, int type, int protocol, const WSAPROTOCOL_INFOW *info,
                        struct catalog_entry *entry)
{
    if (!info)
        return dstate_entry_for_socket(af, type, protocol, entry);
    if (!dstate_entry_by_id(info->dwCatalogEntryId, entry))
        return WSAEINVAL;
    return 0;
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g,
                         DWORD flags)
{
    struct catalog_entry entry;
    struct provider *p;
    SOCKET s;
    int error = dstate_check_started();

    if (!error)
        error = choose_entry(af, type, protocol, info, &entry);
    if (error) {
        SetLastError(error);
        return INVALID_SOCKET;
    }
    p = provider_get(&entry, &error);
    if (!p) {
        SetLastError(error);
        return INVALID_SOCKET;
    }
    s = p->procs.lpWSPSocket(af, type, protocol, info ? info : &entry.info, g, flags, &error);
    if (s == INVALID_SOCKET)
        SetLastError(error);
    else
        s = adopt(p, s);
    TRACE("WSASocket(%d, %d, %d) by entry %lu = socket %#Ix, error %d", af, type, protocol,
          entry.info.dwCatalogEntryId, (ULONG_PTR)s, s == INVALID_SOCKET ? error : 0);
    provider_release(p);
    return s;
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA info, GROUP g,
                         DWORD flags)
{
    WSAPROTOCOL_INFOW wide;

    if (!info)
        return WSASocketW(af, type, protocol, NULL, g, flags);
    if (!protocol_info_widen(info, &wide)) {
        SetLastError(WSAEINVAL);
        return INVALID_SOCKET;
    }
    return WSASocketW(af, type, protocol, &wide, g, flags);
}

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    return WSASocketW(af, type, protocol, NULL, 0, WSA_FLAG_OVERLAPPED);
}

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                        LPCONDITIONPROC condition, DWORD_PTR callback_data)
{
    struct dsocket *ds = dispatch_begin(s);
    struct provider *p;
    SOCKET accepted;
    int error = 0;

    if (!ds)
        return INVALID_SOCKET;
    p = ds->provider;
    accepted = p->procs.lpWSPAccept(s, addr, addrlen, condition, callback_data, &error);
    if (accepted == INVALID_SOCKET)
        SetLastError(error);
    else
        accepted = adopt(p, accepted);
    dsocket_release(ds);
    return accepted;
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    return WSAAccept(s, addr, addrlen, NULL, 0);
}

SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen,
                          LPWSABUF caller_data, LPWSABUF callee_data, LPQOS sqos, LPQOS gqos,
                          DWORD flags)
{
    struct dsocket *ds = dispatch_begin(s);
    struct provider *p;
    SOCKET leaf;
    int error = 0;

    if (!ds)
        return INVALID_SOCKET;
    p = ds->provider;
    leaf = p->procs.lpWSPJoinLeaf(s, name, namelen, caller_data, callee_data, sqos, gqos,
                                  flags, &error);
    if (leaf == INVALID_SOCKET)
        SetLastError(error);
    else if (leaf != s)
        leaf = adopt(p, leaf);
    dsocket_release(ds);
    return leaf;
}

int WSAAPI closesocket(SOCKET s)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPCloseSocket(s, &error);
    /* An IFS handle is gone once its provider closed it. A non-IFS handle
     * belongs to the front end until the provider's WPUCloseSocketHandle,
     * which the SPI lets it defer while it completes pending operations. */
    if (result != SOCKET_ERROR) {
        if (ds->ifs)
            dsocket_unregister_record(ds);
        else
            dsocket_mark_closed(ds);
    }
    return dispatch_end(ds, result, error);
}
