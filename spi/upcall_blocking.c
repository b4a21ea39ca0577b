/* SPDX-License-Identifier: MIT */
/* WPUQueryBlockingCallback and its Winsock 1.1 companion
 * WSACancelBlockingCall (upcall_cancel_blocking_call).
 *
 * A provider polls the callback while it blocks; the callback answers FALSE
 * once WSACancelBlockingCall was called in the blocking thread, and the
 * provider then abandons the call (WSAEINTR). */
#include "upcall.h"
#include "upcall_parts.h"
#include "dstate.h"
#include "dthread.h"

/* Runs in the blocking thread. The mark is consumed: one cancellation
 * ends one blocking call. */
static BOOL CALLBACK blocking_callback(DWORD_PTR context)
{
    (void)context;
    return !dthread_take_blocking_cancel();
}

void upcall_cancel_blocking_call(void)
{
    dthread_cancel_blocking();
}

static int WSPAPI query_blocking_callback(DWORD catalog_id, LPBLOCKINGCALLBACK *callback,
                                          PDWORD_PTR context, LPINT err)
{
    struct catalog_entry entry;

    if (!callback || !context) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    if (!dstate_entry_by_id(catalog_id, &entry)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    /* A provider asks at the start of each blocking call: a cancellation
     * left over from an earlier call must not end this one. */
    dthread_take_blocking_cancel();
    *callback = blocking_callback;
    *context = catalog_id;
    return 0;
}

void upcall_fill_blocking(WSPUPCALLTABLE *table)
{
    table->lpWPUQueryBlockingCallback = query_blocking_callback;
}
