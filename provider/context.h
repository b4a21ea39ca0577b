/* SPDX-License-Identifier: MIT */
/* The provider's sockets. Each application socket is a WPUCreateSocketHandle
 * handle whose context is a struct context: reference-counted, found in O(1)
 * through WPUQuerySocketHandleContext and checked against our own set of
 * live contexts (a foreign handle's context is another provider's value,
 * never dereferenced).
 *
 * Closing cancels the pending operations of the lower socket (an IFS one:
 * CancelIoEx, as closesocket does on Windows) or lets the lower provider
 * abort them as its socket closes (a non-IFS one); each completes to the
 * application once, with an error (S29). The application's handle itself
 * is released (WPUCloseSocketHandle) only when no overlapped operation is
 * pending on it any more, so that every completion is delivered on it;
 * closesocket waits for that, within a bound. */
#ifndef LSPKIT_PROVIDER_CONTEXT_H
#define LSPKIT_PROVIDER_CONTEXT_H

#include <winsock2.h>
#include <ws2spi.h>
#include <string.h>
#include "chain.h"
#include "../common/hash.h"

struct lspkit_socket;

/* An overlapped operation as its socket sees it: a link on the socket's
 * list of operations under way. The operation (overlapped.h) embeds it;
 * the socket knows nothing else of it. */
struct context_io {
    struct context_io *prev, *next;
};

struct context {
    LONG refs;                    /* the handle's, one per lookup and per operation */
    SOCKET app;                   /* the application's handle */
    SOCKET lower;                 /* the next provider's socket */
    struct layer *layer;
    DWORD flags;                  /* WSA_FLAG_* it was created with */
    /* Known to be in blocking mode: made here by WSPSocket (not imported
     * from another process, not accepted), and no FIONBIO, WSPEventSelect
     * or WSPAsyncSelect has made it non-blocking since. Written by the
     * application's calls; read by a redirected ConnectEx (redirect.c),
     * which may then lend the lower socket non-blocking mode. */
    BOOL known_blocking;

    SRWLOCK lock;                 /* guards the fields below */
    CONDITION_VARIABLE changed;   /* an operation completed */
    LONG pending;                 /* overlapped operations begun, not yet completed */
    struct context_io *ios;       /* those operations, for a cancel */
    BOOL closing;                 /* WSPCloseSocket called: no new operation */
    BOOL close_deferred;          /* the handle closes when `pending` reaches 0 */
    HANDLE drained;               /* set when `pending` reaches 0, while a close waits */

    struct hash_link live;        /* on the set of live contexts (context.c) */

    struct lspkit_socket *filtered;     /* the filters' views of it (filters.h), or NULL */
    /* Where the application connected when a filter redirected it
     * (redirect.c): what getpeername answers. Written once, before the
     * connect returns; peer_asked_len 0 when not redirected. */
    struct sockaddr_storage peer_asked;
    int peer_asked_len;
};

/* Copies where the application connected, when a filter redirected the
 * socket, into NAME (room for *LEN bytes): 1 when it did, 0 when the
 * socket was not redirected, -1 when NAME is too short. What getpeername
 * and the capture answer, rather than the proxy the lower socket knows. */
static inline int context_peer_asked(const struct context *ctx, struct sockaddr *name, int *len)
{
    if (!ctx->peer_asked_len)
        return 0;
    if (*len < ctx->peer_asked_len)
        return -1;
    memcpy(name, &ctx->peer_asked, ctx->peer_asked_len);
    *len = ctx->peer_asked_len;
    return 1;
}

/* The next provider's proc table of a socket. */
#define LOWER(ctx) (&(ctx)->layer->lower->procs)

/* Wraps a new lower socket: creates the application's handle (ctx->app)
 * for our chain entry and registers the context, which the handle then
 * references. On failure the lower socket is closed and NULL returned with
 * *err set. */
struct context *context_create(struct layer *layer, SOCKET lower, DWORD flags, int *err);

/* The context of application socket `s`, referenced; NULL with *err =
 * WSAENOTSOCK when `s` is not one of our open sockets. */
struct context *context_get(SOCKET s, int *err);

void context_addref(struct context *ctx);
void context_release(struct context *ctx);

/* WSPCloseSocket: see above. Returns 0 or SOCKET_ERROR with *err. */
int context_close(struct context *ctx, int *err);

/* Brackets an overlapped operation, from its start to its completion to
 * the caller; the operation holds its own reference meanwhile and is on
 * the socket's list of operations. context_io_begin fails (FALSE) once the
 * socket is closing; context_io_end may close the deferred handle. */
BOOL context_io_begin(struct context *ctx, struct context_io *io);
void context_io_end(struct context *ctx, struct context_io *io);

/* The first operation under way on the socket that `take` accepts, or
 * NULL. `take` runs under the socket's lock, while no operation can end,
 * so that it can take its own reference to the one it accepts. */
struct context_io *context_find_io(struct context *ctx,
                                   BOOL (*take)(struct context_io *io, void *arg), void *arg);

/* TRUE once WSPCloseSocket has closed the lower socket. */
BOOL context_closing(struct context *ctx);

/* Closes every socket still open (the last WSPCleanup). */
void context_close_all(void);

#endif
