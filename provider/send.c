/* SPDX-License-Identifier: MIT */
/* WSPSend, WSPSendTo, WSPSendDisconnect.
 *
 * A call without an overlapped structure (or on a socket created without
 * the overlapped attribute) goes straight to the lower provider, with the
 * caller's own arguments: its synchronous semantics are the lower
 * provider's (S06-S09). An overlapped call runs as an op (overlapped.h). */
#include <stdlib.h>
#include "lsp.h"
#include "finish.h"
#include "fault.h"
#include "verdict.h"

/* The filters' verdict on a send (verdict.h), carried out when it ends
 * the call: a denial, or a replacement sent at once for a call that waits
 * for nothing. TRUE with *result the call's result when it did (the
 * capture records what the application sent); FALSE when the send goes
 * on, with `r` holding a replacement for an overlapped one. */
static BOOL ended_by_verdict(struct context *ctx, LPWSABUF bufs, DWORD count, DWORD flags,
                             const struct sockaddr *to, int to_len, BOOL overlapped,
                             LPDWORD sent, struct send_replacement *r, LPINT lpErrno,
                             int *result)
{
    int error = send_verdict(ctx, bufs, count, to, to_len, r);
    struct inspect_data data = { bufs, count, flags, to, to_len, 0, FALSE, FALSE };

    if (!error && (!r->bytes || overlapped))
        return FALSE;
    if (!error)
        error = send_replaced_now(ctx, r, flags, to, to_len, sent);
    data.replaced = !error && r->replaced;
    data.redirected = !error && r->to_len;
    inspect_result(ctx, INSPECT_SENT, error ? SOCKET_ERROR : 0, sent, error, &data);
    *result = error ? lsp_fail(lpErrno, error) : 0;
    return TRUE;
}

/* An op's lower send: its bytes (op_send_bufs) to where the filters sent
 * them, or where the caller said (`to` NULL: a connected socket's peer). */
static int issue_send(struct op *op, DWORD count, DWORD flags, const struct sockaddr *to,
                      int to_len, LPWSATHREADID thread, int *error)
{
    struct context *ctx = op->ctx;
    WSABUF *bufs = op_send_bufs(op, &count);

    to = send_destination(&op->replaced, to, &to_len);
    if (to)
        return LOWER(ctx)->lpWSPSendTo(ctx->lower, bufs, count, &op->lower_bytes, flags, to,
                                       to_len, &op->ov, NULL, thread, error);
    return LOWER(ctx)->lpWSPSend(ctx->lower, bufs, count, &op->lower_bytes, flags, &op->ov, NULL,
                                 thread, error);
}

int WSPAPI WSPSend(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesSent, DWORD dwFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId, INSPECT_SENT,
                              lpBuffers, dwBufferCount };
    struct context *ctx = context_get(s, lpErrno);
    struct send_replacement replacement;
    struct op *op;
    int result, error = 0;

    if (!ctx)
        return SOCKET_ERROR;
    if (ended_by_verdict(ctx, lpBuffers, dwBufferCount, dwFlags, NULL, 0,
                         op_wanted(ctx, lpOverlapped), lpNumberOfBytesSent, &replacement,
                         lpErrno, &result)) {
        context_release(ctx);
        return result;
    }
    if (!op_wanted(ctx, lpOverlapped)) {
        struct inspect_data data = { lpBuffers, dwBufferCount, dwFlags, NULL, 0, 0, FALSE, FALSE };

        result = LOWER(ctx)->lpWSPSend(ctx->lower, lpBuffers, dwBufferCount,
                                       lpNumberOfBytesSent, dwFlags, lpOverlapped,
                                       lpCompletionRoutine, lpThreadId, lpErrno);
        inspect_result(ctx, INSPECT_SENT, result, lpNumberOfBytesSent, *lpErrno, &data);
        context_release(ctx);
        return result;
    }
    op = op_begin(ctx, &start, &error);
    if (op) {
        op->send_flags = dwFlags;
        op_replace_send(op, &replacement);
        if (FAULT_IF(3, fault_defer_send(op, dwBufferCount, dwFlags, &error)))
            result = SOCKET_ERROR;
        else
            result = issue_send(op, dwBufferCount, dwFlags, NULL, 0, lpThreadId, &error);
        error = finish_issued(op, result, error, lpNumberOfBytesSent, NULL);
    }
    free(replacement.bytes);
    context_release(ctx);
    return error ? lsp_fail(lpErrno, error) : 0;
}

int WSPAPI WSPSendTo(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                     LPDWORD lpNumberOfBytesSent, DWORD dwFlags, const struct sockaddr *lpTo,
                     int iTolen, LPWSAOVERLAPPED lpOverlapped,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                     LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId, INSPECT_SENT,
                              lpBuffers, dwBufferCount };
    struct context *ctx = context_get(s, lpErrno);
    struct send_replacement replacement;
    struct op *op;
    int result, error = 0;

    if (!ctx)
        return SOCKET_ERROR;
    if (ended_by_verdict(ctx, lpBuffers, dwBufferCount, dwFlags, lpTo, iTolen,
                         op_wanted(ctx, lpOverlapped), lpNumberOfBytesSent, &replacement,
                         lpErrno, &result)) {
        context_release(ctx);
        return result;
    }
    if (!op_wanted(ctx, lpOverlapped)) {
        struct inspect_data data = { lpBuffers, dwBufferCount, dwFlags, lpTo, iTolen, 0,
                                     FALSE, FALSE };

        result = LOWER(ctx)->lpWSPSendTo(ctx->lower, lpBuffers, dwBufferCount,
                                         lpNumberOfBytesSent, dwFlags, lpTo, iTolen,
                                         lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
        inspect_result(ctx, INSPECT_SENT, result, lpNumberOfBytesSent, *lpErrno, &data);
        context_release(ctx);
        return result;
    }
    /* The destination is read by the lower call itself, like the data
     * buffers: the caller keeps it valid for the call. */
    op = op_begin(ctx, &start, &error);
    if (op) {
        op->send_flags = dwFlags;
        op_keep_destination(op, lpTo, iTolen);
        op_replace_send(op, &replacement);
        result = issue_send(op, dwBufferCount, dwFlags, lpTo, iTolen, lpThreadId, &error);
        error = finish_issued(op, result, error, lpNumberOfBytesSent, NULL);
    }
    free(replacement.bytes);
    context_release(ctx);
    return error ? lsp_fail(lpErrno, error) : 0;
}

int WSPAPI WSPSendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPSendDisconnect(ctx->lower, lpOutboundDisconnectData, lpErrno);
    context_release(ctx);
    return result;
}
