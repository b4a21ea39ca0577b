/* SPDX-License-Identifier: MIT */
/* A connect as the filters judge it (filters.h): let through, failed, or
 * redirected - the lower socket connected elsewhere and the redirecting
 * filter's handshake run on it before the application's connect ends. */
#ifndef LSPKIT_PROVIDER_REDIRECT_H
#define LSPKIT_PROVIDER_REDIRECT_H

#include <lspkit/filter.h>
#include "context.h"

struct op_start;

struct connect_route {
    struct lspkit_connect connect;
    int redirector;               /* the redirecting filter, or -1 */
};

/* The filters' verdict on connecting `ctx` to `to`: 0 (route->redirector
 * says whether it is redirected) or the WSA error the connect fails with. */
int redirect_verdict(struct context *ctx, const struct sockaddr *to, int to_len,
                     BOOL overlapped, struct connect_route *route);

/* Connects the lower socket where the route redirects, runs the handshake
 * and, when it all went, remembers the address the application asked for
 * (getpeername's answer). Waits on the calling thread, the handshake up
 * to LSPKIT_HANDSHAKE_MS. *would_block tells that the lower socket is
 * non-blocking. 0 or the WSA error; after an error the lower connection
 * is shut down. */
int redirect_connect(struct context *ctx, const struct connect_route *route, BOOL *would_block);

/* ConnectEx redirected: the same on a thread of the pool, then `data`
 * (len bytes, the caller's, valid until the completion) sent, and the
 * caller's overlapped completed through `start`'s channel. A cancel
 * (op_cancel) ends it with WSA_OPERATION_ABORTED within CANCEL_POLL_MS
 * while it waits for a non-blocking connect, the handshake or the data;
 * a blocking lower connect runs to its end first. 0 (pending) or the WSA
 * error. */
int redirect_connectex(struct context *ctx, const struct connect_route *route,
                       const struct op_start *start, const void *data, DWORD len);

#endif
