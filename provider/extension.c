/* SPDX-License-Identifier: MIT */
/* ConnectEx, AcceptEx, GetAcceptExSockaddrs, TransmitFile, TransmitPackets,
 * DisconnectEx, WSARecvMsg and WSASendMsg through the provider (L06).
 * Their errors travel as the last error, as the application expects. */
#include <mswsock.h>
#include "lsp.h"
#include "extension.h"
#include "finish.h"
#include "sendmsg.h"
#include "redirect.h"
#include "../common/memcheck.h"

/* GetAcceptExSockaddrs takes no socket, so it cannot find its lower
 * provider: it uses the function of the last one that answered for it.
 * It only parses the buffer AcceptEx filled, the same for every provider. */
static LPFN_GETACCEPTEXSOCKADDRS volatile lower_get_sockaddrs;

/* The lower provider's function `id` for ctx's lower socket. */
static void *lower_function(struct context *ctx, enum ext_id id, int *error)
{
    struct lower *lower = ctx->layer->lower;
    GUID guid = ext_guids[id];
    void *fn = lower->ext[id];
    DWORD returned;

    if (fn)
        return fn;
    if (lower->procs.lpWSPIoctl(ctx->lower, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid,
                                sizeof(guid), &fn, sizeof(fn), &returned, NULL, NULL, NULL,
                                error))
        return NULL;
    lower->ext[id] = fn;
    return fn;
}

/* The socket `s` and the lower function `id` for it; NULL with *error. */
static struct context *begin(SOCKET s, enum ext_id id, void **fn, int *error)
{
    struct context *ctx = context_get(s, error);

