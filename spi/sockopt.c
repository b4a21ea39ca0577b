/* SPDX-License-Identifier: MIT */
/* Socket options and control: getsockopt, setsockopt, ioctlsocket, WSAIoctl,
 * and the socket-checked byte-order helpers WSAHtonl and kin. */
#include "dispatch.h"
#include "extension.h"

int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPGetSockOpt(s, level, optname, optval, optlen, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPSetSockOpt(s, level, optname, optval, optlen, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSAIoctl(SOCKET s, DWORD code, LPVOID in_buffer, DWORD in_size, LPVOID out_buffer,
                    DWORD out_size, LPDWORD returned, LPWSAOVERLAPPED overlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPIoctl(s, code, in_buffer, in_size, out_buffer, out_size, returned,
                                   overlapped, routine, dthread_current_id(), &error);
    if (result == 0 && code == SIO_GET_EXTENSION_FUNCTION_POINTER)
        extension_wrap(ds, in_buffer, in_size, out_buffer, out_size);
    return dispatch_end(ds, result, error);
}

/* ioctlsocket is WSAIoctl with a u_long in and out, as Windows maps it. */
int WSAAPI ioctlsocket(SOCKET s, LONG cmd, u_long *argp)
{
    DWORD returned;

    return WSAIoctl(s, (DWORD)cmd, argp, sizeof(*argp), argp, sizeof(*argp), &returned, NULL,
                    NULL);
}

/* WSAHtonl and kin convert like htonl but, unlike it, validate the socket
 * and the output pointer as the documents require. */
static int check_socket_and_output(SOCKET s, const void *out)
{
    struct dsocket *ds = dispatch_begin(s);

    if (!ds)
        return SOCKET_ERROR;
    dsocket_release(ds);
    if (!out) {
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    return 0;
}

static u_long swap32(u_long value)
{
    return ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >> 8) & 0xff00)
           | (value >> 24);
}

static u_short swap16(u_short value)
{
    return (u_short)((value << 8) | (value >> 8));
}

int WSAAPI WSAHtonl(SOCKET s, u_long host, u_long *net)
{
    if (check_socket_and_output(s, net))
        return SOCKET_ERROR;
    *net = swap32(host);
    return 0;
}

int WSAAPI WSANtohl(SOCKET s, u_long net, u_long *host)
{
    if (check_socket_and_output(s, host))
        return SOCKET_ERROR;
    *host = swap32(net);
    return 0;
}

int WSAAPI WSAHtons(SOCKET s, u_short host, u_short *net)
{
    if (check_socket_and_output(s, net))
        return SOCKET_ERROR;
    *net = swap16(host);
    return 0;
}

int WSAAPI WSANtohs(SOCKET s, u_short net, u_short *host)
{
    if (check_socket_and_output(s, host))
        return SOCKET_ERROR;
    *host = swap16(net);
    return 0;
}
