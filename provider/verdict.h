/* SPDX-License-Identifier: MIT */
/* The filters' verdicts on a send (send.c) and on a receive that ended
 * (recv.c, finish.c): filters.h asks them, this file acts on what they say. */
#ifndef LSPKIT_PROVIDER_VERDICT_H
#define LSPKIT_PROVIDER_VERDICT_H

#include "context.h"

/* A send the filters replaced: the bytes that go in the caller's place,
 * and the caller's own count, which the caller is told. */
struct send_replacement {
    void *bytes;                  /* NULL: not replaced */
    DWORD len;
    DWORD asked;
};

/* A send of `bufs` (to `to`, for sendto) as the filters judge it: 0, with
 * r->bytes NULL (it goes as the application made it) or set (it is
 * replaced; whoever holds `r` frees r->bytes), or the WSA error it fails
 * with. */
int send_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, const struct sockaddr *to,
                 int to_len, struct send_replacement *r);

/* Makes a replaced send that waits for nothing (no overlapped structure),
 * and frees the replacement: 0 with *sent the count the caller is told,
 * or the lower provider's error. */
int send_replaced_now(struct context *ctx, struct send_replacement *r, DWORD flags,
                      const struct sockaddr *to, int to_len, LPDWORD sent);

/* What the caller of a replaced send is told for `went` bytes of the
 * replacement: its own count when all of the replacement went, else what
 * went, at most its own count - a stack that took part of the replacement
 * took part of the message, and the caller must not think it all gone. */
static inline DWORD send_replaced_count(const struct send_replacement *r, DWORD went)
{
    return went == r->len ? r->asked : went < r->asked ? went : r->asked;
}

/* A receive that ended with `*bytes` in `bufs` (from `peer`, for
 * recvfrom), as the filters judge it: 0, with *bytes what the caller gets
 * and *replaced telling that a filter put other bytes in the buffers; or
 * the WSA error the receive ends with instead. */
int recv_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, DWORD *bytes,
                 const struct sockaddr *peer, int peer_len, BOOL *replaced);

#endif
