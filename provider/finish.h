/* SPDX-License-Identifier: MIT */
/* How an overlapped operation ends (finish.c): after its lower call, at
 * once, or when the lower provider's packet comes to the worker. */
#ifndef LSPKIT_PROVIDER_FINISH_H
#define LSPKIT_PROVIDER_FINISH_H

#include "overlapped.h"

/* After the lower call: `result` 0 (done at once: completes the caller now,
 * and reports the count and flags through the non-NULL pointers) or
 * SOCKET_ERROR with `error` (WSA_IO_PENDING: the worker completes it
 * later; WSAEMSGSIZE with our WSAOVERLAPPED completed - a datagram cut
 * short: done at once with that error, the count and flags left alone;
 * anything else: nothing was started, the caller's overlapped is
 * restored). Returns 0 or the error for the caller. */
int finish_issued(struct op *op, int result, int error, LPDWORD bytes_out, LPDWORD flags_out);

/* An operation the provider answers itself, without the lower provider:
 * completes `start->overlapped` with `bytes` at once. Returns 0 or the
 * error. */
int finish_at_once(struct context *ctx, const struct op_start *start, DWORD bytes);

/* An operation the provider runs itself, off the caller's thread (a
 * filter's redirect of ConnectEx: redirect.c): begun by finish_own_begin
 * (NULL with *error), completed to the caller once by finish_own. */
struct op *finish_own_begin(struct context *ctx, const struct op_start *start, int *error);
void finish_own(struct op *op, int error, DWORD bytes);

/* The worker: the lower provider's packet for the operation whose
 * WSAOVERLAPPED (ours) is `ov`, `packet_bytes` its byte count. */
void finish_packet(LPOVERLAPPED ov, DWORD packet_bytes);

#endif
