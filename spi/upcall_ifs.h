/* SPDX-License-Identifier: MIT */
/* The front end's side of lspkit_ifs.sys (spi/ifs/), whose device files
 * are the handles of non-IFS sockets. */
#ifndef LSPKIT_UPCALL_IFS_H
#define LSPKIT_UPCALL_IFS_H

#include <winsock2.h>
#include "ifs/lspkit_ifs.h"

/* Opens a new handle on the device (overlapped), installing and starting
 * the driver service on first need. INVALID_HANDLE_VALUE on failure. */
HANDLE upcall_ifs_open(void);

/* Completes an overlapped request on a handle from upcall_ifs_open with
 * `status` and `count`: fills *overlapped as an IO_STATUS_BLOCK, signals
 * its event and, unless the event's low bit is set, posts a packet to the
 * completion port the handle is bound to. Returns 0 or a WSA error. */
int upcall_ifs_complete(HANDLE handle, LPWSAOVERLAPPED overlapped, LONG status, DWORD count);

/* Makes *overlapped a pending request on `handle`, whose cancel is told
 * to `listener`. A `quiet` one (an operation with a completion routine,
 * whose hEvent is the application's to use) signals no event and posts no
 * packet when it completes. Returns 0 or a WSA error (nothing pended). */
int upcall_ifs_pend(HANDLE handle, LPWSAOVERLAPPED overlapped, BOOL quiet, ULONGLONG listener);

/* Completes the request upcall_ifs_pend made, as upcall_ifs_complete
 * would. Returns 0, or WSAEINVAL when the handle has no such request. */
int upcall_ifs_complete_pended(HANDLE handle, LPWSAOVERLAPPED overlapped, LONG status,
                               DWORD count);

/* A new listener handle and its id; NULL on failure. */
HANDLE upcall_ifs_listen(ULONGLONG *id);

/* Waits for cancels of requests pended with the listener's id; fills up
 * to `room` entries and returns how many, 0 once the listener fails. */
DWORD upcall_ifs_wait_cancels(HANDLE listener, struct lspkit_ifs_cancel *cancels, DWORD room);

#endif
