/* SPDX-License-Identifier: MIT */
/* Per-thread state of the front end, kept in a TLS slot.
 *
 * The WSATHREADID handed to providers must name the thread with a real
 * handle: a provider may keep it and call WPUQueueApc from another thread,
 * where GetCurrentThread()'s pseudo-handle would name the wrong thread. */
#include "dthread.h"

struct dthread {
    WSATHREADID id;               /* ThreadHandle NULL until first asked for */
    BOOL blocking_cancelled;      /* set by WSACancelBlockingCall */
};

static DWORD tls_index = TLS_OUT_OF_INDEXES;
static INIT_ONCE tls_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK alloc_tls(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    tls_index = TlsAlloc();
    return tls_index != TLS_OUT_OF_INDEXES;
}

/* The calling thread's state, or NULL when it has none yet. */
static struct dthread *peek(void)
{
    if (!InitOnceExecuteOnce(&tls_once, alloc_tls, NULL, NULL))
        return NULL;
    return TlsGetValue(tls_index);
}

/* The calling thread's state, allocated on first use; NULL on failure. */
static struct dthread *get(void)
{
    struct dthread *t = peek();

    if (t || tls_index == TLS_OUT_OF_INDEXES)
        return t;
    t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*t));
    if (t && !TlsSetValue(tls_index, t)) {
        HeapFree(GetProcessHeap(), 0, t);
        t = NULL;
    }
    return t;
}

LPWSATHREADID dthread_current_id(void)
{
    struct dthread *t = get();
    HANDLE process = GetCurrentProcess();

    if (!t)
        return NULL;
    if (!t->id.ThreadHandle &&
        !DuplicateHandle(process, GetCurrentThread(), process, &t->id.ThreadHandle, 0, FALSE,
                         DUPLICATE_SAME_ACCESS))
        return NULL;
    return &t->id;
}

void dthread_detach(void)
{
    struct dthread *t;

    /* A thread that set a value ran the TLS initialisation itself, so it
     * sees the index; the others have nothing to release. */
    if (tls_index == TLS_OUT_OF_INDEXES)
        return;
    t = TlsGetValue(tls_index);
    if (!t)
        return;
    TlsSetValue(tls_index, NULL);
    if (t->id.ThreadHandle)
        CloseHandle(t->id.ThreadHandle);
    HeapFree(GetProcessHeap(), 0, t);
}

BOOL dthread_cancel_blocking(void)
{
    struct dthread *t = get();

    if (!t)
        return FALSE;
    t->blocking_cancelled = TRUE;
    return TRUE;
}

BOOL dthread_take_blocking_cancel(void)
{
    struct dthread *t = peek();
    BOOL cancelled;

    if (!t)
        return FALSE;
    cancelled = t->blocking_cancelled;
    t->blocking_cancelled = FALSE;
    return cancelled;
}
