/* SPDX-License-Identifier: MIT */
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

/* upcall_ifs.c: the device files of lspkit_ifs.sys (upcall_ifs.h). */
#include "upcall_ifs.h"

#endif
