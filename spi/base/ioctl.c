/* SPDX-License-Identifier: MIT */
/* WSPIoctl: the system answers everything, including
 * SIO_GET_EXTENSION_FUNCTION_POINTER (its ConnectEx, AcceptEx, ... act on
 * our sockets directly, since they are its own handles), except the
 * questions about which provider handle lies beneath, and the two calls
 * Windows routes through the provider that such a question named:
 * SIO_EXT_SENDMSG (WSASendMsg) and SIO_EXT_POLL (WSAPoll). */
#include "base.h"
#include "sockets.h"

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

/* WSASendMsg's arguments in, its error out (in the output buffer, as the
 * caller reads it). */
static int ext_sendmsg(SOCKET s, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
                       LPINT lpErrno)
{
    WSASENDMSG *args = in;
    int result;

    if (!args || in_size < sizeof(*args)) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    result = base_int_result(sys.WSASendMsg(s, args->lpMsg, args->dwFlags,
                                            args->lpNumberOfBytesSent, args->lpOverlapped,
                                            args->lpCompletionRoutine), lpErrno);
    if (out && out_size >= sizeof(DWORD))
        *(DWORD *)out = result == SOCKET_ERROR ? (DWORD)*lpErrno : 0;
    return result;
}

/* WSAPoll over the array in the WSAPOLLDATA, which is both buffers. */
static int ext_poll(LPVOID in, DWORD in_size, LPVOID out, DWORD out_size, LPDWORD returned,
                    LPINT lpErrno)
{
    WSAPOLLDATA *data = in;

    if (!data || out != in || in_size < sizeof(*data) ||
        data->fds > (in_size - sizeof(*data)) / sizeof(WSAPOLLFD) || out_size < in_size) {
        *lpErrno = WSAEFAULT;
        return SOCKET_ERROR;
    }
    data->result = base_int_result(sys.WSAPoll(data->fdArray, data->fds, data->timeout),
                                   lpErrno);
    if (data->result == SOCKET_ERROR)
        return SOCKET_ERROR;
    if (returned)
        *returned = in_size;
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
    if (dwIoControlCode == SIO_EXT_SENDMSG)
        return ext_sendmsg(s, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpErrno);
    if (dwIoControlCode == SIO_EXT_POLL)
        return ext_poll(lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                        lpErrno);
    return base_int_result(sys.WSAIoctl(s, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                                        cbOutBuffer, lpcbBytesReturned, lpOverlapped,
                                        lpCompletionRoutine), lpErrno);
}
