/* SPDX-License-Identifier: MIT */
/* Readiness notification and overlapped results: WSAEventSelect,
 * WSAAsyncSelect, WSAEnumNetworkEvents, WSAGetOverlappedResult. */
#include "dispatch.h"

int WSAAPI WSAEventSelect(SOCKET s, WSAEVENT event, LONG network_events)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPEventSelect(s, event, network_events, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSAAsyncSelect(SOCKET s, HWND window, UINT message, LONG events)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPAsyncSelect(s, window, message, events, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSAEnumNetworkEvents(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS network_events)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPEnumNetworkEvents(s, event, network_events, &error);
    return dispatch_end(ds, result, error);
}

BOOL WSAAPI WSAGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED overlapped, LPDWORD transferred,
                                   BOOL wait, LPDWORD flags)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0;
    BOOL done;

    if (!ds)
        return FALSE;
    done = PROCS(ds)->lpWSPGetOverlappedResult(s, overlapped, transferred, wait, flags, &error);
    dsocket_release(ds);
    if (!done)
        SetLastError(error);
    return done;
}
