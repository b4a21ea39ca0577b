/* SPDX-License-Identifier: MIT */
/* A filter's own TCP connections (struct lspkit_host's dial and hang_up):
 * sockets of the provider below one of our TCP chains, never lspkit's own
 * sockets, so no filter sees them and the capture does not record them. */
#ifndef LSPKIT_PROVIDER_DIAL_H
#define LSPKIT_PROVIDER_DIAL_H

#include <lspkit/filter.h>

int dial(const struct sockaddr *to, int to_len, struct lspkit_stream **stream);
void dial_hang_up(struct lspkit_stream *stream);

/* The last WSPCleanup, before the lower providers are unloaded: closes
 * every connection still open. A stream of one then fails its calls with
 * WSAENOTSOCK; hang_up still frees it. */
void dial_close_all(void);

#endif
