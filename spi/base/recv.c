/* SPDX-License-Identifier: MIT */
/* Receiving. As for sends (send.c), the caller's overlapped structure and
 * routine go to the system unchanged and lpThreadId is not used. */
#include "base.h"

int WSPAPI WSPRecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpThreadId;
    return base_int_result(sys.WSARecv(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd, lpFlags,
                                       lpOverlapped, lpCompletionRoutine), lpErrno);
}

int WSPAPI WSPRecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, struct sockaddr *lpFrom,
                       LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                       LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpThreadId;
    return base_int_result(sys.WSARecvFrom(s, lpBuffers, dwBufferCount, lpNumberOfBytesRecvd,
                                           lpFlags, lpFrom, lpFromlen, lpOverlapped,
                                           lpCompletionRoutine), lpErrno);
}
