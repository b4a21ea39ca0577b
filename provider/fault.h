/* SPDX-License-Identifier: MIT */
/* fault.h: the layered provider's fault points, for spicheck's proof
 * against deliberately broken providers (test/broken_lsp.mk).
 *
 * As in SQLite, the provider's real code stays where it is, and a fault
 * point is one numbered line beside it. In lspkit.dll, LSPKIT_FAULT_POINT
 * is not defined and every such line compiles to nothing: the hook is not
 * even named. A broken build defines LSPKIT_FAULT_POINT=N and links
 * test/broken/lsp_faults.c, whose hook for point N does the wrong thing
 * named below; the hooks of the other points are not called.
 *
 *   1  the completion routine runs at once, on whatever thread completes
 *      the op, instead of through WPUQueueApc                 (complete.c)
 *   2  the caller's WSATHREADID pointer is kept instead of a copy of the
 *      struct, and handed to WPUQueueApc at completion
 *                                                (overlapped.c, complete.c)
 *   3  the caller's WSABUF array is kept instead of a copy, and - as a
 *      provider that queues sends behind one in flight does - read when
 *      such a send is issued later                  (overlapped.c, send.c)
 *   4  the caller's event is signalled when an overlapped call fails at
 *      once                                                      (finish.c)
 *
 * FAULT_IF(n, hook) is a condition: TRUE when point n's hook took the fault
 * path (so the real code is skipped). FAULT_DO(n, hook) is a statement. */
#ifndef LSPKIT_PROVIDER_FAULT_H
#define LSPKIT_PROVIDER_FAULT_H

#ifdef LSPKIT_FAULT_POINT
#include <winsock2.h>
#include <ws2spi.h>

struct op;

#define FAULT_IF(n, hook) (LSPKIT_FAULT_POINT == (n) && (hook))
#define FAULT_DO(n, hook) ((void)FAULT_IF(n, ((hook), TRUE)))

BOOL fault_run_routine_now(LPWSAUSERAPC apc, struct op *op);
void fault_keep_thread_pointer(WSATHREADID *kept, const WSATHREADID *caller);
void fault_use_thread_pointer(LPWSATHREADID *target);
BOOL fault_keep_caller_bufs(void);
BOOL fault_defer_send(struct op *op, DWORD count, DWORD flags, int *err);
void fault_signal_event(const struct op *op);
#else
#define FAULT_IF(n, hook) FALSE
#define FAULT_DO(n, hook) ((void)0)
#endif

#endif
