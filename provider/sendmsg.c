/* SPDX-License-Identifier: MIT */
/* WSASendMsg through the provider, however the application reached it:
 * the SIO_EXT_SENDMSG ioctl (Windows' route since Vista, after our
 * SIO_BSP_HANDLE answer named our socket) or our extension function. The
 * message is inspected and captured as WSPSend's buffers are, its WSABUF
 * array captured for an overlapped send (S10), and the lower provider
 * gets the send through SIO_EXT_SENDMSG on the lower socket. */
#include "sendmsg.h"
#include "finish.h"
#include "../common/memcheck.h"

/* SIO_EXT_SENDMSG on the lower socket; its error comes back in the output
 * buffer. */
static int lower_sendmsg(struct context *ctx, WSAMSG *msg, DWORD flags, LPDWORD sent,
                         LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine,
                         LPWSATHREADID thread, int *error)
{
    WSASENDMSG args = { msg, flags, sent, ov, routine };
    DWORD code = 0, returned;
    int result;

    result = LOWER(ctx)->lpWSPIoctl(ctx->lower, SIO_EXT_SENDMSG, &args, sizeof(args), &code,
                                    sizeof(code), &returned, NULL, NULL, thread, error);
    if (result == SOCKET_ERROR && code)
        *error = (int)code;
    return result == SOCKET_ERROR ? SOCKET_ERROR : 0;
}

int sendmsg_through(struct context *ctx, const WSASENDMSG *args, LPWSATHREADID thread)
{
    struct op_start start = { args->lpOverlapped, args->lpCompletionRoutine, thread,
                              INSPECT_SENT, NULL, 0 };
    WSAMSG *msg = args->lpMsg;
    struct op *op;
    int error = 0, result;

    if (!mem_readable(msg, sizeof(*msg)))
        return WSAEFAULT;
    if (!op_wanted(ctx, args->lpOverlapped)) {
        struct inspect_data data = { msg->lpBuffers, msg->dwBufferCount, args->dwFlags,
                                     msg->name, msg->namelen, 0, FALSE, FALSE };

        result = lower_sendmsg(ctx, msg, args->dwFlags, args->lpNumberOfBytesSent,
                               args->lpOverlapped, args->lpCompletionRoutine, thread, &error);
        inspect_result(ctx, INSPECT_SENT, result, args->lpNumberOfBytesSent, error, &data);
        return result ? error : 0;
    }
    start.bufs = msg->lpBuffers;
    start.count = msg->dwBufferCount;
    if ((op = op_begin(ctx, &start, &error))) {
        op->send_flags = args->dwFlags;
        op_keep_destination(op, msg->name, msg->namelen);
        op->msg = *msg;
        op->msg.lpBuffers = op->bufs;
        result = lower_sendmsg(ctx, &op->msg, args->dwFlags, &op->lower_bytes, &op->ov, NULL,
                               thread, &error);
        error = finish_issued(op, result, error, args->lpNumberOfBytesSent, NULL);
    }
    return error;
}
