/* SPDX-License-Identifier: MIT */
/* Internals shared by the files of the IFS base provider (lspkit_base.dll).
 *
 * The provider owns no transport of its own: every WSP* call is mapped onto
 * Wine's ws2_32, loaded under its private name through spi/sysws2.c. Its sockets are
 * the system's socket handles, handed to the front end as IFS handles, so
 * the front end (and the application) can use them with ReadFile, IOCP and
 * select directly. */
#ifndef LSPKIT_BASE_H
#define LSPKIT_BASE_H

/* The LPFN_* typedefs of the Winsock functions are only declared on demand. */
#define INCL_WINSOCK_API_TYPEDEFS 1
#include <winsock2.h>
#include <ws2spi.h>
#include <mswsock.h>

/* The system functions the provider forwards to, as (type, name) pairs.
 * One list keeps the struct and its binding in step. */
#define BASE_SYSTEM_FUNCTIONS(X) \
    X(LPFN_WSASTARTUP, WSAStartup) \
    X(LPFN_WSACLEANUP, WSACleanup) \
    X(LPFN_WSAGETLASTERROR, WSAGetLastError) \
    X(LPFN_WSASOCKETW, WSASocketW) \
    X(LPFN_CLOSESOCKET, closesocket) \
    X(LPFN_WSADUPLICATESOCKETW, WSADuplicateSocketW) \
    X(LPFN_WSAACCEPT, WSAAccept) \
    X(LPFN_BIND, bind) \
    X(LPFN_LISTEN, listen) \
    X(LPFN_WSACONNECT, WSAConnect) \
    X(LPFN_WSAJOINLEAF, WSAJoinLeaf) \
    X(LPFN_SHUTDOWN, shutdown) \
    X(LPFN_GETPEERNAME, getpeername) \
    X(LPFN_GETSOCKNAME, getsockname) \
    X(LPFN_WSASEND, WSASend) \
    X(LPFN_WSASENDTO, WSASendTo) \
    X(LPFN_WSASENDDISCONNECT, WSASendDisconnect) \
    X(LPFN_WSARECV, WSARecv) \
    X(LPFN_WSARECVFROM, WSARecvFrom) \
    X(LPFN_WSARECVDISCONNECT, WSARecvDisconnect) \
    X(LPFN_WSAGETOVERLAPPEDRESULT, WSAGetOverlappedResult) \
    X(LPFN_WSAIOCTL, WSAIoctl) \
    X(LPFN_GETSOCKOPT, getsockopt) \
    X(LPFN_SETSOCKOPT, setsockopt) \
    X(LPFN_WSAGETQOSBYNAME, WSAGetQOSByName) \
    X(LPFN_SELECT, select) \
    X(LPFN_WSAEVENTSELECT, WSAEventSelect) \
    X(LPFN_WSAASYNCSELECT, WSAAsyncSelect) \
    X(LPFN_WSAENUMNETWORKEVENTS, WSAEnumNetworkEvents) \
    X(LPFN_WSAADDRESSTOSTRINGW, WSAAddressToStringW) \
    X(LPFN_WSASTRINGTOADDRESSW, WSAStringToAddressW) \
    X(LPFN_WSACANCELBLOCKINGCALL, WSACancelBlockingCall) \
    X(LPFN_WSASENDMSG, WSASendMsg) \
    X(LPFN_WSAPOLL, WSAPoll)

struct base_system {
#define BASE_SYSTEM_FIELD(type, name) type name;
    BASE_SYSTEM_FUNCTIONS(BASE_SYSTEM_FIELD)
#undef BASE_SYSTEM_FIELD
};

/* Bound once by base_system_bind and never unbound, so every function of
 * the proc table can use it without checks: the table is only handed out
 * by a WSPStartup that bound it. */
extern struct base_system sys;

/* Loads the system ws2_32 and binds `sys`. Returns FALSE when the module or
 * one of its exports is missing. Thread-safe, runs once. */
BOOL base_system_bind(void);

/* The upcall table of the front end that started us (startup.c). */
extern WSPUPCALLTABLE base_upcalls;

/* Result helpers: pass the system's return value through and, when it
 * reports failure, move the system's error code into *lpErrno. The system
 * call is an argument, so its error is read before anything else runs. */
static inline int base_int_result(int ret, LPINT lpErrno)
{
    if (ret == SOCKET_ERROR)
        *lpErrno = sys.WSAGetLastError();
    return ret;
}

static inline BOOL base_bool_result(BOOL ok, LPINT lpErrno)
{
    if (!ok)
        *lpErrno = sys.WSAGetLastError();
    return ok;
}

/* Takes in a socket the system just created: hands it to the front end
 * with WPUModifyIFSHandle for `entry` and remembers its entry. On failure
 * (including a NULL entry, when no startup is live) the system socket is
 * closed, so the caller owns nothing (socket.c). */
SOCKET base_adopt(SOCKET system_socket, const WSAPROTOCOL_INFOW *entry, LPINT lpErrno);

/* Completes an operation that finished inside the call, the way the system
 * completes its own: status and byte count in the WSAOVERLAPPED, then the
 * caller's routine queued to lpThreadId, or else its event set
 * (overlapped.c). Returns 0 or SOCKET_ERROR with *lpErrno. */
int base_complete_now(LPWSAOVERLAPPED lpOverlapped, DWORD bytes,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                      LPWSATHREADID lpThreadId, LPINT lpErrno);

/* The WSP* functions (lspkit/wsp.h), one group per file, gathered into the
 * proc table by startup.c. Only WSPStartup is exported (lspkit_base.def). */
#include "lspkit/wsp.h"

#endif
