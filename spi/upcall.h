/* SPDX-License-Identifier: MIT */
/* The upcall table handed to every provider's WSPStartup. */
#ifndef LSPKIT_UPCALL_H
#define LSPKIT_UPCALL_H

#include <winsock2.h>
#include <ws2spi.h>

/* Fills every entry of the WSPUPCALLTABLE. */
void upcall_fill_table(WSPUPCALLTABLE *table);

/* Marks the calling thread's blocking call as cancelled (WSACancelBlockingCall):
 * the blocking callback WPUQueryBlockingCallback handed out then returns FALSE. */
void upcall_cancel_blocking_call(void);

#endif
