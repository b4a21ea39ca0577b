/* SPDX-License-Identifier: MIT */
/* The life of an overlapped operation.
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
 * for a success (L04). That counts as done at once, with the error. */
#include <stdlib.h>
#include <string.h>
#include "lsp.h"
#include "overlapped.h"
#include "complete.h"
#include "fault.h"
#include "worker.h"
#include "lspkit/cancel.h"
#include "lspkit/trace.h"

enum op_state {
    OP_ISSUING,                   /* the issuer is inside the lower call */
    OP_ISSUED,                    /* the lower call returned */
    OP_EARLY,                     /* the packet came while OP_ISSUING */
};

static BOOL capture_bufs(struct op *op, const struct op_start *start, int *err)
{
    if (!start->count || FAULT_IF(3, fault_keep_caller_bufs())) {
        /* Nothing to copy; the lower provider judges the pointer itself. */
        op->bufs = (WSABUF *)start->bufs;
        return TRUE;
    }
    if (start->count > MAXDWORD / sizeof(WSABUF) ||
        IsBadReadPtr(start->bufs, start->count * sizeof(WSABUF))) {
        *err = WSAEFAULT;
        return FALSE;
    }
    op->bufs = op->inline_bufs;
    if (start->count > OP_INLINE_BUFS) {
        op->bufs = malloc(start->count * sizeof(WSABUF));
        if (!op->bufs) {
            *err = WSAENOBUFS;
            return FALSE;
        }
        op->bufs_heap = TRUE;
    }
    memcpy(op->bufs, start->bufs, start->count * sizeof(WSABUF));
    return TRUE;
}

/* The thread the routine goes to, by value; the calling thread's own
 * WSATHREADID when the caller gave none (the extension functions). */
static BOOL capture_thread(struct op *op, const struct op_start *start, int *err)
{
    if (!start->routine)
        return TRUE;
    if (start->thread) {
        op->thread = *start->thread;
        FAULT_DO(2, fault_keep_thread_pointer(&op->thread, start->thread));
        return TRUE;
    }
    if (lsp_upcalls.lpWPUOpenCurrentThread(&op->thread, err))
        return FALSE;
    op->own_thread = TRUE;
    return TRUE;
}

/* Whether the system would cancel the caller's operation when the issuing
 * thread exits (S30), told through our own WSAOVERLAPPED's event (see
 * worker_exit_event): it does for an operation reporting through an event
 * or a routine, not for one that reports only to a completion port - the
 * one kind with neither, whose thread may well exit before it completes
 * (the port's threads wait for it). */
static void inherit_exit_cancel(struct op *op, const struct op_start *start)
{
    if (start->routine || start->overlapped->hEvent)
        op->ov.hEvent = worker_exit_event();
}

static void free_op(struct op *op)
{
    int ignored;

    if (op->own_thread)
        lsp_upcalls.lpWPUCloseThread(&op->thread, &ignored);
    if (op->bufs_heap)
        free(op->bufs);
    if (op->data_ctx != op->ctx)
        context_release(op->data_ctx);
    context_release(op->ctx);
    free(op);
}

void op_release(struct op *op)
{
    if (InterlockedDecrement(&op->refs) == 0)
        free_op(op);
}

struct op *op_begin(struct context *ctx, const struct op_start *start, int *err)
{
    struct op *op;

    if (IsBadWritePtr(start->overlapped, sizeof(*start->overlapped))) {
        *err = WSAEFAULT;
        return NULL;
    }
    op = calloc(1, sizeof(*op));
    if (!op) {
        *err = WSAENOBUFS;
        return NULL;
    }
    op->refs = 2;
    op->state = OP_ISSUING;
    op->ctx = op->data_ctx = ctx;
    op->direction = start->direction;
    op->app = start->overlapped;
    op->routine = start->routine;
    op->count = start->count;
    op->thread_id = GetCurrentThreadId();
    inherit_exit_cancel(op, start);
    context_addref(ctx);
    if (!capture_bufs(op, start, err) || !capture_thread(op, start, err)) {
        free_op(op);
        return NULL;
    }
    if (!context_io_begin(ctx, op)) {
        *err = WSAENOTSOCK;
        free_op(op);
        return NULL;
    }
    /* Ours pending too: whether the lower call completed it tells a
     * receive cut short from a call that started nothing (op_issued). */
    op->ov.Internal = STATUS_PENDING;
    op->saved_internal = op->app->Internal;
    op->saved_internal_high = op->app->InternalHigh;
    op->app->InternalHigh = 0;
    op->app->Internal = STATUS_PENDING;
    return op;
}

void op_keep_destination(struct op *op, const struct sockaddr *to, int len)
{
    if (to && len > 0 && len <= (int)sizeof(op->to) && !IsBadReadPtr(to, len)) {
        memcpy(&op->to, to, len);
        op->to_len = len;
    }
}

void op_set_data_context(struct op *op, struct context *data)
{
    context_addref(data);
    op->data_ctx = data;
}

/* The op's transfer for the inspection hook: its buffers and flags, the
 * datagram peer (a send's copied destination, a receive's source as the
 * lower provider wrote it) and the thread that issued it. */
