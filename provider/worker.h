/* SPDX-License-Identifier: MIT */
/* The provider's private I/O completion port and the worker thread that
 * serves it. Every overlapped lower socket is bound to the port, so each
 * operation started on it with our own WSAOVERLAPPED comes back here: from
 * the kernel for an IFS lower provider, through WPUCompleteOverlappedRequest
 * for a non-IFS one. The worker hands each to finish.c. */
#ifndef LSPKIT_PROVIDER_WORKER_H
#define LSPKIT_PROVIDER_WORKER_H

#include <winsock2.h>

/* Creates the port and starts the thread. Returns 0 or WSAENOBUFS. */
int worker_start(void);

/* Stops the thread after the packets already queued, and closes the port. */
void worker_stop(void);

/* Binds a lower socket to the port; FALSE when it cannot be bound. */
BOOL worker_bind(SOCKET lower);

#endif
