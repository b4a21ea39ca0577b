/* SPDX-License-Identifier: MIT */
/* How an overlapped operation ends: who completes it to the caller, with
 * what result, recorded for the capture and delivered (complete.c).
 *
 * Each op is referenced by its issuer (until the lower call returned) and
 * by the packet the lower provider will post to our port (when the lower
 * call returned 0 or WSA_IO_PENDING). Which thread completes it to the
 * caller is decided once, without locks:
 *  - the lower call returned 0: the issuer completes it before returning,
 *    so a routine is already queued when the caller sees 0 (S02);
 *  - it returned WSA_IO_PENDING: the worker does, on the packet, unless the
 *    packet came while the issuer was still inside the lower call - then
 *    the issuer does, right after it.
 * So the caller hears of it exactly once (L03).
 *
 * A lower call that fails with WSAEMSGSIZE may still have completed the
 * operation: a datagram receive into too small a buffer delivers the
 * truncated datagram and completes with STATUS_BUFFER_OVERFLOW, a warning
 * status, so the system fills the WSAOVERLAPPED in and posts the packet as
 * for a success. That counts as done at once, with the error; the caller
 * gets its result in the WSAOVERLAPPED (L04), but no event or packet: the
 * call failed, and a failed call starts nothing the caller hears of (S05,
 * and complete.c). */
#include "lsp.h"
#include "finish.h"
#include "complete.h"
#include "fault.h"
#include "lspkit/trace.h"

/* The op's transfer for the inspection hook: its buffers and flags, the
 * datagram peer (a send's copied destination, a receive's source as the
 * lower provider wrote it) and the thread that issued it. */
static void report(struct op *op, int error, DWORD bytes, DWORD flags)
{
    struct inspect_data data = { op->bufs, op->count, flags, NULL, 0, op->thread_id,
                                 op->replaced.replaced || op->received.replaced,
                                 op->replaced.to_len || op->received.redirected };

    /* An AcceptEx (the one op whose data is another socket's) that failed
     * connected nothing: the socket it would have accepted has no
     * conversation to record it in (libuv keeps dozens posted, all aborted
     * when its server closes). */
    if (error && op->data_ctx != op->ctx)
        return;
    if (op->direction == INSPECT_SENT) {
        data.flags = op->send_flags;
        if (op->to_len) {
            data.peer = (const struct sockaddr *)&op->to;
            data.peer_len = op->to_len;
        }
    } else if (op->recv_msg) {
        data.bufs = op->recv_msg->lpBuffers;
        data.count = op->recv_msg->dwBufferCount;
        data.flags = op->recv_msg->dwFlags;
        if (!error) {
            data.peer = op->recv_msg->name;
            data.peer_len = op->recv_msg->namelen;
        }
    } else if (!error && op->from && op->from_len) {
        /* The lower provider accepted both pointers when the call was
         * issued and has just written through them; the caller keeps
         * them valid until the completion, as for any receive. */
        data.peer = op->from;
        data.peer_len = *op->from_len;
    }
    inspect_record(op->data_ctx, op->direction, bytes, error, &data);
}

/* What the caller is told of `lower` bytes moved: a replaced send reports
 * the caller's own count (verdict.h). */
static DWORD caller_bytes(const struct op *op, DWORD lower)
{
    return op->replaced.bytes ? send_replaced_count(&op->replaced, lower) : lower;
}

/* A receive the filters judge as it ends (verdict.h): one into the
 * caller's own buffers - not WSARecvMsg's message, nor AcceptEx's first
 * data, which is another socket's. The error it ends with, or 0. */
static int judge_received(struct op *op, DWORD *bytes)
{
    /* The lower provider has just written the source, as report() reads it. */
    const struct recv_source source = { op->from, op->from_len, op->from_room };
    int error;

    if (op->direction != INSPECT_RECEIVED || op->recv_msg || op->data_ctx != op->ctx)
        return 0;
    error = recv_verdict(op->ctx, op->bufs, op->count, bytes, &source, &op->received);
    if (error)
        *bytes = 0;
    return error;
}

/* Completes the op to the caller: the one place that does (see above). */
static void finish_op(struct op *op, int error, DWORD bytes, DWORD flags, BOOL at_once)
{
    bytes = caller_bytes(op, bytes);
    if (!error)
        error = judge_received(op, &bytes);
    TRACE("op %p (caller's overlapped %p, socket %#Ix): completed%s, error %d, %lu bytes",
          (void *)op, (void *)op->app, (ULONG_PTR)op->ctx->app, at_once ? " at once" : "",
          error, bytes);
    if (op->direction != INSPECT_NONE)
        report(op, error, bytes, flags);
    /* AcceptEx: the one op whose data is another socket's. */
    if (!error && op->data_ctx != op->ctx)
        inspect_accepted(op->ctx, op->data_ctx);
    op->finished = TRUE;
    op->error = error;
    op->bytes = bytes;
    op->flags = flags;
    complete_deliver(op, at_once);
    context_io_end(op->ctx, &op->io);
}

