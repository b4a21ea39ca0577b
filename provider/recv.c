/* SPDX-License-Identifier: MIT */
/* WSPRecv, WSPRecvFrom, WSPRecvDisconnect: as send.c, in the other
 * direction. The receive flags are in/out: an op keeps its own copy for
 * the lower provider to write, and hands the result back through
 * WSPGetOverlappedResult (Offset) or the routine's dwFlags. */
#include "lsp.h"
#include "finish.h"
#include "verdict.h"
#include "capture/capture.h"
#include "../common/memcheck.h"

/* A MSG_PEEK leaves the data queued: it is reported when it is received. */
static enum inspect_direction direction_of(const DWORD *flags)
{
    if (flags && mem_readable(flags, sizeof(*flags)) && (*flags & MSG_PEEK))
        return INSPECT_NONE;
    return INSPECT_RECEIVED;
}

/* Starts an op for a receive: the flags must be readable, as the lower
 * provider would demand. */
static struct op *begin_receive(struct context *ctx, const struct op_start *start,
                                LPDWORD lpFlags, int *error)
{
    struct op *op;

    if (!mem_writable(lpFlags, sizeof(*lpFlags))) {
        *error = WSAEFAULT;
        return NULL;
    }
    op = op_begin(ctx, start, error);
    if (op)
        op->lower_flags = *lpFlags;
    return op;
}

/* A receive the lower provider ended at once: the filters' verdict on it
 * (verdict.h), which may put other bytes in the caller's buffers or fail
 * it. Returns the call's result. */
static int judged(struct context *ctx, enum inspect_direction direction, int result,
                  LPDWORD bytes, const struct recv_source *source, struct inspect_data *data,
                  LPINT lpErrno)
{
    struct recv_change changed;
    int error;

    if (result || direction != INSPECT_RECEIVED || !bytes)
        return result;
    error = recv_verdict(ctx, data->bufs, data->count, bytes, source, &changed);
    data->replaced = changed.replaced;
    data->redirected = changed.redirected;
    if (changed.redirected)         /* rewritten in place: a new length */
        data->peer_len = *source->from_len;
    return error ? lsp_fail(lpErrno, error) : 0;
}

int WSPAPI WSPRecv(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                   LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, LPWSAOVERLAPPED lpOverlapped,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                   LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId,
                              direction_of(lpFlags), lpBuffers, dwBufferCount };
    struct context *ctx = context_get(s, lpErrno);
    struct op *op;
    int result, error = 0;

    if (!ctx)
        return SOCKET_ERROR;
    if (!op_wanted(ctx, lpOverlapped)) {
        struct inspect_data data = { lpBuffers, dwBufferCount, 0, NULL, 0, 0, FALSE, FALSE };

        result = LOWER(ctx)->lpWSPRecv(ctx->lower, lpBuffers, dwBufferCount,
                                       lpNumberOfBytesRecvd, lpFlags, lpOverlapped,
                                       lpCompletionRoutine, lpThreadId, lpErrno);
        if (result == 0)
            data.flags = *lpFlags;
        result = judged(ctx, start.direction, result, lpNumberOfBytesRecvd, NULL, &data,
                        lpErrno);
        inspect_result(ctx, start.direction, result, lpNumberOfBytesRecvd, *lpErrno, &data);
        context_release(ctx);
        return result;
    }
    op = begin_receive(ctx, &start, lpFlags, &error);
    if (op) {
        result = LOWER(ctx)->lpWSPRecv(ctx->lower, op->bufs, dwBufferCount, &op->lower_bytes,
                                       &op->lower_flags, &op->ov, NULL, lpThreadId, &error);
        error = finish_issued(op, result, error, lpNumberOfBytesRecvd, lpFlags);
    }
    context_release(ctx);
    return error ? lsp_fail(lpErrno, error) : 0;
}

/* Capture and the filters want a datagram's source even when the caller
 * asks for none: the lower call then writes it into storage of ours.
 * Returns the room the source has: the caller's own storage's, which a
 * filter's redirect must fit (0 when its length cannot be read: the lower
 * call refuses it). */
static int source_storage(const struct context *ctx, struct sockaddr **from, LPINT *from_len,
                          struct sockaddr_storage *own, LPINT own_len)
{
    if (!*from && (capture_enabled() || recv_verdict_wants_source(ctx))) {
        *own_len = sizeof(*own);
        *from = (struct sockaddr *)own;
        *from_len = own_len;
    }
    return *from_len && mem_readable(*from_len, sizeof(**from_len)) ? **from_len : 0;
}

int WSPAPI WSPRecvFrom(SOCKET s, LPWSABUF lpBuffers, DWORD dwBufferCount,
                       LPDWORD lpNumberOfBytesRecvd, LPDWORD lpFlags, struct sockaddr *lpFrom,
                       LPINT lpFromlen, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                       LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId,
                              direction_of(lpFlags), lpBuffers, dwBufferCount };
    struct context *ctx = context_get(s, lpErrno);
    struct op *op;
    int result, error = 0;

    if (!ctx)
        return SOCKET_ERROR;
    if (!op_wanted(ctx, lpOverlapped)) {
        struct inspect_data data = { lpBuffers, dwBufferCount, 0, NULL, 0, 0, FALSE, FALSE };
        struct sockaddr_storage own;
        INT own_len;
        struct recv_source source = { NULL, NULL, 0 };

        source.room = source_storage(ctx, &lpFrom, &lpFromlen, &own, &own_len);
        result = LOWER(ctx)->lpWSPRecvFrom(ctx->lower, lpBuffers, dwBufferCount,
                                           lpNumberOfBytesRecvd, lpFlags, lpFrom, lpFromlen,
                                           lpOverlapped, lpCompletionRoutine, lpThreadId,
                                           lpErrno);
        if (result == 0) {
            data.flags = *lpFlags;
            source.from = lpFrom;
            source.from_len = lpFromlen;
            if (lpFrom && lpFromlen) {
                data.peer = lpFrom;
                data.peer_len = *lpFromlen;
            }
        }
        result = judged(ctx, start.direction, result, lpNumberOfBytesRecvd, &source, &data,
                        lpErrno);
        inspect_result(ctx, start.direction, result, lpNumberOfBytesRecvd, *lpErrno, &data);
        context_release(ctx);
        return result;
    }
    /* The sender's address and its length are written at completion into
     * the caller's own storage, which it keeps valid until then. */
    op = begin_receive(ctx, &start, lpFlags, &error);
    if (op) {
        op->from_room = source_storage(ctx, &lpFrom, &lpFromlen, &op->own_from,
                                       &op->own_from_len);
        op->from = lpFrom;
        op->from_len = lpFromlen;
        result = LOWER(ctx)->lpWSPRecvFrom(ctx->lower, op->bufs, dwBufferCount,
                                           &op->lower_bytes, &op->lower_flags, lpFrom,
                                           lpFromlen, &op->ov, NULL, lpThreadId, &error);
        error = finish_issued(op, result, error, lpNumberOfBytesRecvd, lpFlags);
    }
    context_release(ctx);
    return error ? lsp_fail(lpErrno, error) : 0;
}

int WSPAPI WSPRecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPRecvDisconnect(ctx->lower, lpInboundDisconnectData, lpErrno);
    context_release(ctx);
    return result;
}
