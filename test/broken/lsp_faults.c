/* SPDX-License-Identifier: MIT */
/* The hooks of the layered provider's fault points (provider/fault.h),
 * linked only into the broken builds of test/broken_lsp.mk. Each does the
 * wrong thing its point names; the provider calls only the hook of the
 * point its build selects (LSPKIT_FAULT_POINT). */
#include "../../provider/lsp.h"
#include "../../provider/fault.h"
#include "../../provider/finish.h"

/* Point 1: the routine runs now, in this thread (the issuer inside its
 * call, or the worker). */
BOOL fault_run_routine_now(LPWSAUSERAPC apc, struct op *op)
{
    apc((DWORD_PTR)op);
    return TRUE;
}

/* Point 2: the pointer, not the struct, kept where the struct would be... */
void fault_keep_thread_pointer(WSATHREADID *kept, const WSATHREADID *caller)
{
    kept->ThreadHandle = NULL;
    kept->Reserved = (DWORD_PTR)caller;
}

/* ...and handed to WPUQueueApc long after the caller's call returned. */
void fault_use_thread_pointer(LPWSATHREADID *target)
{
    if (!(*target)->ThreadHandle && (*target)->Reserved)
        *target = (LPWSATHREADID)(*target)->Reserved;
}

/* Point 3: the caller's WSABUF array is kept... */
BOOL fault_keep_caller_bufs(void)
{
    return TRUE;
}

/* ...and sends behind one in flight wait in this queue, to be issued by a
 * thread of their own a little later, from the op's WSABUF pointer: the
 * caller's array, which by then is the caller's again. */
struct deferred {
    struct op *op;
    DWORD count, flags;
    struct deferred *next;
};

static SRWLOCK queue_lock = SRWLOCK_INIT;
static struct deferred *queue_head, **queue_tail = &queue_head;
static HANDLE queue_wake;
static INIT_ONCE queue_once = INIT_ONCE_STATIC_INIT;

static struct deferred *next_deferred(void)
{
    struct deferred *d;

    AcquireSRWLockExclusive(&queue_lock);
    d = queue_head;
    if (d && !(queue_head = d->next))
        queue_tail = &queue_head;
    ReleaseSRWLockExclusive(&queue_lock);
    return d;
}

static DWORD WINAPI issue_deferred(void *arg)
{
    struct deferred *d;
    int result, error;

    (void)arg;
    for (;;) {
        WaitForSingleObject(queue_wake, INFINITE);
        Sleep(100);
        while ((d = next_deferred())) {
            error = 0;
            result = LOWER(d->op->ctx)->lpWSPSend(d->op->ctx->lower, d->op->bufs, d->count,
                                                  &d->op->lower_bytes, d->flags, &d->op->ov,
                                                  NULL, NULL, &error);
            /* Failed at once: no packet will come, so stand in for it. */
            if (result && error != WSA_IO_PENDING)
                finish_packet(&d->op->ov, 0);
            HeapFree(GetProcessHeap(), 0, d);
        }
    }
    return 0;
}

static BOOL CALLBACK start_issuer(INIT_ONCE *once, void *param, void **context)
{
    HANDLE thread;

    (void)once, (void)param, (void)context;
    queue_wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    thread = queue_wake ? CreateThread(NULL, 0, issue_deferred, NULL, 0, NULL) : NULL;
    if (thread)
        CloseHandle(thread);
    return thread != NULL;
}

/* TRUE (the send reported pending) when the op was queued: another is in
 * flight on its socket. */
BOOL fault_defer_send(struct op *op, DWORD count, DWORD flags, int *err)
{
    struct deferred *d;
    LONG pending;

    AcquireSRWLockShared(&op->ctx->lock);
    pending = op->ctx->pending;
    ReleaseSRWLockShared(&op->ctx->lock);
    if (pending < 2 || !InitOnceExecuteOnce(&queue_once, start_issuer, NULL, NULL) ||
        !(d = HeapAlloc(GetProcessHeap(), 0, sizeof(*d))))
        return FALSE;
    d->op = op;
    d->count = count;
    d->flags = flags;
    d->next = NULL;
    AcquireSRWLockExclusive(&queue_lock);
    *queue_tail = d;
    queue_tail = &d->next;
    ReleaseSRWLockExclusive(&queue_lock);
    SetEvent(queue_wake);
    *err = WSA_IO_PENDING;
    return TRUE;
}

/* Point 4: the caller hears of an operation that never started. */
void fault_signal_event(const struct op *op)
{
    HANDLE event = (HANDLE)((ULONG_PTR)op->app->hEvent & ~(ULONG_PTR)1);

    if (!op->routine && event)
        SetEvent(event);
}
