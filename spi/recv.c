/* SPDX-License-Identifier: MIT */
/* recv, recvfrom, WSARecv, WSARecvFrom, WSARecvDisconnect. */
#include "dispatch.h"
#include "pending.h"

int WSAAPI WSARecv(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received, LPDWORD flags,
                   LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct dsocket *ds = dispatch_begin(s);
    struct pending *p;
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    if (dispatch_bad_outputs(received, flags, overlapped))
        return dispatch_end(ds, SOCKET_ERROR, WSAEFAULT);
    p = pending_begin(ds, overlapped, routine);
    result = PROCS(ds)->lpWSPRecv(s, buffers, count, received, flags, overlapped,
                                  pending_routine(p, routine), dthread_current_id(), &error);
    pending_issued(p, result, error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSARecvFrom(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received,
                       LPDWORD flags, struct sockaddr *from, LPINT fromlen,
                       LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct dsocket *ds = dispatch_begin(s);
    struct pending *p;
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    if (dispatch_bad_outputs(received, flags, overlapped))
        return dispatch_end(ds, SOCKET_ERROR, WSAEFAULT);
    p = pending_begin(ds, overlapped, routine);
    result = PROCS(ds)->lpWSPRecvFrom(s, buffers, count, received, flags, from, fromlen,
                                      overlapped, pending_routine(p, routine),
                                      dthread_current_id(), &error);
    pending_issued(p, result, error);
    return dispatch_end(ds, result, error);
}

int WSAAPI recv(SOCKET s, char *buf, int len, int flags)
{
    WSABUF buffer = { (ULONG)len, buf };
    DWORD received = 0, in_out_flags = flags;

    if (WSARecv(s, &buffer, 1, &received, &in_out_flags, NULL, NULL) == SOCKET_ERROR)
        return SOCKET_ERROR;
    return received;
}

int WSAAPI recvfrom(SOCKET s, char *buf, int len, int flags, struct sockaddr *from,
                    int *fromlen)
{
    WSABUF buffer = { (ULONG)len, buf };
    DWORD received = 0, in_out_flags = flags;

    if (WSARecvFrom(s, &buffer, 1, &received, &in_out_flags, from, fromlen, NULL, NULL)
        == SOCKET_ERROR)
        return SOCKET_ERROR;
    return received;
}

int WSAAPI WSARecvDisconnect(SOCKET s, LPWSABUF disconnect_data)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPRecvDisconnect(s, disconnect_data, &error);
    return dispatch_end(ds, result, error);
}
