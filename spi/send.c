/* SPDX-License-Identifier: MIT */
/* send, sendto, WSASend, WSASendTo, WSASendDisconnect: straight to the
 * owning provider, with the calling thread's WSATHREADID. */
#include "dispatch.h"
#include "pending.h"

int WSAAPI WSASend(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent, DWORD flags,
                   LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct dsocket *ds = dispatch_begin(s);
    struct pending *p;
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    if (dispatch_bad_outputs(sent, NULL, overlapped))
        return dispatch_end(ds, SOCKET_ERROR, WSAEFAULT);
    p = pending_begin(ds, overlapped, routine);
    result = PROCS(ds)->lpWSPSend(s, buffers, count, sent, flags, overlapped,
                                  pending_routine(p, routine), dthread_current_id(), &error);
    pending_issued(p, result, error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSASendTo(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD sent, DWORD flags,
                     const struct sockaddr *to, int tolen, LPWSAOVERLAPPED overlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct dsocket *ds = dispatch_begin(s);
    struct pending *p;
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    if (dispatch_bad_outputs(sent, NULL, overlapped))
        return dispatch_end(ds, SOCKET_ERROR, WSAEFAULT);
    p = pending_begin(ds, overlapped, routine);
    result = PROCS(ds)->lpWSPSendTo(s, buffers, count, sent, flags, to, tolen, overlapped,
                                    pending_routine(p, routine), dthread_current_id(), &error);
    pending_issued(p, result, error);
    return dispatch_end(ds, result, error);
}

int WSAAPI send(SOCKET s, const char *buf, int len, int flags)
{
    WSABUF buffer = { (ULONG)len, (char *)buf };
    DWORD sent = 0;

    if (WSASend(s, &buffer, 1, &sent, flags, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return sent;
}

int WSAAPI sendto(SOCKET s, const char *buf, int len, int flags, const struct sockaddr *to,
                  int tolen)
{
    WSABUF buffer = { (ULONG)len, (char *)buf };
    DWORD sent = 0;

    if (WSASendTo(s, &buffer, 1, &sent, flags, to, tolen, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return sent;
}

int WSAAPI WSASendDisconnect(SOCKET s, LPWSABUF disconnect_data)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPSendDisconnect(s, disconnect_data, &error);
    return dispatch_end(ds, result, error);
}
