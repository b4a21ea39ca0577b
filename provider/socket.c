/* SPDX-License-Identifier: MIT */
/* Creating and closing provider sockets: WSPSocket, WSPCloseSocket,
 * WSPAccept, WSPJoinLeaf. Each wraps a socket of the next provider. */
#include "lsp.h"
#include "context.h"
#include "asyncsel.h"
#include "duplicate.h"
#include "capture/capture.h"
#include "worker.h"
#include "inspect.h"

/* A new lower socket made one of ours. An overlapped one is first bound to
 * the worker's completion port: without it, completions of the lower
 * socket could not reach us. On failure the lower socket is closed. */
static struct context *adopt_lower(struct layer *layer, SOCKET lower, DWORD flags, int *err)
{
    int ignored;

    if ((flags & WSA_FLAG_OVERLAPPED) && !worker_bind(lower)) {
        layer->lower->procs.lpWSPCloseSocket(lower, &ignored);
        *err = WSAENOBUFS;
        return NULL;
    }
    return context_create(layer, lower, flags, err);
}

SOCKET WSPAPI WSPSocket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                        GROUP g, DWORD dwFlags, LPINT lpErrno)
{
    WSAPROTOCOL_INFOW imported, *lower_info = NULL;
    struct chain_descent descent;
    struct context *ctx;
    struct layer *layer;
    SOCKET lower;
    int error = WSAEINVAL;
    BOOL duplicated = FALSE;

    if (lpProtocolInfo)
        error = chain_layer(lpProtocolInfo, &layer);
    if (!error && (duplicated = duplicate_is_import(lpProtocolInfo))) {
        /* A socket another process (or this one) duplicated for us. */
        error = duplicate_import(lpProtocolInfo, &imported);
        lower_info = &imported;
    } else if (!error) {
        lower_info = &layer->lower->info;
    }
    if (error) {
        *lpErrno = error;
        return INVALID_SOCKET;
    }
    chain_descend(&descent, layer);
    lower = layer->lower->procs.lpWSPSocket(af, type, protocol, lower_info, g, dwFlags, lpErrno);
    chain_ascend(&descent);
    if (lower == INVALID_SOCKET)
        return INVALID_SOCKET;
    ctx = adopt_lower(layer, lower, dwFlags, lpErrno);
    if (!ctx)
        return INVALID_SOCKET;
    /* A duplicated socket keeps the mode it had in its first process. */
    ctx->known_blocking = !duplicated;
    return ctx->app;
}

int WSPAPI WSPCloseSocket(SOCKET s, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = context_close(ctx, lpErrno);
    if (result == 0)
        asyncsel_forget(ctx);
    if (capture_enabled())
        capture_socket_closed(s);
    context_release(ctx);
    return result;
}

SOCKET WSPAPI WSPAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                        LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno), *accepted = NULL;
    SOCKET lower;
    BOOL held;

    if (!ctx)
        return INVALID_SOCKET;
    held = asyncsel_accept_begin(ctx);
    lower = LOWER(ctx)->lpWSPAccept(ctx->lower, addr, addrlen, lpfnCondition, dwCallbackData,
                                    lpErrno);
    /* An accepted socket shares its listener's attributes, overlapped included. */
    if (lower != INVALID_SOCKET)
        accepted = adopt_lower(ctx->layer, lower, ctx->flags, lpErrno);
    if (accepted)
        inspect_accepted(ctx, accepted);
    asyncsel_accept_end(ctx, accepted, held);
    context_release(ctx);
    return accepted ? accepted->app : INVALID_SOCKET;
}

SOCKET WSPAPI WSPJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen,
                          LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                          LPQOS lpGQOS, DWORD dwFlags, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno), *leaf = NULL;
    SOCKET lower, result = INVALID_SOCKET;

    if (!ctx)
        return INVALID_SOCKET;
    lower = LOWER(ctx)->lpWSPJoinLeaf(ctx->lower, name, namelen, lpCallerData, lpCalleeData,
                                      lpSQOS, lpGQOS, dwFlags, lpErrno);
    /* A non-rooted leaf joins with the socket itself; a rooted one gets a new socket. */
    if (lower == ctx->lower)
        result = s;
    else if (lower != INVALID_SOCKET && (leaf = adopt_lower(ctx->layer, lower, ctx->flags,
                                                             lpErrno)))
        result = leaf->app;
    context_release(ctx);
    return result;
}
