/* SPDX-License-Identifier: MIT */
/* Sends where Wine departs from the documents (send_checks.c). */
#ifndef LSPKIT_BASE_SEND_CHECKS_H
#define LSPKIT_BASE_SEND_CHECKS_H

#include <winsock2.h>

/* Before the system's send: the documented error for a send Wine would
 * wrongly carry out, or 0. */
int send_refused(SOCKET s, const WSABUF *bufs, DWORD count, DWORD flags);

/* After a failed system send: the documented error for Wine's `error`. */
int send_error(SOCKET s, int error);

#endif
