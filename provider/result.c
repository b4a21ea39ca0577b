/* SPDX-License-Identifier: MIT */
/* WSPGetOverlappedResult on provider sockets (L04): the same answers the
 * base provider gives - bytes, flags, the lower error, WSA_IO_INCOMPLETE
 * while pending - read from the caller's WSAOVERLAPPED as overlapped.h
 * describes. A completed result needs no live socket: a layer above us
 * reads its aborted operations' results after closing its socket. */
#include "lsp.h"
#include "overlapped.h"
#include "../common/memcheck.h"

/* With no event to wait on, a waiter re-checks this often: the final
 * Internal may land just after the completion woke it. */
#define RESULT_POLL_MS 10

static void wait_done(struct context *ctx, LPWSAOVERLAPPED ov)
{
    HANDLE event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);

    if (event && WaitForSingleObject(event, INFINITE) == WAIT_OBJECT_0 &&
        ov->Internal != STATUS_PENDING)
        return;
    AcquireSRWLockExclusive(&ctx->lock);
    while (*(volatile ULONG_PTR *)&ov->Internal == STATUS_PENDING)
        SleepConditionVariableSRW(&ctx->changed, &ctx->lock, RESULT_POLL_MS, 0);
    ReleaseSRWLockExclusive(&ctx->lock);
}

static BOOL answer(LPWSAOVERLAPPED ov, LPDWORD lpcbTransfer, LPDWORD lpdwFlags, LPINT lpErrno)
{
    MemoryBarrier();
    if (lpcbTransfer)
        *lpcbTransfer = (DWORD)ov->InternalHigh;
    if (lpdwFlags)
        *lpdwFlags = ov->Offset;
    if (ov->OffsetHigh) {
        *lpErrno = (int)ov->OffsetHigh;
        return FALSE;
    }
    return TRUE;
}

BOOL WSPAPI WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno)
{
    int lookup_error, error = 0;
    struct context *ctx = context_get(s, &lookup_error);
    BOOL done;

    /* The operations of a socket without the overlapped attribute went to
     * the lower provider as they were: it has their results. */
    if (ctx && (!(ctx->flags & WSA_FLAG_OVERLAPPED) || !lpOverlapped)) {
        done = LOWER(ctx)->lpWSPGetOverlappedResult(ctx->lower, lpOverlapped, lpcbTransfer,
                                                    fWait, lpdwFlags, lpErrno);
        context_release(ctx);
        return done;
    }
    if (!mem_writable(lpOverlapped, sizeof(*lpOverlapped)))
        error = WSAEFAULT;
    else if (lpOverlapped->Internal == STATUS_PENDING && !fWait)
        error = WSA_IO_INCOMPLETE;
    else if (lpOverlapped->Internal == STATUS_PENDING && !ctx)
        error = lookup_error;
    else if (lpOverlapped->Internal == STATUS_PENDING)
        wait_done(ctx, lpOverlapped);
    if (ctx)
        context_release(ctx);
    if (error) {
        *lpErrno = error;
        return FALSE;
    }
    return answer(lpOverlapped, lpcbTransfer, lpdwFlags, lpErrno);
}