    if (ctx && !(*fn = lower_function(ctx, id, error))) {
        context_release(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* Ends a call of ours: `error` 0 or the error for the last error. */
static BOOL end(struct context *ctx, int error)
{
    if (ctx)
        context_release(ctx);
    if (!error)
        return TRUE;
    SetLastError(error);
    return FALSE;
}

/* What the lower function's BOOL result means as an error. */
static int error_of(BOOL ok)
{
    return ok ? 0 : (int)GetLastError();
}

/* ConnectEx that a filter redirected: it runs on a thread of its own and
 * completes as any overlapped ConnectEx does (redirect.h). */
static BOOL connectex_redirected(struct context *ctx, const struct connect_route *route,
                                 LPOVERLAPPED overlapped, const void *data, DWORD len)
{
    struct op_start start = { overlapped, NULL, NULL, INSPECT_SENT, &(WSABUF){ len, (char *)data },
                              1 };
    int error;

    /* ConnectEx has no other way: an overlapped structure and socket are
     * its contract. */
    if (!op_wanted(ctx, overlapped))
        return end(ctx, WSAEINVAL);
    error = redirect_connectex(ctx, route, &start, data, len);
    return end(ctx, error ? error : WSA_IO_PENDING);
}

static BOOL PASCAL lsp_connectex(SOCKET s, const struct sockaddr *name, int namelen,
                                 PVOID lpSendBuffer, DWORD dwSendDataLength,
                                 LPDWORD lpdwBytesSent, LPOVERLAPPED lpOverlapped)
{
    struct op_start start = { lpOverlapped, NULL, NULL, INSPECT_SENT, NULL, 0 };
    struct connect_route route;
    LPFN_CONNECTEX fn;
    struct context *ctx;
    struct op *op;
    int error;

    if (!(ctx = begin(s, EXT_CONNECTEX, (void **)&fn, &error)))
        return end(NULL, error);
    if ((error = redirect_verdict(ctx, name, namelen, TRUE, &route)))
        return end(ctx, error);
    if (route.redirector >= 0)
        return connectex_redirected(ctx, &route, lpOverlapped, lpSendBuffer, dwSendDataLength);
    if (!op_wanted(ctx, lpOverlapped)) {
        WSABUF buf = { dwSendDataLength, lpSendBuffer };
        struct inspect_data data = { &buf, 1, 0, NULL, 0, 0, FALSE, FALSE };

        error = error_of(fn(ctx->lower, name, namelen, lpSendBuffer, dwSendDataLength,
                            lpdwBytesSent, lpOverlapped));
        inspect_result(ctx, INSPECT_SENT, error ? SOCKET_ERROR : 0, lpdwBytesSent, error, &data);
        return end(ctx, error);
    }
    /* The array is only the capture's: the lower call gets the buffer itself. */
    start.bufs = &(WSABUF){ dwSendDataLength, lpSendBuffer };
    start.count = 1;
    if ((op = op_begin(ctx, &start, &error))) {
        error = error_of(fn(ctx->lower, name, namelen, lpSendBuffer, dwSendDataLength,
                            &op->lower_bytes, &op->ov));
        error = finish_issued(op, error ? SOCKET_ERROR : 0, error, lpdwBytesSent, NULL);
    }
    return end(ctx, error);
}

static BOOL PASCAL lsp_acceptex(SOCKET sListenSocket, SOCKET sAcceptSocket,
                                PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                DWORD dwLocalAddressLength, DWORD dwRemoteAddressLength,
                                LPDWORD lpdwBytesReceived, LPOVERLAPPED lpOverlapped)
{
    struct op_start start = { lpOverlapped, NULL, NULL, INSPECT_RECEIVED, NULL, 0 };
    struct context *ctx, *accepted;
    LPFN_ACCEPTEX fn;
    struct op *op;
    int error;

    if (!(ctx = begin(sListenSocket, EXT_ACCEPTEX, (void **)&fn, &error)))
        return end(NULL, error);
    if (!(accepted = context_get(sAcceptSocket, &error)))
        return end(ctx, error);
    if (!op_wanted(ctx, lpOverlapped)) {
        error = error_of(fn(ctx->lower, accepted->lower, lpOutputBuffer, dwReceiveDataLength,
                            dwLocalAddressLength, dwRemoteAddressLength, lpdwBytesReceived,
                            lpOverlapped));
        WSABUF buf = { dwReceiveDataLength, lpOutputBuffer };
        struct inspect_data data = { &buf, 1, 0, NULL, 0, 0, FALSE, FALSE };

        /* A failed accept connected nothing: nothing to record (as for
         * an overlapped one, overlapped.c). */
        if (!error)
            inspect_result(accepted, INSPECT_RECEIVED, 0, lpdwBytesReceived, 0, &data);
    } else if ((start.bufs = &(WSABUF){ dwReceiveDataLength, lpOutputBuffer }, start.count = 1,
                op = op_begin(ctx, &start, &error))) {
        /* Completes on the listening socket; the data is the accepted one's. */
        op_set_data_context(op, accepted);
        error = error_of(fn(ctx->lower, accepted->lower, lpOutputBuffer, dwReceiveDataLength,
                            dwLocalAddressLength, dwRemoteAddressLength, &op->lower_bytes,
                            &op->ov));
        error = finish_issued(op, error ? SOCKET_ERROR : 0, error, lpdwBytesReceived, NULL);
    }
    context_release(accepted);
    return end(ctx, error);
}

static void PASCAL lsp_get_acceptex_sockaddrs(PVOID lpOutputBuffer, DWORD dwReceiveDataLength,
                                              DWORD dwLocalAddressLength,
                                              DWORD dwRemoteAddressLength,
                                              struct sockaddr **LocalSockaddr,
                                              LPINT LocalSockaddrLength,
                                              struct sockaddr **RemoteSockaddr,
                                              LPINT RemoteSockaddrLength)
{
    lower_get_sockaddrs(lpOutputBuffer, dwReceiveDataLength, dwLocalAddressLength,
                        dwRemoteAddressLength, LocalSockaddr, LocalSockaddrLength,
                        RemoteSockaddr, RemoteSockaddrLength);
}

/* TransmitFile and TransmitPackets report no count when they complete
 * inside the call without an overlapped structure; what they sent is
 * reported when they run as ops. */
static BOOL PASCAL lsp_transmitfile(SOCKET hSocket, HANDLE hFile, DWORD nNumberOfBytesToWrite,
                                    DWORD nNumberOfBytesPerSend, LPOVERLAPPED lpOverlapped,
                                    LPTRANSMIT_FILE_BUFFERS lpTransmitBuffers, DWORD dwReserved)
{
    struct op_start start = { lpOverlapped, NULL, NULL, INSPECT_SENT, NULL, 0 };
    LPFN_TRANSMITFILE fn;
    struct context *ctx;
    struct op *op;
    int error;

    if (!(ctx = begin(hSocket, EXT_TRANSMITFILE, (void **)&fn, &error)))
        return end(NULL, error);
    if (!op_wanted(ctx, lpOverlapped)) {
        error = error_of(fn(ctx->lower, hFile, nNumberOfBytesToWrite, nNumberOfBytesPerSend,
                            lpOverlapped, lpTransmitBuffers, dwReserved));
    } else if ((op = op_begin(ctx, &start, &error))) {
        error = error_of(fn(ctx->lower, hFile, nNumberOfBytesToWrite, nNumberOfBytesPerSend,
                            &op->ov, lpTransmitBuffers, dwReserved));
        error = finish_issued(op, error ? SOCKET_ERROR : 0, error, NULL, NULL);
    }
    return end(ctx, error);
}

static BOOL PASCAL lsp_transmitpackets(SOCKET hSocket, LPTRANSMIT_PACKETS_ELEMENT lpPacketArray,
                                       DWORD nElementCount, DWORD nSendSize,
                                       LPOVERLAPPED lpOverlapped, DWORD dwFlags)
{
    struct op_start start = { lpOverlapped, NULL, NULL, INSPECT_SENT, NULL, 0 };
    LPFN_TRANSMITPACKETS fn;
    struct context *ctx;
    struct op *op;
    int error;

    if (!(ctx = begin(hSocket, EXT_TRANSMITPACKETS, (void **)&fn, &error)))
        return end(NULL, error);
    if (!op_wanted(ctx, lpOverlapped)) {
        error = error_of(fn(ctx->lower, lpPacketArray, nElementCount, nSendSize, lpOverlapped,
                            dwFlags));
    } else if ((op = op_begin(ctx, &start, &error))) {
        error = error_of(fn(ctx->lower, lpPacketArray, nElementCount, nSendSize, &op->ov,
                            dwFlags));
        error = finish_issued(op, error ? SOCKET_ERROR : 0, error, NULL, NULL);
    }
    return end(ctx, error);
}

static BOOL PASCAL lsp_disconnectex(SOCKET s, LPOVERLAPPED lpOverlapped, DWORD dwFlags,
                                    DWORD dwReserved)
{
    struct op_start start = { lpOverlapped, NULL, NULL, INSPECT_NONE, NULL, 0 };
    LPFN_DISCONNECTEX fn;
    struct context *ctx;
    struct op *op;
    int error;

    if (!(ctx = begin(s, EXT_DISCONNECTEX, (void **)&fn, &error)))
        return end(NULL, error);
    if (!op_wanted(ctx, lpOverlapped)) {
        error = error_of(fn(ctx->lower, lpOverlapped, dwFlags, dwReserved));
    } else if ((op = op_begin(ctx, &start, &error))) {
        error = error_of(fn(ctx->lower, &op->ov, dwFlags, dwReserved));
        error = finish_issued(op, error ? SOCKET_ERROR : 0, error, NULL, NULL);
    }
    return end(ctx, error);
}

/* WSARecvMsg writes its results (flags, name and control lengths) into the
 * caller's WSAMSG, which the caller keeps valid until completion: the
 * lower provider gets that very WSAMSG. */
static INT WSAAPI lsp_wsarecvmsg(SOCKET s, LPWSAMSG lpMsg, LPDWORD lpdwNumberOfBytesRecvd,
                                 LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, NULL, INSPECT_RECEIVED, NULL,
                              0 };
    LPFN_WSARECVMSG fn;
    struct context *ctx;
    struct op *op;
    int error, result;

    if (!(ctx = begin(s, EXT_WSARECVMSG, (void **)&fn, &error)))
        return end(NULL, error) ? 0 : SOCKET_ERROR;
    if (mem_readable(lpMsg, sizeof(*lpMsg)) && (lpMsg->dwFlags & MSG_PEEK))
        start.direction = INSPECT_NONE;
    if (!op_wanted(ctx, lpOverlapped)) {
        struct inspect_data data = { 0 };

        result = fn(ctx->lower, lpMsg, lpdwNumberOfBytesRecvd, lpOverlapped,
                    lpCompletionRoutine);
        error = result ? (int)GetLastError() : 0;
        if (!result)
            data = (struct inspect_data){ lpMsg->lpBuffers, lpMsg->dwBufferCount,
                                          lpMsg->dwFlags, lpMsg->name, lpMsg->namelen, 0,
                                          FALSE, FALSE };
        inspect_result(ctx, start.direction, result, lpdwNumberOfBytesRecvd, error, &data);
    } else if (!mem_writable(lpMsg, sizeof(*lpMsg))) {
        error = WSAEFAULT;
    } else if ((op = op_begin(ctx, &start, &error))) {
        op->recv_msg = lpMsg;
        result = fn(ctx->lower, lpMsg, &op->lower_bytes, &op->ov, NULL);
        error = finish_issued(op, result, result ? (int)GetLastError() : 0, lpdwNumberOfBytesRecvd,
                          NULL);
    }
    return end(ctx, error) ? 0 : SOCKET_ERROR;
}

/* The same send as SIO_EXT_SENDMSG makes (sendmsg.c). */
static INT WSAAPI lsp_wsasendmsg(SOCKET s, LPWSAMSG lpMsg, DWORD dwFlags,
                                 LPDWORD lpNumberOfBytesSent, LPWSAOVERLAPPED lpOverlapped,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    WSASENDMSG args = { lpMsg, dwFlags, lpNumberOfBytesSent, lpOverlapped, lpCompletionRoutine };
    int error;
    struct context *ctx = context_get(s, &error);

    if (ctx)
        error = sendmsg_through(ctx, &args, NULL);
    return end(ctx, error) ? 0 : SOCKET_ERROR;
}

static void *const ours[EXT_COUNT] = {
    [EXT_CONNECTEX] = lsp_connectex,
    [EXT_ACCEPTEX] = lsp_acceptex,
    [EXT_GETACCEPTEXSOCKADDRS] = lsp_get_acceptex_sockaddrs,
    [EXT_TRANSMITFILE] = lsp_transmitfile,
    [EXT_TRANSMITPACKETS] = lsp_transmitpackets,
    [EXT_DISCONNECTEX] = lsp_disconnectex,
    [EXT_WSARECVMSG] = lsp_wsarecvmsg,
    [EXT_WSASENDMSG] = lsp_wsasendmsg,
};

int extension_replace(struct context *ctx, const GUID *guid, void **pointer)
{
    int id;

    for (id = 0; id < EXT_COUNT; id++) {
        if (!IsEqualGUID(guid, &ext_guids[id]))
            continue;
        ctx->layer->lower->ext[id] = *pointer;
        if (id == EXT_GETACCEPTEXSOCKADDRS)
            lower_get_sockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)*pointer;
        *pointer = ours[id];
        return 0;
    }
    /* Its function would get our handles and bypass the provider. */
    *pointer = NULL;
    return WSAEOPNOTSUPP;
}