static void report(struct op *op, int error, DWORD bytes, DWORD flags)
{
    struct inspect_data data = { op->bufs, op->count, flags, NULL, 0, op->thread_id };

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

/* Completes the op to the caller: the one place that does (see above). */
static void finish(struct op *op, int error, DWORD bytes, DWORD flags, BOOL at_once)
{
    TRACE("op %p (caller's overlapped %p, socket %#Ix): completed%s, error %d, %lu bytes",
          (void *)op, (void *)op->app, (ULONG_PTR)op->ctx->app, at_once ? " at once" : "",
          error, bytes);
    if (op->direction != INSPECT_NONE)
        report(op, error, bytes, flags);
    op->finished = TRUE;
    op->error = error;
    op->bytes = bytes;
    op->flags = flags;
    complete_deliver(op, at_once);
    context_io_end(op->ctx, op);
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
        finish(op, 0, bytes, flags, at_once);
    else if (error == WSAENOTSOCK && context_closing(op->ctx))
        finish(op, WSA_OPERATION_ABORTED, op->packet_bytes, 0, at_once);
    else
        finish(op, error ? error : WSAEINVAL, bytes, flags, at_once);
}

/* The lower call failed, yet completed our WSAOVERLAPPED (see above): its
 * packet will come like any other. */
static BOOL completed_with_error(const struct op *op, int error)
{
    return error == WSAEMSGSIZE && op->ov.Internal != STATUS_PENDING;
}

int op_issued(struct op *op, int result, int error, LPDWORD bytes_out, LPDWORD flags_out)
{
    LONG before;

    TRACE("op %p (caller's overlapped %p, socket %#Ix): lower call %d, error %d", (void *)op,
          (void *)op->app, (ULONG_PTR)op->ctx->app, result, result ? error : 0);
    if (result != 0 && error != WSA_IO_PENDING && !completed_with_error(op, error)) {
        /* Nothing started, nothing will complete (S05). */
        FAULT_DO(4, fault_signal_event(op));
        op->app->Internal = op->saved_internal;
        op->app->InternalHigh = op->saved_internal_high;
        context_io_end(op->ctx, op);
        op_release(op);
        op_release(op);
        return error ? error : WSAEINVAL;
    }
    if (result == 0) {
        if (bytes_out)
            *bytes_out = op->lower_bytes;
        if (flags_out)
            *flags_out = op->lower_flags;
        finish(op, 0, op->lower_bytes, op->lower_flags, TRUE);
    } else if (error != WSA_IO_PENDING) {
        /* The lower provider's own answer, as the caller gets it later from
         * WSPGetOverlappedResult. The count and flags of a failed call are
         * not the caller's (the system's receive leaves them alone too). */
        finish_from_lower(op, TRUE);
    }
    before = InterlockedExchange(&op->state, OP_ISSUED);
    if (result != 0 && error == WSA_IO_PENDING && before == OP_EARLY)
        finish_from_lower(op, FALSE);
    op_release(op);
    return result == 0 ? 0 : error;
}

int op_complete_now(struct context *ctx, const struct op_start *start, DWORD bytes)
{
    int error = 0;
    struct op *op = op_begin(ctx, start, &error);

    if (!op)
        return error;
    /* No lower call, so no packet will come. */
    op->refs = 1;
    op->state = OP_ISSUED;
    finish(op, 0, bytes, 0, TRUE);
    op_release(op);
    return 0;
}

struct op *op_from_lower(LPOVERLAPPED ov)
{
    return CONTAINING_RECORD(ov, struct op, ov);
}

void op_lower_done(struct op *op, DWORD packet_bytes)
{
    op->packet_bytes = packet_bytes;
    /* Still inside the lower call, or done at once: the issuer finishes it
     * (see above); it set `finished` before it left OP_ISSUING. */
    if (InterlockedCompareExchange(&op->state, OP_EARLY, OP_ISSUING) != OP_ISSUING &&
        !op->finished)
        finish_from_lower(op, FALSE);
    op_release(op);
}

/* An IFS lower socket is a file handle: its operation is cancelled on it
 * as any I/O is (ERROR_NOT_FOUND: it is done already, and its packet on
 * its way). A non-IFS lower provider is asked as the front end asks us. */
int op_cancel(struct context *ctx, LPWSAOVERLAPPED app, LPWSATHREADID thread)
{
    struct op *op = context_find_op(ctx, app);
    LPWSAOVERLAPPED lower_ov;
    DWORD returned = 0;
    int error = 0;

    TRACE("cancel of caller's overlapped %p on socket %#Ix: %s", (void *)app,
          (ULONG_PTR)ctx->app, op ? "cancelling the lower operation" : "no such operation");
    if (!op)
        return WSAEINVAL;
    if (ctx->layer->lower->ifs_handles) {
        CancelIoEx((HANDLE)ctx->lower, &op->ov);
    } else {
        lower_ov = &op->ov;
        if (LOWER(ctx)->lpWSPIoctl(ctx->lower, SIO_LSPKIT_CANCEL, &lower_ov, sizeof(lower_ov),
                                   NULL, 0, &returned, NULL, NULL, thread, &error) == 0)
            error = 0;
    }
    op_release(op);
    return error;
}
