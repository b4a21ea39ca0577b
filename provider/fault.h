/* SPDX-License-Identifier: MIT */
/* fault.h: the layered provider's fault points, for spicheck's proof
 * against deliberately broken providers (test/broken_lsp.mk).
 *
 * Each hook below stands at one place of the provider and compiles to the
 * provider's correct behaviour unless one LSPKIT_FAULT_* macro is defined;
 * then that one hook does the wrong thing named after it. lspkit.dll is
 * built with none defined. The broken builds are
 *
 *   LSPKIT_FAULT_DIRECT_ROUTINE     calls the completion routine directly
 *                                   (on whatever thread completes the op)
 *                                   instead of queueing it through
 *                                   WPUQueueApc                  (complete.c)
 *   LSPKIT_FAULT_THREADID_POINTER   keeps the caller's WSATHREADID pointer
 *                                   instead of a copy of the struct, and
 *                                   hands that pointer to WPUQueueApc at
 *                                   completion   (overlapped.c, complete.c)
 *   LSPKIT_FAULT_WSABUF_UNCAPTURED  keeps the caller's WSABUF array instead
 *                                   of a copy, and - as a provider that
 *                                   queues sends behind one in flight does -
 *                                   reads it when it issues such a send
 *                                   later                (overlapped.c, send.c)
 *   LSPKIT_FAULT_EVENT_ON_ERROR     signals the caller's event when an
 *                                   overlapped call fails at once
 *                                                              (overlapped.c)
 */
#ifndef LSPKIT_PROVIDER_FAULT_H
#define LSPKIT_PROVIDER_FAULT_H

#include "lsp.h"
#include "overlapped.h"

/* complete.c, queue_routine: delivering the caller's routine. */
static inline int fault_queue_apc(LPWSATHREADID thread, LPWSAUSERAPC apc, DWORD_PTR context,
                                  LPINT err)
{
#ifdef LSPKIT_FAULT_DIRECT_ROUTINE
    /* FAULT: the routine runs now, in this thread (the issuer inside its
     * call, or the worker). */
    (void)thread, (void)err;
    apc(context);
    return 0;
#else
    return lsp_upcalls.lpWPUQueueApc(thread, apc, context, err);
#endif
}

/* overlapped.c, capture_thread: keeping the caller's WSATHREADID. */
static inline void fault_keep_thread(WSATHREADID *kept, const WSATHREADID *caller)
{
#ifdef LSPKIT_FAULT_THREADID_POINTER
    /* FAULT: the pointer, not the struct (kept where the struct would be). */
    kept->ThreadHandle = NULL;
    kept->Reserved = (DWORD_PTR)caller;
#else
    *kept = *caller;
#endif
}

/* complete.c, queue_routine: the WSATHREADID handed to WPUQueueApc. */
static inline LPWSATHREADID fault_apc_thread(LPWSATHREADID kept)
{
#ifdef LSPKIT_FAULT_THREADID_POINTER
    /* FAULT: the caller's pointer, long after its call returned. */
    if (!kept->ThreadHandle && kept->Reserved)
        return (LPWSATHREADID)kept->Reserved;
#endif
    return kept;
}

/* overlapped.c, capture_bufs: TRUE to keep the caller's WSABUF array. */
#ifdef LSPKIT_FAULT_WSABUF_UNCAPTURED
#define FAULT_WSABUF_UNCAPTURED 1
#else
#define FAULT_WSABUF_UNCAPTURED 0
#endif

/* overlapped.c, op_issued: an overlapped call failed at once. */
static inline void fault_failed_at_once(const struct op *op)
{
#ifdef LSPKIT_FAULT_EVENT_ON_ERROR
    /* FAULT: the caller hears of an operation that never started. */
    HANDLE event = (HANDLE)((ULONG_PTR)op->app->hEvent & ~(ULONG_PTR)1);
    if (!op->routine && event)
        SetEvent(event);
#else
    (void)op;
#endif
}

#ifdef LSPKIT_FAULT_WSABUF_UNCAPTURED
/* FAULT: sends behind one in flight wait in this queue and are issued by
 * a thread of their own, a little later, from the op's WSABUF pointer -
 * the caller's array, which by then is the caller's again. */
struct fault_deferred {
    struct op *op;
    DWORD count, flags;
    struct fault_deferred *next;
};
static SRWLOCK fault_lock = SRWLOCK_INIT;
static struct fault_deferred *fault_head, **fault_tail = &fault_head;
static HANDLE fault_wake;
static INIT_ONCE fault_once = INIT_ONCE_STATIC_INIT;

static DWORD WINAPI fault_issuer(void *arg)
{
    (void)arg;
    for (;;) {
        struct fault_deferred *d;
        int result, error = 0;

        WaitForSingleObject(fault_wake, INFINITE);
        Sleep(100);
        for (;;) {
            AcquireSRWLockExclusive(&fault_lock);
            d = fault_head;
            if (d && !(fault_head = d->next))
                fault_tail = &fault_head;
            ReleaseSRWLockExclusive(&fault_lock);
            if (!d)
                break;
            result = LOWER(d->op->ctx)->lpWSPSend(d->op->ctx->lower, d->op->bufs, d->count,
                                                  &d->op->lower_bytes, d->flags, &d->op->ov,
                                                  NULL, NULL, &error);
            /* Failed at once: no packet will come, so stand in for it. */
            if (result && error != WSA_IO_PENDING)
                op_lower_done(d->op, 0);
            HeapFree(GetProcessHeap(), 0, d);
        }
    }
    return 0;
}

static BOOL CALLBACK fault_start(INIT_ONCE *once, void *param, void **context)
{
    HANDLE thread;

    (void)once, (void)param, (void)context;
    fault_wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    thread = fault_wake ? CreateThread(NULL, 0, fault_issuer, NULL, 0, NULL) : NULL;
    if (thread)
        CloseHandle(thread);
    return thread != NULL;
}

/* TRUE when the op was queued: another is in flight on its socket. */
static inline BOOL fault_defer_send(struct op *op, DWORD count, DWORD flags)
{
    struct fault_deferred *d;
    LONG pending;

    AcquireSRWLockShared(&op->ctx->lock);
    pending = op->ctx->pending;
    ReleaseSRWLockShared(&op->ctx->lock);
    if (pending < 2 || !InitOnceExecuteOnce(&fault_once, fault_start, NULL, NULL) ||
        !(d = HeapAlloc(GetProcessHeap(), 0, sizeof(*d))))
        return FALSE;
    d->op = op;
    d->count = count;
    d->flags = flags;
    d->next = NULL;
    AcquireSRWLockExclusive(&fault_lock);
    *fault_tail = d;
    fault_tail = &d->next;
    ReleaseSRWLockExclusive(&fault_lock);
    SetEvent(fault_wake);
    return TRUE;
}
#endif

/* send.c, WSPSend: the lower provider's send of an op. */
static inline int fault_lower_send(struct context *ctx, struct op *op, DWORD count, DWORD flags,
                                   LPWSATHREADID thread, LPINT err)
{
#ifdef LSPKIT_FAULT_WSABUF_UNCAPTURED
    if (fault_defer_send(op, count, flags)) {
        *err = WSA_IO_PENDING;
        return SOCKET_ERROR;
    }
#endif
    return LOWER(ctx)->lpWSPSend(ctx->lower, op->bufs, count, &op->lower_bytes, flags, &op->ov,
                                 NULL, thread, err);
}

#endif
