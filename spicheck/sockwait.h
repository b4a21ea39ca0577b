/* SPDX-License-Identifier: MIT */
/* Waiting and draining on a socket: spicheck's, which the loopback tests
 * link too. Plain Winsock, no assertions, so helper threads may call them. */
#ifndef LSPKIT_SPICHECK_SOCKWAIT_H
#define LSPKIT_SPICHECK_SOCKWAIT_H

#include <winsock2.h>
#include <stddef.h>

/* Waits up to TIMEOUT_MS for S to be readable or writable: returns
 * select()'s count, 0 on timeout. */
int sock_wait_readable(SOCKET s, DWORD timeout_ms);
int sock_wait_writable(SOCKET s, DWORD timeout_ms);

/* Receives exactly LEN bytes (waiting up to TIMEOUT_MS between pieces).
 * Returns the count received; stops early at EOF, error or timeout. */
size_t sock_recv_exact(SOCKET s, void *buf, size_t len, DWORD timeout_ms);

/* Receives whatever is queued on S without blocking; returns the count. */
size_t sock_recv_available(SOCKET s);

#endif
