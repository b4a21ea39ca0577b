/* SPDX-License-Identifier: MIT */
/* Socket contexts: creation, O(1) lookup, reference counting and closing. */
#include <stdlib.h>
#include "lsp.h"
#include "context.h"
#include "probe.h"
#include "filters.h"

/* How long closesocket waits for the operations it cancelled or aborted
 * to come back from the lower provider, so that each is delivered while
 * the handle is still registered. A lower provider that never completes
 * them does not hang the caller: the handle is then released later, by
 * the last completion. */
#define CLOSE_DRAIN_MS 5000

/* The set of live contexts, keyed by address. */
HASH_TABLE(live, 4096);
static SRWLOCK live_lock = SRWLOCK_INIT;

static void live_insert(struct context *ctx)
{
    AcquireSRWLockExclusive(&live_lock);
    hash_add(&live, &ctx->live, (ULONG_PTR)ctx);
    ReleaseSRWLockExclusive(&live_lock);
}

static void live_remove(struct context *ctx)
{
    AcquireSRWLockExclusive(&live_lock);
    hash_remove(&live, &ctx->live);
    ReleaseSRWLockExclusive(&live_lock);
}

void context_addref(struct context *ctx)
{
    InterlockedIncrement(&ctx->refs);
}

void context_release(struct context *ctx)
{
    if (InterlockedDecrement(&ctx->refs) == 0) {
        PROBE(probe_context_gone(ctx));
        filters_socket_closed(ctx->filtered);
        free(ctx);
    }
}

struct context *context_create(struct layer *layer, SOCKET lower, DWORD flags, int *err)
{
    struct context *ctx = calloc(1, sizeof(*ctx));
    int ignored;

    if (!ctx) {
        *err = WSAENOBUFS;
    } else {
        ctx->refs = 1;
        ctx->lower = lower;
        ctx->layer = layer;
        ctx->flags = flags;
        InitializeSRWLock(&ctx->lock);
        InitializeConditionVariable(&ctx->changed);
        ctx->app = lsp_upcalls.lpWPUCreateSocketHandle(layer->info.dwCatalogEntryId,
                                                       (DWORD_PTR)ctx, err);
        if (ctx->app != INVALID_SOCKET) {
            ctx->filtered = filters_socket_created(ctx->app, layer->info.iAddressFamily,
                                                   layer->info.iSocketType,
                                                   layer->info.iProtocol);
            live_insert(ctx);
            return ctx;
        }
    }
    layer->lower->procs.lpWSPCloseSocket(lower, &ignored);
    if (ctx)
        free(ctx);
    return NULL;
}

struct context *context_get(SOCKET s, int *err)
{
    DWORD_PTR value;
    struct context *ctx, *found = NULL;
    int ignored;

    if (lsp_upcalls.lpWPUQuerySocketHandleContext(s, &value, &ignored) == 0) {
        ctx = (struct context *)value;
        AcquireSRWLockShared(&live_lock);
        /* Only our own contexts are dereferenced: the value of a foreign
         * handle is another provider's. */
        if (hash_first(&live, (ULONG_PTR)ctx))
            found = ctx;
        /* A reused handle value may carry a context we closed long ago. */
        if (found && found->app == s)
            context_addref(found);
        else
            found = NULL;
        ReleaseSRWLockShared(&live_lock);
    }
    if (!found)
        *err = WSAENOTSOCK;
    return found;
}

BOOL context_io_begin(struct context *ctx, struct context_io *io)
{
    BOOL open;

    AcquireSRWLockExclusive(&ctx->lock);
    open = !ctx->closing;
    if (open) {
        ctx->pending++;
        io->prev = NULL;
        io->next = ctx->ios;
        if (ctx->ios)
            ctx->ios->prev = io;
        ctx->ios = io;
    }
    ReleaseSRWLockExclusive(&ctx->lock);
    return open;
}

struct context_io *context_find_io(struct context *ctx,
                                   BOOL (*take)(struct context_io *io, void *arg), void *arg)
{
    struct context_io *io;

    AcquireSRWLockShared(&ctx->lock);
    for (io = ctx->ios; io && !take(io, arg); io = io->next)
        ;
    ReleaseSRWLockShared(&ctx->lock);
    return io;
}

/* WPUCloseSocketHandle lets the completions already delivered on the
 * handle arrive before it goes (the front end's flush). */
