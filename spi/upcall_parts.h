/* The pieces of the upcall table, one file per concern; upcall.c puts them
 * together. Private to the upcall_*.c files. */
#ifndef LSPKIT_UPCALL_PARTS_H
#define LSPKIT_UPCALL_PARTS_H

#include <winsock2.h>
#include <ws2spi.h>

/* upcall_handle.c: WPUCreateSocketHandle, WPUCloseSocketHandle,
 * WPUQuerySocketHandleContext, WPUModifyIFSHandle. */
void upcall_fill_handles(WSPUPCALLTABLE *table);

/* upcall_thread.c: WPUOpenCurrentThread, WPUCloseThread, WPUQueueApc. */
void upcall_fill_threads(WSPUPCALLTABLE *table);

/* upcall_blocking.c: WPUQueryBlockingCallback. */
void upcall_fill_blocking(WSPUPCALLTABLE *table);

/* upcall_path.c: WPUGetProviderPath. */
void upcall_fill_path(WSPUPCALLTABLE *table);

/* upcall_ifs.c: the device files of lspkit_ifs.sys.
 *
 * Opens a new handle on the device (overlapped), installing and starting
 * the driver service on first need. INVALID_HANDLE_VALUE on failure. */
HANDLE upcall_ifs_open(void);

/* Completes an overlapped request on a handle from upcall_ifs_open with
 * `status` and `count`: fills *overlapped as an IO_STATUS_BLOCK, signals
 * its event and, unless the event's low bit is set, posts a packet to the
 * completion port the handle is bound to. Returns 0 or a WSA error. */
int upcall_ifs_complete(HANDLE handle, LPWSAOVERLAPPED overlapped, LONG status, DWORD count);

#endif
