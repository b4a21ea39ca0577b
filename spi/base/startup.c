/* SPDX-License-Identifier: MIT */
/* WSPStartup and WSPCleanup: version negotiation, the proc table, and the
 * system ws2_32's own startup count. */
#include "base.h"
#include "lspkit/trace.h"
#include "entries.h"
#include "sockets.h"

#define BASE_VERSION MAKEWORD(2, 2)

WSPUPCALLTABLE base_upcalls;

/* Startups not yet matched by a WSPCleanup; each holds one system
 * WSAStartup. The lock also orders the upcall table's replacement. */
static SRWLOCK startup_lock = SRWLOCK_INIT;
static LONG startups;

static const WSPPROC_TABLE proc_table = {
    .lpWSPAccept = WSPAccept,
    .lpWSPAddressToString = WSPAddressToString,
    .lpWSPAsyncSelect = WSPAsyncSelect,
    .lpWSPBind = WSPBind,
    .lpWSPCancelBlockingCall = WSPCancelBlockingCall,
    .lpWSPCleanup = WSPCleanup,
    .lpWSPCloseSocket = WSPCloseSocket,
    .lpWSPConnect = WSPConnect,
    .lpWSPDuplicateSocket = WSPDuplicateSocket,
    .lpWSPEnumNetworkEvents = WSPEnumNetworkEvents,
    .lpWSPEventSelect = WSPEventSelect,
    .lpWSPGetOverlappedResult = WSPGetOverlappedResult,
    .lpWSPGetPeerName = WSPGetPeerName,
    .lpWSPGetSockName = WSPGetSockName,
    .lpWSPGetSockOpt = WSPGetSockOpt,
    .lpWSPGetQOSByName = WSPGetQOSByName,
    .lpWSPIoctl = WSPIoctl,
    .lpWSPJoinLeaf = WSPJoinLeaf,
    .lpWSPListen = WSPListen,
    .lpWSPRecv = WSPRecv,
    .lpWSPRecvDisconnect = WSPRecvDisconnect,
    .lpWSPRecvFrom = WSPRecvFrom,
    .lpWSPSelect = WSPSelect,
    .lpWSPSend = WSPSend,
    .lpWSPSendDisconnect = WSPSendDisconnect,
    .lpWSPSendTo = WSPSendTo,
    .lpWSPSetSockOpt = WSPSetSockOpt,
    .lpWSPShutdown = WSPShutdown,
    .lpWSPSocket = WSPSocket,
    .lpWSPStringToAddress = WSPStringToAddress,
};

/* Versions are (major, minor) in (low, high) byte: compare them in order. */
static BOOL version_below(WORD version, WORD floor)
{
    return LOBYTE(version) < LOBYTE(floor) ||
           (LOBYTE(version) == LOBYTE(floor) && HIBYTE(version) < HIBYTE(floor));
}

static void fill_wsp_data(LPWSPDATA data)
{
    static const WCHAR description[] = L"lspkit IFS base provider (system ws2_32)";

    data->wVersion = BASE_VERSION;
    data->wHighVersion = BASE_VERSION;
    lstrcpynW(data->szDescription, description, WSPDESCRIPTION_LEN + 1);
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData,
                      LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable,
                      LPWSPPROC_TABLE lpProcTable)
{
    WSADATA system_data;
    int err;

    if (!lpWSPData || !lpProcTable || !lpProtocolInfo)
        return WSAEFAULT;
    /* Every socket we create must be registered with the front end. */
    if (!UpcallTable.lpWPUModifyIFSHandle)
        return WSAEINVAL;
    if (version_below(wVersionRequested, BASE_VERSION))
        return WSAVERNOTSUPPORTED;
    if (!base_system_bind()) {
        TRACE("WSPStartup: the system's Winsock cannot be bound");
        return WSASYSNOTREADY;
    }
    if ((err = sys.WSAStartup(BASE_VERSION, &system_data))) {
        TRACE("WSPStartup: the system's WSAStartup failed: %d", err);
        return err;
    }

    AcquireSRWLockExclusive(&startup_lock);
    /* Under the lock, so that a last WSPCleanup cannot clear it again. */
    if (!entries_add_started(lpProtocolInfo)) {
        ReleaseSRWLockExclusive(&startup_lock);
        sys.WSACleanup();
        return WSAENOBUFS;
    }
    /* Every front end hands the same table; take it while no other
     * startup is live, so no socket call is reading it. */
    if (!startups)
        base_upcalls = UpcallTable;
    startups++;
    ReleaseSRWLockExclusive(&startup_lock);

    fill_wsp_data(lpWSPData);
    *lpProcTable = proc_table;
    return 0;
}

int WSPAPI WSPCleanup(LPINT lpErrno)
{
    int ret = 0;

    AcquireSRWLockExclusive(&startup_lock);
    if (!startups) {
        *lpErrno = WSANOTINITIALISED;
        ret = SOCKET_ERROR;
    } else {
        ret = base_int_result(sys.WSACleanup(), lpErrno);
        /* The startup is over even if the system disagrees about its count.
         * After the last one no socket is valid, and the front end may
         * unload us: nothing of ours may be left behind. */
        if (!--startups) {
            sockets_clear();
            entries_clear();
        }
    }
    ReleaseSRWLockExclusive(&startup_lock);
    return ret;
}
