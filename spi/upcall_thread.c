/* SPDX-License-Identifier: MIT */
/* Threads for providers: WPUOpenCurrentThread, WPUCloseThread, WPUQueueApc.
 *
 * A WSATHREADID holds a real thread handle, duplicated from the calling
 * thread's pseudo-handle, so that a provider can queue completion routines
 * to that thread from any other thread. */
#include "upcall_parts.h"

static int WSPAPI open_current_thread(LPWSATHREADID thread_id, LPINT err)
{
    HANDLE process = GetCurrentProcess();

    if (!thread_id) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!DuplicateHandle(process, GetCurrentThread(), process, &thread_id->ThreadHandle, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    thread_id->Reserved = 0;
    return 0;
}

static int WSPAPI close_thread(LPWSATHREADID thread_id, LPINT err)
{
    if (!thread_id) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!CloseHandle(thread_id->ThreadHandle)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    thread_id->ThreadHandle = NULL;
    return 0;
}

/* The APC runs when the target thread next waits alertably (SleepEx,
 * WaitForSingleObjectEx, WSAWaitForMultipleEvents with fAlertable). */
static int WSPAPI queue_apc(LPWSATHREADID thread_id, LPWSAUSERAPC apc, DWORD_PTR context,
                            LPINT err)
{
    if (!thread_id || !apc) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!QueueUserAPC((PAPCFUNC)apc, thread_id->ThreadHandle, context)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return 0;
}

void upcall_fill_threads(WSPUPCALLTABLE *table)
{
    table->lpWPUOpenCurrentThread = open_current_thread;
    table->lpWPUCloseThread = close_thread;
    table->lpWPUQueueApc = queue_apc;
}
