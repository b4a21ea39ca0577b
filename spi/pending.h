/* SPDX-License-Identifier: MIT */
/* Overlapped operations on non-IFS sockets as real requests on their
 * handles, so that the system can cancel them (include/lspkit/cancel.h).
 *
 * The dispatch of a call that starts an overlapped operation brackets the
 * provider's call with pending_begin and pending_issued. An operation that
 * the provider reports as WSA_IO_PENDING is then pended on the socket's
 * lspkit_ifs.sys handle with the application's own WSAOVERLAPPED, and the
 * provider's WPUCompleteOverlappedRequest completes that request
 * (pending_complete). One that the provider completes while its call is
 * still running is delivered as before, in one request that completes at
 * once. */
#ifndef LSPKIT_PENDING_H
#define LSPKIT_PENDING_H

#include <winsock2.h>
#include <ws2spi.h>
#include "dsocket.h"

struct pending;

/* Before the provider's call: NULL when the operation is not one to pend
 * (an IFS socket, no overlapped) or when cancels cannot be heard in this
 * process. */
struct pending *pending_begin(struct dsocket *ds, LPWSAOVERLAPPED overlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* The completion routine to give the provider: for an operation with one
 * that `p` records, the front end's, which ends the pended request and
 * then runs `routine`; otherwise `routine` itself. */
LPWSAOVERLAPPED_COMPLETION_ROUTINE pending_routine(const struct pending *p,
                                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);

/* After it, with what it returned (and its error when SOCKET_ERROR). */
void pending_issued(struct pending *p, int result, int error);

/* WPUCompleteOverlappedRequest's part: TRUE when `overlapped` is an
 * operation begun here on `s`, which this then completes (*result: 0 or
 * a WSA error); FALSE when the caller must complete it itself. */
BOOL pending_complete(SOCKET s, LPWSAOVERLAPPED overlapped, LONG status, DWORD count,
                      int *result);

/* The handle of `s` is being closed: forgets its operations. */
void pending_forget(SOCKET s);

#endif
