/* SPDX-License-Identifier: MIT */
/* Per-thread state: the WSATHREADID the front end hands to providers for
 * the calling thread, and the blocking-call bookkeeping. */
#ifndef LSPKIT_DTHREAD_H
#define LSPKIT_DTHREAD_H

#include <winsock2.h>
#include <ws2spi.h>

/* The calling thread's WSATHREADID, holding a real (duplicated) thread
 * handle; opened on first use and closed when the thread detaches.
 * NULL only when the handle cannot be duplicated. */
LPWSATHREADID dthread_current_id(void);

/* Called from DllMain(DLL_THREAD_DETACH / PROCESS_DETACH). */
void dthread_detach(void);

/* Blocking-call cancellation (WSACancelBlockingCall): marks the calling
 * thread's blocking call as cancelled. FALSE when the per-thread state
 * cannot be allocated. */
BOOL dthread_cancel_blocking(void);

/* Returns the calling thread's cancellation mark and clears it. */
BOOL dthread_take_blocking_cancel(void);

#endif
