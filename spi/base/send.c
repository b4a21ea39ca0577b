/* SPDX-License-Identifier: MIT */
/* Sending.
 *
 * The front end calls us in the caller's thread, so the caller's
 * WSAOVERLAPPED and completion routine go to the system as they are: the
 * system signals the event, or queues the routine to this very thread, and
 * an IFS handle needs nothing from us in between. lpThreadId is therefore
 * not used. Where Wine departs from the documents, the documented answer
 * is given instead (send_checks.c). */
#include "base.h"
#include "send_checks.h"

/* The system's answer, with Wine's departures corrected (send_checks.c). */
static int send_result(SOCKET s, int ret, LPINT lpErrno)
{
    if (ret == SOCKET_ERROR)
        *lpErrno = send_error(s, sys.WSAGetLastError());
    return ret;
}

static int refuse(int error, LPINT lpErrno)
{
    *lpErrno = error;
    return SOCKET_ERROR;
}

int WSPAPI WSPSend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesSent, DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    int error = send_refused(s, lpBuffers, dwBufferCount, dwFlags);

    (void)lpThreadId;
    if (error)
        return refuse(error, lpErrno);
    return send_result(s, sys.WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                                      lpOverlapped, lpCompletionRoutine), lpErrno);
}

int WSPAPI WSPSendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                     LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const struct sockaddr *lpTo,
                     int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                     LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    int error = send_refused(s, lpBuffers, dwBufferCount, dwFlags);

    (void)lpThreadId;
    if (error)
        return refuse(error, lpErrno);
    return send_result(s, sys.WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent,
                                        dwFlags, lpTo, iTolen, lpOverlapped,
                                        lpCompletionRoutine), lpErrno);
}
