/* SPDX-License-Identifier: MIT */
/* The filters' verdict on a send (filters.h), for send.c. */
#ifndef LSPKIT_PROVIDER_SEND_VERDICT_H
#define LSPKIT_PROVIDER_SEND_VERDICT_H

#include "context.h"

/* A send of `bufs` (to `to`, for sendto) as the filters judge it. Returns
 * 0 when it goes on as the application made it, or the WSA error it fails
 * with. A send they replace is made here, when the call waits for nothing
 * (no overlapped structure): *sent is then the application's count and
 * *done TRUE. An overlapped send cannot be replaced in this version: it
 * fails with WSAEOPNOTSUPP. */
int send_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, DWORD flags,
                 const struct sockaddr *to, int to_len, BOOL overlapped, LPDWORD sent,
                 BOOL *done);

#endif