/* The lower provider's answer for an op whose packet has come. Once our
 * close has closed the lower socket, the lower provider may no longer
 * answer for it (WSAENOTSOCK): the operations it still returns are those
 * the close aborted, which end as WSPSend documents for an operation
 * canceled by closing the socket, with what the packet says was moved
 * (S29). */
static void finish_from_lower(struct op *op, BOOL at_once)
{
    DWORD bytes = 0, flags = 0;
    int error = 0;

    if (LOWER(op->ctx)->lpWSPGetOverlappedResult(op->ctx->lower, &op->ov, &bytes, FALSE,
                                                 &flags, &error))
        finish_op(op, 0, bytes, flags, at_once);
    else if (error == WSAENOTSOCK && context_closing(op->ctx))
        finish_op(op, WSA_OPERATION_ABORTED, op->packet_bytes, 0, at_once);
    else
        finish_op(op, error ? error : WSAEINVAL, bytes, flags, at_once);
}

/* The lower call failed, yet completed our WSAOVERLAPPED (see above): its
 * packet will come like any other. */
static BOOL completed_with_error(const struct op *op, int error)
{
    return error == WSAEMSGSIZE && op->ov.Internal != STATUS_PENDING;
}

int finish_issued(struct op *op, int result, int error, LPDWORD bytes_out, LPDWORD flags_out)
{
    int done_error = 0;
    LONG before;

    TRACE("op %p (caller's overlapped %p, socket %#Ix): lower call %d, error %d", (void *)op,
          (void *)op->app, (ULONG_PTR)op->ctx->app, result, result ? error : 0);
    if (result != 0 && error != WSA_IO_PENDING && !completed_with_error(op, error)) {
        /* Nothing started, nothing will complete (S05). */
        FAULT_DO(4, fault_signal_event(op));
        op->app->Internal = op->saved_internal;
        op->app->InternalHigh = op->saved_internal_high;
        context_io_end(op->ctx, &op->io);
        op_release(op);
        op_release(op);
        return error ? error : WSAEINVAL;
    }
    if (result == 0) {
        finish_op(op, 0, op->lower_bytes, op->lower_flags, TRUE);
        if (bytes_out)
            *bytes_out = op->bytes;
        if (flags_out)
            *flags_out = op->flags;
        /* A filter failed what the lower call did at once: the caller
         * learns it from the completion, as of an operation that pended
         * (a failed call completes nothing, S05, and this one did). */
        if (op->error)
            done_error = WSA_IO_PENDING;
    } else if (error != WSA_IO_PENDING) {
        /* The lower provider's own answer, as the caller gets it later from
         * WSPGetOverlappedResult. The count and flags of a failed call are
         * not the caller's (the system's receive leaves them alone too). */
        op->failed_at_once = TRUE;
        finish_from_lower(op, TRUE);
    }
    before = InterlockedExchange(&op->state, OP_ISSUED);
    if (result != 0 && error == WSA_IO_PENDING && before == OP_EARLY)
        finish_from_lower(op, FALSE);
    op_release(op);
    return result == 0 ? done_error : error;
}

struct op *finish_own_begin(struct context *ctx, const struct op_start *start, int *error)
{
    struct op *op = op_begin(ctx, start, error);

    /* No lower call, so no packet will come: one reference, the finisher's. */
    if (op) {
        op->refs = 1;
        op->state = OP_ISSUED;
    }
    return op;
}

void finish_own(struct op *op, int error, DWORD bytes)
{
    finish_op(op, error, bytes, 0, FALSE);
    op_release(op);
}

int finish_at_once(struct context *ctx, const struct op_start *start, DWORD bytes)
{
    int error = 0;
    struct op *op = finish_own_begin(ctx, start, &error);

    if (!op)
        return error;
    finish_op(op, 0, bytes, 0, TRUE);
    op_release(op);
    return 0;
}

void finish_packet(LPOVERLAPPED ov, DWORD packet_bytes)
{
    struct op *op = CONTAINING_RECORD(ov, struct op, ov);

    op->packet_bytes = packet_bytes;
    /* Still inside the lower call, or done at once: the issuer finishes it
     * (see above); it set `finished` before it left OP_ISSUING. */
    if (InterlockedCompareExchange(&op->state, OP_EARLY, OP_ISSUING) != OP_ISSUING &&
        !op->finished)
        finish_from_lower(op, FALSE);
    op_release(op);
}
