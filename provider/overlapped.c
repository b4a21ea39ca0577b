/* SPDX-License-Identifier: MIT */
/* An overlapped operation's own life: begun with what the caller gave it
 * captured, found again for a cancel, released by its last reference. How
 * it ends, and who ends it, is finish.c's. */
#include <stdlib.h>
#include <string.h>
#include "lsp.h"
#include "overlapped.h"
#include "fault.h"
#include "lspkit/cancel.h"
#include "lspkit/trace.h"
#include "../common/memcheck.h"

/* See op_exit_event_start. */
static HANDLE exit_event;

static BOOL capture_bufs(struct op *op, const struct op_start *start, int *err)
{
    if (!start->count || FAULT_IF(3, fault_keep_caller_bufs())) {
        /* Nothing to copy; the lower provider judges the pointer itself. */
        op->bufs = (WSABUF *)start->bufs;
        return TRUE;
    }
    if (start->count > MAXDWORD / sizeof(WSABUF) ||
        !mem_readable(start->bufs, start->count * sizeof(WSABUF))) {
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
 * op_exit_event_start): it does for an operation reporting through an event
 * or a routine, not for one that reports only to a completion port - the
 * one kind with neither, whose thread may well exit before it completes
 * (the port's threads wait for it). */
static void inherit_exit_cancel(struct op *op, const struct op_start *start)
{
    if (start->routine || start->overlapped->hEvent)
        op->ov.hEvent = exit_event;
}

static void free_op(struct op *op)
{
    int ignored;

    if (op->own_thread)
        lsp_upcalls.lpWPUCloseThread(&op->thread, &ignored);
    if (op->bufs_heap)
        free(op->bufs);
    free(op->replaced.bytes);
    if (op->data_ctx != op->ctx)
        context_release(op->data_ctx);
    context_release(op->ctx);
    free(op);
}

void op_replace_send(struct op *op, struct send_replacement *r)
{
    op->replaced = *r;
    r->bytes = NULL;
    op->replaced_buf.len = op->replaced.len;
    op->replaced_buf.buf = op->replaced.bytes;
}

WSABUF *op_send_bufs(struct op *op, DWORD *count)
{
    if (!op->replaced.bytes)
        return op->bufs;
    *count = 1;
    return &op->replaced_buf;
}

void op_release(struct op *op)
{
    if (InterlockedDecrement(&op->refs) == 0)
        free_op(op);
}

struct op *op_begin(struct context *ctx, const struct op_start *start, int *err)
{
    struct op *op;

    if (!mem_writable(start->overlapped, sizeof(*start->overlapped))) {
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
    if (!context_io_begin(ctx, &op->io)) {
        *err = WSAENOTSOCK;
        free_op(op);
        return NULL;
    }
    /* Ours pending too: whether the lower call completed it tells a
     * receive cut short from a call that started nothing (finish_issued). */
    op->ov.Internal = STATUS_PENDING;
    op->saved_internal = op->app->Internal;
    op->saved_internal_high = op->app->InternalHigh;
    op->app->InternalHigh = 0;
    op->app->Internal = STATUS_PENDING;
    return op;
}

void op_keep_destination(struct op *op, const struct sockaddr *to, int len)
{
    if (to && len > 0 && len <= (int)sizeof(op->to) && mem_readable(to, len)) {
        memcpy(&op->to, to, len);
        op->to_len = len;
    }
}

void op_set_data_context(struct op *op, struct context *data)
{
    context_addref(data);
    op->data_ctx = data;
}

static BOOL take_if_started_with(struct context_io *io, void *app)
{
    struct op *op = CONTAINING_RECORD(io, struct op, io);

    if (op->app != app)
        return FALSE;
    InterlockedIncrement(&op->refs);
    return TRUE;
}

/* The operation the application started with `app` on the socket,
 * referenced; NULL when none is under way. */
static struct op *find_started_with(struct context *ctx, LPWSAOVERLAPPED app)
{
    struct context_io *io = context_find_io(ctx, take_if_started_with, app);

    return io ? CONTAINING_RECORD(io, struct op, io) : NULL;
}

/* An IFS lower socket is a file handle: its operation is cancelled on it
 * as any I/O is (ERROR_NOT_FOUND: it is done already, and its packet on
 * its way). A non-IFS lower provider is asked as the front end asks us. */
int op_cancel(struct context *ctx, LPWSAOVERLAPPED app, LPWSATHREADID thread)
{
    struct op *op = find_started_with(ctx, app);
    LPWSAOVERLAPPED lower_ov;
    DWORD returned = 0;
    int error = 0;

    TRACE("cancel of caller's overlapped %p on socket %#Ix: %s", (void *)app,
          (ULONG_PTR)ctx->app, op ? "cancelling the lower operation" : "no such operation");
    if (!op)
        return WSAEINVAL;
    InterlockedExchange(&op->cancelled, 1);
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

int op_exit_event_start(void)
{
    exit_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    return exit_event ? 0 : WSAENOBUFS;
}

void op_exit_event_stop(void)
{
    CloseHandle(exit_event);
    exit_event = NULL;
}
