/* The inspection hook: every send and receive of every provider socket is
 * reported here once it is final, with its direction, socket, byte count
 * and result. For now it counts the bytes per socket; the capture writer
 * will hang off the same call. It never sees data to change (L08). */
#ifndef LSPKIT_PROVIDER_INSPECT_H
#define LSPKIT_PROVIDER_INSPECT_H

#include <winsock2.h>

struct context;

enum inspect_direction {
    INSPECT_NONE,                 /* not a data transfer (ioctl, connect, MSG_PEEK) */
    INSPECT_SENT,
    INSPECT_RECEIVED,
};

/* One finished transfer: `bytes` moved in `direction` on `ctx`, with
 * `error` 0 or the WSA error it ended with. */
void inspect_record(struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error);

/* A call passed straight to the lower provider: reports it unless it is
 * still pending (or not a transfer). `bytes` is the caller's count pointer. */
void inspect_result(struct context *ctx, enum inspect_direction direction, int result,
                    const DWORD *bytes, int error);

/* Test-only export (lspkit.def): the bytes sent and received so far on
 * provider socket `s`. FALSE when `s` is not one of the provider's sockets. */
BOOL WINAPI lspkit_inspect_counts(SOCKET s, ULONGLONG *sent, ULONGLONG *received);

#endif
