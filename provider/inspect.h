/* SPDX-License-Identifier: MIT */
/* The inspection hook: every send and receive of every provider socket is
 * reported here once it is final, with its direction, socket, byte count
 * and result. It hands the transfer to the capture (docs/capture.md). It
 * never changes the data (L08). */
#ifndef LSPKIT_PROVIDER_INSPECT_H
#define LSPKIT_PROVIDER_INSPECT_H

#include <winsock2.h>
#include "transfer.h"

struct context;

/* What a transfer moved, for the capture (provider/capture/capture.h):
 * the buffers holding the bytes, the call's flags (the caller's for a
 * send, the result's for a receive), the datagram peer the call named
 * (sendto's destination, recvfrom's source) and the thread that issued
 * the call (0: the calling thread), and whether a filter replaced the
 * bytes or redirected them. Any of it may be absent. */
struct inspect_data {
    const WSABUF *bufs;
    DWORD count;
    DWORD flags;
    const struct sockaddr *peer;
    int peer_len;
    DWORD thread_id;
    BOOL replaced;                /* a filter sent other bytes in their place */
    BOOL redirected;              /* a filter sent the datagram elsewhere, or
                                     gave a received one another source */
};

/* One finished transfer: `bytes` moved in `direction` on `ctx`, with
 * `error` 0 or the WSA error it ended with; `data` NULL when nothing more
 * is known. Reaches the capture when it is on. */
void inspect_record(struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error, const struct inspect_data *data);

/* A connection accepted on `listener` (accept, WSAAccept, AcceptEx), for
 * the filters (include/lspkit/filter.h). */
void inspect_accepted(struct context *listener, struct context *accepted);

/* A call passed straight to the lower provider: reports it unless it is
 * still pending (or not a transfer). `bytes` is the caller's count pointer. */
void inspect_result(struct context *ctx, enum inspect_direction direction, int result,
                    const DWORD *bytes, int error, const struct inspect_data *data);

#endif
