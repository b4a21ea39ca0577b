/* SPDX-License-Identifier: MIT */
/* WSPIoctl: the system answers everything, including
 * SIO_GET_EXTENSION_FUNCTION_POINTER (its ConnectEx, AcceptEx, ... act on
 * our sockets directly, since they are its own handles), except the
 * questions about which provider handle lies beneath: those only this
 * provider can answer. */
#include "base.h"
#include "sockets.h"
#include <mswsock.h>

/* As the base provider of an IFS socket, the socket itself is the base
 * handle and the handle to hand to select/WSAPoll. */
static BOOL asks_for_own_handle(DWORD code)
{
    return code == SIO_BASE_HANDLE || code == SIO_BSP_HANDLE ||
           code == SIO_BSP_HANDLE_SELECT || code == SIO_BSP_HANDLE_POLL;
}

/* Our own sockets are known; any other handle is asked about, so that a
 * closed or foreign handle gets the system's WSAENOTSOCK. */
static BOOL is_socket(SOCKET s, LPINT lpErrno)
{
    int type, len = sizeof(type);

    if (sockets_entry(s))
        return TRUE;
    return base_int_result(sys.getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len),
                           lpErrno) == 0;
}

static int answer_own_handle(SOCKET s, LPVOID out, DWORD out_size, LPDWORD returned,
                             LPWSAOVERLAPPED lpOverlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                             LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (!is_socket(s, lpErrno))
        return SOCKET_ERROR;
    if (!out || out_size < sizeof(SOCKET) || (!returned && !lpOverlapped)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    *(SOCKET *)out = s;
    if (returned)
        *returned = sizeof(SOCKET);
    if (lpOverlapped)
        return base_complete_now(lpOverlapped, sizeof(SOCKET), lpCompletionRoutine, lpThreadId,
                                 lpErrno);
    return 0;
}

int WSPAPI WSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                    LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                    LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                    LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (asks_for_own_handle(dwIoControlCode))
        return answer_own_handle(s, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned, lpOverlapped,
                                 lpCompletionRoutine, lpThreadId, lpErrno);
    return base_int_result(sys.WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                                        cbOutBuffer, lpcbBytesReturned, lpOverlapped,
                                        lpCompletionRoutine), lpErrno);
}
