/* SPDX-License-Identifier: MIT */
/* The thread that hears, from lspkit_ifs.sys, which pended requests of
 * this process were cancelled (CancelIo, CancelIoEx, a thread's exit). */
#ifndef LSPKIT_CANCEL_LISTENER_H
#define LSPKIT_CANCEL_LISTENER_H

#include <winsock2.h>

typedef void (*cancel_callback)(SOCKET s, LPWSAOVERLAPPED overlapped);

/* Starts the listener once per process, calling `on_cancel` for each
 * cancel; its id (for upcall_ifs_pend) in *id. FALSE when it could not be
 * started (no driver): operations are then not pended at all. */
BOOL cancel_listener_start(cancel_callback on_cancel, ULONGLONG *id);

#endif