static void close_handle(struct context *ctx)
{
    int ignored;

    lsp_upcalls.lpWPUCloseSocketHandle(ctx->app, &ignored);
}

void context_io_end(struct context *ctx, struct context_io *io)
{
    BOOL close_now;

    AcquireSRWLockExclusive(&ctx->lock);
    if (io->prev)
        io->prev->next = io->next;
    else
        ctx->ios = io->next;
    if (io->next)
        io->next->prev = io->prev;
    ctx->pending--;
    close_now = ctx->pending == 0 && ctx->close_deferred;
    if (close_now)
        ctx->close_deferred = FALSE;
    if (ctx->pending == 0 && ctx->drained)
        SetEvent(ctx->drained);
    WakeAllConditionVariable(&ctx->changed);
    ReleaseSRWLockExclusive(&ctx->lock);
    if (close_now)
        close_handle(ctx);
}

/* Waits up to CLOSE_DRAIN_MS for the pending operations to complete;
 * TRUE when none is left. The wait is on an event, a wait Wine serves in
 * its server: the lower operations this thread started may need this very
 * thread to complete them (Wine delivers that as a system APC to the
 * issuing thread). */
static BOOL wait_drained(struct context *ctx)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    BOOL drained;

    AcquireSRWLockExclusive(&ctx->lock);
    ctx->drained = event;
    drained = ctx->pending == 0;
    ReleaseSRWLockExclusive(&ctx->lock);
    if (!drained && event)
        WaitForSingleObject(event, CLOSE_DRAIN_MS);
    AcquireSRWLockExclusive(&ctx->lock);
    ctx->drained = NULL;
    drained = ctx->pending == 0;
    ReleaseSRWLockExclusive(&ctx->lock);
    if (event)
        CloseHandle(event);
    return drained;
}

/* An IFS lower socket is a file handle: its pending operations are
 * cancelled on it, as closesocket cancels a socket's I/O on Windows, and
 * complete while the lower provider still answers for them. A non-IFS
 * lower provider aborts them itself when its socket closes. */
static void cancel_lower(struct context *ctx)
{
    if (!ctx->layer->lower->ifs_handles)
        return;
    if (CancelIoEx((HANDLE)ctx->lower, NULL))
        wait_drained(ctx);
}

BOOL context_closing(struct context *ctx)
{
    BOOL closing;

    AcquireSRWLockShared(&ctx->lock);
    closing = ctx->closing;
    ReleaseSRWLockShared(&ctx->lock);
    return closing;
}

int context_close(struct context *ctx, int *err)
{
    BOOL first, drained;

    AcquireSRWLockExclusive(&ctx->lock);
    first = !ctx->closing;
    ctx->closing = TRUE;
    ReleaseSRWLockExclusive(&ctx->lock);
    if (!first) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    cancel_lower(ctx);
    if (LOWER(ctx)->lpWSPCloseSocket(ctx->lower, err) == SOCKET_ERROR) {
        /* E.g. a non-blocking socket lingering: it stays open and usable. */
        AcquireSRWLockExclusive(&ctx->lock);
        ctx->closing = FALSE;
        ReleaseSRWLockExclusive(&ctx->lock);
        return SOCKET_ERROR;
    }
    live_remove(ctx);
    drained = wait_drained(ctx);
    if (!drained) {
        AcquireSRWLockExclusive(&ctx->lock);
        drained = ctx->pending == 0;
        ctx->close_deferred = !drained;
        ReleaseSRWLockExclusive(&ctx->lock);
    }
    if (drained)
        close_handle(ctx);
    context_release(ctx);         /* the handle's reference */
    return 0;
}

/* Takes a reference on some live context, or returns NULL when none is left. */
static struct context *any_live(void)
{
    struct context *ctx = NULL;
    struct hash_link *link;

    AcquireSRWLockShared(&live_lock);
    link = hash_any(&live);
    if (link) {
        ctx = CONTAINING_RECORD(link, struct context, live);
        context_addref(ctx);
    }
    ReleaseSRWLockShared(&live_lock);
    return ctx;
}

void context_close_all(void)
{
    struct context *ctx;
    int error;

    while ((ctx = any_live())) {
        /* A lower close that fails (lingering) cannot be retried forever:
         * the lower provider is about to be cleaned up anyway. */
        if (context_close(ctx, &error) == SOCKET_ERROR) {
            live_remove(ctx);
            close_handle(ctx);
            context_release(ctx);
        }
        context_release(ctx);
    }
}
