/* Sending.
 *
 * The front end calls us in the caller's thread, so the caller's
 * WSAOVERLAPPED and completion routine go to the system as they are: the
 * system signals the event, or queues the routine to this very thread, and
 * an IFS handle needs nothing from us in between. lpThreadId is therefore
 * not used. */
#include "base.h"

int WSPAPI WSPSend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesSent, DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpThreadId;
    return base_int_result(sys.WSASend(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                                       lpOverlapped, lpCompletionRoutine), lpErrno);
}

int WSPAPI WSPSendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                     LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const struct sockaddr *lpTo,
                     int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                     LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    (void)lpThreadId;
    return base_int_result(sys.WSASendTo(s, lpBuffers, dwBufferCount, lpNumberOfBytesSent, dwFlags,
                                         lpTo, iTolen, lpOverlapped, lpCompletionRoutine),
                           lpErrno);
}
