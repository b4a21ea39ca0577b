/* SPDX-License-Identifier: MIT */
/* Overlapped results, and completing an overlapped operation that this
 * provider answers itself instead of the system. */
#include <stdlib.h>
#include "base.h"

/* What the queued APC needs to call the caller's routine; it owns the
 * allocation and frees it before calling. */
struct queued_routine {
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    LPWSAOVERLAPPED overlapped;
    DWORD bytes;
};

static void CALLBACK run_routine(DWORD_PTR context)
{
    struct queued_routine call = *(struct queued_routine *)context;

    free((void *)context);
    call.routine(0, call.bytes, call.overlapped, 0);
}

/* What the system's WSAGetOverlappedResult and HasOverlappedIoCompleted
 * read: an NTSTATUS (STATUS_SUCCESS), the byte count, and the flags. */
static void set_result(LPWSAOVERLAPPED overlapped, DWORD bytes)
{
    overlapped->Internal = 0;
    overlapped->InternalHigh = bytes;
    overlapped->Offset = 0;
}

/* The routine runs at the issuing thread's next alertable wait, never
 * inside the call (as for the system's own operations), so it goes through
 * the front end's WPUQueueApc to the thread lpThreadId names. Everything
 * that can fail is checked before the result is stored. */
static int queue_routine(LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSAOVERLAPPED overlapped,
                         DWORD bytes, LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct queued_routine *call;
    int err = 0;

    if (!lpThreadId || !base_upcalls.lpWPUQueueApc) {
        *lpErrno = WSAEINVAL;
        return SOCKET_ERROR;
    }
    if (!(call = malloc(sizeof(*call)))) {
        *lpErrno = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    call->routine = routine;
    call->overlapped = overlapped;
    call->bytes = bytes;
    set_result(overlapped, bytes);
    if (base_upcalls.lpWPUQueueApc(lpThreadId, run_routine, (DWORD_PTR)call, &err)) {
        free(call);
        *lpErrno = err ? err : WSAENOBUFS;
        return SOCKET_ERROR;
    }
    return 0;
}

int base_complete_now(LPWSAOVERLAPPED lpOverlapped, DWORD bytes,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                      LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    if (lpCompletionRoutine)
        return queue_routine(lpCompletionRoutine, lpOverlapped, bytes, lpThreadId, lpErrno);
    set_result(lpOverlapped, bytes);
    if (lpOverlapped->hEvent && !SetEvent(lpOverlapped->hEvent)) {
        *lpErrno = WSA_INVALID_HANDLE;
        return SOCKET_ERROR;
    }
    return 0;
}

BOOL WSPAPI WSPGetOverlappedResult(SOCKET s, LPWSAOVERLAPPED lpOverlapped, LPDWORD lpcbTransfer,
                                   BOOL fWait, LPDWORD lpdwFlags, LPINT lpErrno)
{
    return base_bool_result(sys.WSAGetOverlappedResult(s, lpOverlapped, lpcbTransfer, fWait,
                                                       lpdwFlags), lpErrno);
}
