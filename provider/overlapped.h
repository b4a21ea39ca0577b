/* SPDX-License-Identifier: MIT */
/* Overlapped operations run on the provider's own WSAOVERLAPPED.
 *
 * The caller's WSAOVERLAPPED never reaches the lower provider: an operation
 * (struct op) carries ours, bound through the lower socket to the worker's
 * completion port, and remembers the caller's overlapped, completion
 * routine and WSATHREADID (by value, S17) plus a copy of its WSABUF array
 * (S10). When the lower provider is done, the caller is told exactly once
 * (L03), with the lower byte count and error: its routine through
 * WPUQueueApc and our own APC (S02, S16), else WPUCompleteOverlappedRequest,
 * which signals hEvent and posts to the caller's port.
 *
 * The caller's WSAOVERLAPPED is left as WSPGetOverlappedResult reads it
 * (result.c): Internal an NTSTATUS and InternalHigh the byte count (as the
 * system's own Winsock reads them), Offset the flags and OffsetHigh the
 * lower provider's WSA error - the two fields the WSAOVERLAPPED reserves
 * for the provider. */
#ifndef LSPKIT_PROVIDER_OVERLAPPED_H
#define LSPKIT_PROVIDER_OVERLAPPED_H

#include <winsock2.h>
#include <ws2spi.h>
#include "context.h"
#include "inspect.h"
#include "verdict.h"

/* NTSTATUS values (winnt.h has STATUS_PENDING only). */
#define LSP_STATUS_SUCCESS      ((ULONG_PTR)0x00000000)
#define LSP_STATUS_UNSUCCESSFUL ((ULONG_PTR)0xC0000001)

/* WSABUF arrays up to this long are captured without an allocation. */
#define OP_INLINE_BUFS 4

/* Who completes an operation to the caller (finish.c). */
enum op_state {
    OP_ISSUING,                   /* the issuer is inside the lower call */
    OP_ISSUED,                    /* the lower call returned */
    OP_EARLY,                     /* the packet came while OP_ISSUING */
};

/* What a caller starts an operation with. */
struct op_start {
    LPWSAOVERLAPPED overlapped;               /* the caller's */
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    LPWSATHREADID thread;                     /* NULL: the calling thread */
    enum inspect_direction direction;
    const WSABUF *bufs;                       /* captured when count > 0 */
    DWORD count;
};

struct op {
    WSAOVERLAPPED ov;             /* ours, handed to the lower provider */
    LONG refs;                    /* the issuer's and the port packet's */
    LONG state;                   /* enum op_state */
    BOOL finished;                /* completed to the caller */
    BOOL failed_at_once;          /* the call fails, yet the lower one completed
                                     (a datagram cut short: finish.c) */
    struct context *ctx;          /* referenced until the op is freed */
    struct context_io io;         /* on the socket's list while under way */
    struct context *data_ctx;     /* whose data moves (AcceptEx: the accepted socket) */
    enum inspect_direction direction;
    LPWSAOVERLAPPED app;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    WSATHREADID thread;
    BOOL own_thread;              /* opened here, closed once the APC is queued */
    ULONG_PTR saved_internal, saved_internal_high;
    DWORD lower_bytes;            /* written by the lower provider */
    DWORD lower_flags;            /* in: the caller's recv flags; out: the lower's */
    DWORD packet_bytes;           /* the byte count of the lower provider's packet */
    int error;                    /* the result, for the completion */
    DWORD bytes;
    DWORD flags;
    WSABUF *bufs;                 /* the captured array (or the caller's, when empty) */
    DWORD count;
    BOOL bufs_heap;               /* bufs was allocated */
    /* For the capture (inspect.h), set by the issuer before the lower call:
     * a send's flags, its destination (a copy) and a receive's source (the
     * caller's storage, read at completion). */
    DWORD thread_id;              /* the issuing thread (op_begin) */
    DWORD send_flags;
    struct sockaddr_storage to;   /* when to_len > 0 */
    int to_len;
    struct sockaddr *from;
    LPINT from_len;
    int from_room;                /* *from_len as the call began */
    struct sockaddr_storage own_from;   /* the source for capture when the caller */
    INT own_from_len;                   /* asked for none (see recv.c) */
    LPWSAMSG recv_msg;            /* WSARecvMsg's: buffers, flags, source */
    /* A send a filter replaced or redirected (verdict.h): what the lower
     * call sends instead of `bufs`, owned by the op; `bufs` stay the
     * caller's, for the capture. */
    struct send_replacement replaced;
    WSABUF replaced_buf;
    struct recv_change received;  /* what a filter changed of a receive */
    /* The caller cancelled it (op_cancel): what an operation the provider
     * runs itself (a redirected ConnectEx, redirect.c) looks at as it waits. */
    volatile LONG cancelled;
    WSABUF inline_bufs[OP_INLINE_BUFS];
    WSAMSG msg;                   /* WSASendMsg's message, captured */
};

/* TRUE when a call with `overlapped` must run as an op: a socket without
 * the overlapped attribute, or a call without an overlapped structure,
 * goes straight to the lower provider (S06, S09). */
static inline BOOL op_wanted(const struct context *ctx, LPWSAOVERLAPPED overlapped)
{
    return overlapped && (ctx->flags & WSA_FLAG_OVERLAPPED);
}

/* Starts an operation on `ctx`: checks and captures what `start` points
 * to, marks the caller's WSAOVERLAPPED pending. NULL with *err set
 * (WSAEFAULT, WSAENOBUFS, WSAENOTSOCK once closing); nothing is started. */
struct op *op_begin(struct context *ctx, const struct op_start *start, int *err);

/* Keeps a copy of a send's destination for the capture (ignored when it
 * cannot be read: the lower call judges it). */
void op_keep_destination(struct op *op, const struct sockaddr *to, int len);

/* Makes `data` (referenced) the socket whose transfer the op reports. */
void op_set_data_context(struct op *op, struct context *data);

void op_release(struct op *op);

/* A send a filter replaced: the op takes the replacement (and frees it),
 * and its lower call sends it. The buffers the lower call gets are then
 * op_send_bufs' - the replacement, or the caller's captured array. */
void op_replace_send(struct op *op, struct send_replacement *r);
WSABUF *op_send_bufs(struct op *op, DWORD *count);

/* The application cancelled the operation it started with `app`
 * (lspkit/cancel.h): the lower provider's operation is cancelled and then
 * completes as it does - aborted, or with what it had done - and the
 * caller's with it. Returns 0, WSAEINVAL when no such operation is under
 * way, or the error of a lower provider that cannot cancel. */
int op_cancel(struct context *ctx, LPWSAOVERLAPPED app, LPWSATHREADID thread);

/* The event that our lower operations carry when the system must cancel
 * them at their issuing thread's exit (S30). The system cancels a thread's
 * pending I/O at its exit except I/O that reports only to a completion port
 * (no event): our lower operations all report to the worker's port, so
 * without an event none would be. Nobody waits on it; the system merely
 * signals it. Made by the first WSPStartup (0 or WSAENOBUFS), closed by
 * the last WSPCleanup. */
int op_exit_event_start(void);
void op_exit_event_stop(void);

#endif
