/* SPDX-License-Identifier: MIT */
/* Telling the caller that an overlapped operation completed: its routine
 * through WPUQueueApc, else its event and completion port through
 * WPUCompleteOverlappedRequest. */
#include "lsp.h"
#include "complete.h"
#include "fault.h"

/* Our APC (S17): WPUQueueApc passes one value, so the routine cannot be
 * queued itself; this unpacks the op and calls it as the SPI prescribes,
 * (dwError, cbTransferred, lpOverlapped, dwFlags) (S16). */
static void CALLBACK run_routine(DWORD_PTR context)
{
    struct op *op = (struct op *)context;

    op->routine(op->error, op->bytes, op->app, op->flags);
    op_release(op);
}

/* The NTSTATUS for Internal: the lower provider's own, which it left in
 * our WSAOVERLAPPED, unless it left none. */
static ULONG_PTR result_status(const struct op *op)
{
    if (op->ov.Internal != STATUS_PENDING)
        return op->ov.Internal;
    return op->error ? LSP_STATUS_UNSUCCESSFUL : LSP_STATUS_SUCCESS;
}

/* Internal last: once it leaves STATUS_PENDING the rest must be readable. */
static void store_result(LPWSAOVERLAPPED app, ULONG_PTR status, DWORD bytes)
{
    app->InternalHigh = bytes;
    MemoryBarrier();
    app->Internal = status;
}

/* An operation cancelled because the routine's thread exited (S30): that
 * thread can run no routine, and the caller's WSAOVERLAPPED may have gone
 * with its stack, so neither is touched - the I/O was simply cancelled.
 * Only a cancelled operation can be one, which spares the others the
 * check. A handle the front end has closed with its thread fails the wait
 * as well. */
static BOOL thread_gone(const struct op *op, LPWSATHREADID thread)
{
    return op->error == WSA_OPERATION_ABORTED &&
           WaitForSingleObject(thread->ThreadHandle, 0) != WAIT_TIMEOUT;
}

static void queue_routine(struct op *op)
{
    WSATHREADID thread = op->thread;
    LPWSATHREADID target = &thread;
    BOOL own_thread = op->own_thread;
    int error;

    op->own_thread = FALSE;
    FAULT_DO(2, fault_use_thread_pointer(&target));
    if (!thread_gone(op, target)) {
        store_result(op->app, result_status(op), op->bytes);
        /* From here the APC may run, and free the op, at any moment. */
        InterlockedIncrement(&op->refs);
        if (!FAULT_IF(1, fault_run_routine_now(run_routine, op)) &&
            lsp_upcalls.lpWPUQueueApc(target, run_routine, (DWORD_PTR)op, &error))
            op_release(op);   /* the thread exited just now: nobody is left to call */
    }
    if (own_thread)
        lsp_upcalls.lpWPUCloseThread(&thread, &error);
}

void complete_deliver(struct op *op, BOOL at_once)
{
    LPWSAOVERLAPPED app = op->app;
    HANDLE event;
    int error;

    app->Offset = op->flags;
    app->OffsetHigh = (DWORD)op->error;
    if (op->routine) {
        queue_routine(op);
        return;
    }
    /* A call that fails started nothing its caller hears of (S05), not
     * even a datagram receive cut short, which a base socket also posts:
     * programs that take the SPI at its word (libuv, Go) would finish it
     * twice. The result is in the WSAOVERLAPPED all the same (L04). A
     * routine still runs (above): the front end waits for it there
     * (spi/pending.c), as for a base socket. */
    if (op->failed_at_once) {
        store_result(app, result_status(op), op->bytes);
        return;
    }
    if (WPUCompleteOverlappedRequest(op->ctx->app, app, (DWORD)op->error, op->bytes,
                                     &error) == 0) {
        /* It fills Internal and InternalHigh in as it signals, possibly a
         * little later; a call that returns has completed (with success, or
         * cut short: L04), so say so now. */
        if (at_once)
            store_result(app, result_status(op), op->bytes);
        return;
    }
    /* The handle cannot take the completion any more (a close gave up
     * waiting): a waiting caller is still woken, a port cannot be. */
    store_result(app, result_status(op), op->bytes);
    event = (HANDLE)((ULONG_PTR)app->hEvent & ~(ULONG_PTR)1);
    if (event)
        SetEvent(event);
}
