/* SPDX-License-Identifier: MIT */
/* WSAConnectByNameA/W: resolve a name and connect the socket to the first
 * address that answers, through the socket's own provider (the system's
 * WSAConnectByName would bypass it). */
#include <ws2tcpip.h>
#include "dispatch.h"
#include "dstate.h"
#include "sysws2.h"

typedef INT (WSAAPI *getaddrinfow_fn)(PCWSTR, PCWSTR, const ADDRINFOW *, PADDRINFOW *);
typedef void (WSAAPI *freeaddrinfow_fn)(PADDRINFOW);

/* Connects within `timeout` (NULL: blocking). The socket is put back in
 * blocking mode afterwards, the only mode WSAConnectByName accepts. */
static int connect_within(SOCKET s, const struct sockaddr *addr, int addrlen,
                          PTIMEVAL timeout)
{
    u_long nonblocking = 1, blocking = 0;
    fd_set writable, failed;
    int ready, error;

    if (!timeout)
        return connect(s, addr, addrlen) ? WSAGetLastError() : 0;
    if (ioctlsocket(s, FIONBIO, &nonblocking))
        return WSAGetLastError();
    error = connect(s, addr, addrlen) ? WSAGetLastError() : 0;
    if (error == WSAEWOULDBLOCK) {
        FD_ZERO(&writable);
        FD_ZERO(&failed);
        FD_SET(s, &writable);
        FD_SET(s, &failed);
        ready = select(0, NULL, &writable, &failed, timeout);
        if (ready == 0)
            error = WSAETIMEDOUT;
        else if (ready == SOCKET_ERROR || FD_ISSET(s, &failed))
            error = ready == SOCKET_ERROR ? WSAGetLastError() : WSAECONNREFUSED;
        else
            error = 0;
    }
    ioctlsocket(s, FIONBIO, &blocking);
    return error;
}

static void report_address(int (WSAAPI *get)(SOCKET, struct sockaddr *, int *), SOCKET s,
                           LPDWORD length, struct sockaddr *out)
{
    int len;

    if (!length || !out)
        return;
    len = (int)*length;
    if (!get(s, out, &len))
        *length = len;
}

BOOL WSAAPI WSAConnectByNameW(SOCKET s, LPWSTR node, LPWSTR service, LPDWORD local_length,
                              LPSOCKADDR local, LPDWORD remote_length, LPSOCKADDR remote,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED reserved)
{
    getaddrinfow_fn resolve = (getaddrinfow_fn)(void *)sysws2_proc("GetAddrInfoW");
    freeaddrinfow_fn free_list = (freeaddrinfow_fn)(void *)sysws2_proc("FreeAddrInfoW");
    ADDRINFOW hints = { 0 }, *list, *ai;
    int error = dstate_check_started();

    if (!error && (!node || !service || reserved))
        error = WSAEINVAL;
    if (!error && (!resolve || !free_list))
        error = WSASYSNOTREADY;
    if (error) {
        SetLastError(error);
        return FALSE;
    }
    hints.ai_socktype = SOCK_STREAM;
    error = resolve(node, service, &hints, &list);
    if (error) {
        SetLastError(error);
        return FALSE;
    }
    error = WSAEHOSTUNREACH;
    for (ai = list; ai && error; ai = ai->ai_next)
        error = connect_within(s, ai->ai_addr, (int)ai->ai_addrlen, timeout);
    free_list(list);
    if (error) {
        SetLastError(error);
        return FALSE;
    }
    report_address(getsockname, s, local_length, local);
    report_address(getpeername, s, remote_length, remote);
    return TRUE;
}

static LPWSTR to_wide(LPCSTR text)
{
    int length = MultiByteToWideChar(CP_ACP, 0, text, -1, NULL, 0);
    LPWSTR wide = length ? HeapAlloc(GetProcessHeap(), 0, length * sizeof(WCHAR)) : NULL;

    if (wide)
        MultiByteToWideChar(CP_ACP, 0, text, -1, wide, length);
    return wide;
}

BOOL WSAAPI WSAConnectByNameA(SOCKET s, LPSTR node, LPSTR service, LPDWORD local_length,
                              LPSOCKADDR local, LPDWORD remote_length, LPSOCKADDR remote,
                              const PTIMEVAL timeout, LPWSAOVERLAPPED reserved)
{
    LPWSTR wide_node, wide_service;
    BOOL connected = FALSE;

    if (!node || !service) {
        SetLastError(WSAEINVAL);
        return FALSE;
    }
    wide_node = to_wide(node);
    wide_service = to_wide(service);
    if (wide_node && wide_service)
        connected = WSAConnectByNameW(s, wide_node, wide_service, local_length, local,
                                      remote_length, remote, timeout, reserved);
    else
        SetLastError(WSAENOBUFS);
    HeapFree(GetProcessHeap(), 0, wide_node);
    HeapFree(GetProcessHeap(), 0, wide_service);
    return connected;
}
