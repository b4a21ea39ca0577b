/* SPDX-License-Identifier: MIT */
/* The filters' verdicts on a send (send.c) and on a receive that ended
 * (recv.c, finish.c): filters.h asks them, this file acts on what they say. */
#ifndef LSPKIT_PROVIDER_VERDICT_H
#define LSPKIT_PROVIDER_VERDICT_H

#include "context.h"

/* A send the filters replaced or redirected: the bytes that go in the
 * caller's place (a copy of the caller's own, for a redirect alone), where
 * they go, and the caller's own count, which the caller is told. */
struct send_replacement {
    void *bytes;                  /* NULL: neither replaced nor redirected */
    DWORD len;
    DWORD asked;
    BOOL replaced;                /* the bytes are the filter's */
    struct sockaddr_storage to;   /* a datagram's new destination, when to_len > 0 */
    int to_len;
};

/* A send of `bufs` (to `to`, for sendto) as the filters judge it: 0, with
 * r->bytes NULL (it goes as the application made it) or set (it is
 * replaced or redirected; whoever holds `r` frees r->bytes), or the WSA
 * error it fails with. */
int send_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, const struct sockaddr *to,
                 int to_len, struct send_replacement *r);

/* Where a send goes: the filters' redirect, or where the caller said
 * (NULL with *to_len 0: a connected socket's peer). */
static inline const struct sockaddr *send_destination(const struct send_replacement *r,
                                                      const struct sockaddr *to, int *to_len)
{
    if (!r->to_len)
        return to;
    *to_len = r->to_len;
    return (const struct sockaddr *)&r->to;
}

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

/* A received datagram's source, as the lower provider wrote it, and the
 * room the caller gave for it: what a filter's redirect rewrites. */
struct recv_source {
    struct sockaddr *from;        /* NULL: none asked for (recv) */
    LPINT from_len;
    int room;
};

/* Whether the filters want a datagram's source that the caller does not
 * ask for (they judge receives): recvfrom then has the lower provider
 * write it into storage of lspkit's. */
BOOL recv_verdict_wants_source(const struct context *ctx);

/* A receive that ended with `*bytes` in `bufs` (from `source`, for
 * recvfrom), as the filters judge it: 0, with *bytes what the caller gets,
 * the source rewritten when a filter redirected it, and what a filter
 * changed in *changed (`replaced`, `redirected`); or the WSA error the
 * receive ends with instead. */
struct recv_change {
    BOOL replaced;                /* a filter put other bytes in the buffers */
    BOOL redirected;              /* and told the caller another source */
};
int recv_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, DWORD *bytes,
                 const struct recv_source *source, struct recv_change *changed);

#endif
