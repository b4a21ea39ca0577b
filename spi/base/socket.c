/* SPDX-License-Identifier: MIT */
/* Creating, adopting, duplicating and closing sockets. */
#include "base.h"
#include "lspkit/trace.h"
#include "entries.h"
#include "sockets.h"

SOCKET base_adopt(SOCKET system_socket, const WSAPROTOCOL_INFOW *entry, LPINT lpErrno)
{
    SOCKET handle;
    int err;

    /* No entry: called through a proc table after its last WSPCleanup. */
    if (!entry) {
        sys.closesocket(system_socket);
        *lpErrno = WSANOTINITIALISED;
        return INVALID_SOCKET;
    }
    /* Recorded first, so that the socket has its entry from the moment the
     * front end can hand it out. */
    if ((err = sockets_set(system_socket, entry))) {
        sys.closesocket(system_socket);
        *lpErrno = err;
        return INVALID_SOCKET;
    }
    err = 0;
    handle = base_upcalls.lpWPUModifyIFSHandle(entry->dwCatalogEntryId, system_socket, &err);
    if (handle == INVALID_SOCKET) {
        sockets_remove(system_socket);
        sys.closesocket(system_socket);
        /* An upcall that fails without saying why most likely ran out of room. */
        *lpErrno = err ? err : WSAENOBUFS;
    }
    return handle;
}

/* FROM_PROTOCOL_INFO stands for the entry's own value. */
static int from_info(int value, int info_value)
{
    return value == FROM_PROTOCOL_INFO ? info_value : value;
}

SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                        GROUP g, DWORD dwFlags, LPINT lpErrno)
{
    const WSAPROTOCOL_INFOW *entry;
    LPWSAPROTOCOL_INFOW system_info = NULL;
    SOCKET s;

    /* A duplication blob carries the system's ProviderId like our entries
     * do (they are copied from the system's), but also its handle in
     * dwProviderReserved, which no catalog entry has. */
    if (lpProtocolInfo && !lpProtocolInfo->dwProviderReserved
        && entries_is_ours(lpProtocolInfo)) {
        /* Our catalog entry means nothing to the system: it gets the
         * entry's address family, type and protocol instead. */
        if (!(entry = entries_intern(lpProtocolInfo))) {
            *lpErrno = WSAENOBUFS;
            return INVALID_SOCKET;
        }
        af = from_info(af, entry->iAddressFamily);
        type = from_info(type, entry->iSocketType);
        protocol = from_info(protocol, entry->iProtocol);
    } else {
        /* No info, or one the system made (WSPDuplicateSocket hands out
         * the system's): only the system can read it. The socket belongs to
         * the entry it was duplicated from when we know that entry. */
        system_info = lpProtocolInfo;
        entry = lpProtocolInfo ? entries_by_id(lpProtocolInfo->dwCatalogEntryId) : NULL;
        if (!entry)
            entry = entries_first_started();
    }

    s = sys.WSASocketW(af, type, protocol, system_info, g, dwFlags);
    if (s == INVALID_SOCKET) {
        *lpErrno = sys.WSAGetLastError();
        TRACE("WSPSocket(%d, %d, %d): the system refused: %d", af, type, protocol, *lpErrno);
        return INVALID_SOCKET;
    }
    return base_adopt(s, entry, lpErrno);
}

int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno)
{
    /* Forgotten before the handle is released, so that a socket created
     * by another thread under the same handle value keeps its entry. */
    const WSAPROTOCOL_INFOW *entry = sockets_remove(s);
    int ret;

    /* Pending operations complete once with WSA_OPERATION_ABORTED (S29):
     * Wine's closesocket alone leaves a pending send waiting forever and
     * fails a pending receive with WSAEINVAL. */
    CancelIoEx((HANDLE)s, NULL);
    ret = base_int_result(sys.closesocket(s), lpErrno);

    /* Still open (e.g. a non-blocking lingering close): keep its entry. */
    if (ret == SOCKET_ERROR && entry && *lpErrno != WSAENOTSOCK)
        (void)sockets_set(s, entry);
    return ret;
}

int WSPAPI WSPDuplicateSocket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                              LPINT lpErrno)
{
    const WSAPROTOCOL_INFOW *entry;

    if (base_int_result(sys.WSADuplicateSocketW(s, dwProcessId, lpProtocolInfo), lpErrno))
        return SOCKET_ERROR;
    /* The system's info carries its own duplication state and its own
     * ProviderId (which tells WSPSocket to hand it back to the system), but
     * the catalog id must be ours: the target's front end routes the new
     * socket to its provider by it. */
    if ((entry = sockets_entry(s)))
        lpProtocolInfo->dwCatalogEntryId = entry->dwCatalogEntryId;
    return 0;
}
