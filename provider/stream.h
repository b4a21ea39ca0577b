/* SPDX-License-Identifier: MIT */
/* A filter's struct lspkit_stream over a socket of a lower provider: the
 * lower socket of a redirected connect (redirect.c), or a connection of
 * the filter's own (dial.c). Each call talks to the lower provider after
 * a select, so that it works the same on a blocking socket or not, and
 * keeps to its deadline either way. */
#ifndef LSPKIT_PROVIDER_STREAM_H
#define LSPKIT_PROVIDER_STREAM_H

#include <lspkit/filter.h>
#include <ws2spi.h>

struct lower_stream {
    struct lspkit_stream api;
    const WSPPROC_TABLE *procs;   /* the lower provider's */
    SOCKET socket;                /* its socket */
    ULONGLONG deadline;           /* GetTickCount64 */
    DWORD call_ms;                /* not 0: each call's own deadline, from its start */
    volatile LONG *cancelled;     /* the caller's cancel of a ConnectEx, or NULL */
};

/* How often a wait that can be cancelled looks whether it was. */
#define CANCEL_POLL_MS 50

/* A stream over `socket` of `procs`, its calls' deadline st->deadline
 * (call_ms 0) or each call's own (call_ms after its start). */
void lower_stream_init(struct lower_stream *st, const WSPPROC_TABLE *procs, SOCKET socket,
                       DWORD call_ms, volatile LONG *cancelled);

/* Puts a lower provider's socket in non-blocking mode or takes it out
 * (FIONBIO): 0 or the WSA error. */
int lower_socket_set_non_blocking(const WSPPROC_TABLE *procs, SOCKET socket, u_long non_blocking);

/* Connects the stream's socket to `to`, waiting up to LSPKIT_HANDSHAKE_MS
 * for a non-blocking one: 0 or the WSA error. *would_block tells that the
 * socket is non-blocking. */
int lower_stream_connect(struct lower_stream *st, const struct sockaddr *to, int to_len,
                         BOOL *would_block);

#endif
