/* SPDX-License-Identifier: MIT */
/* The calls that only need the lower socket in place of ours: binding,
 * listening, connecting, shutting down, and the socket's names. */
#include "lsp.h"
#include "context.h"
#include "redirect.h"

int WSPAPI WSPBind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPBind(ctx->lower, name, namelen, lpErrno);
    context_release(ctx);
    return result;
}

int WSPAPI WSPListen(SOCKET s, int backlog, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPListen(ctx->lower, backlog, lpErrno);
    context_release(ctx);
    return result;
}

int WSPAPI WSPConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    struct connect_route route;
    BOOL would_block;
    int result, error;

    if (!ctx)
        return SOCKET_ERROR;
    error = redirect_verdict(ctx, name, namelen, FALSE, &route);
    if (!error && route.redirector >= 0) {
        error = redirect_connect(ctx, &route, &would_block);
        /* A non-blocking connect says it is under way, as the stack's
         * does; it is in fact done, so the socket is already writable. */
        if (!error && would_block)
            error = WSAEWOULDBLOCK;
    } else if (!error) {
        result = LOWER(ctx)->lpWSPConnect(ctx->lower, name, namelen, lpCallerData, lpCalleeData,
                                          lpSQOS, lpGQOS, lpErrno);
        /* A datagram socket connected anew, where no filter redirected
         * it: getpeername is the stack's again. */
        if (result == 0)
            ctx->peer_asked_len = 0;
        context_release(ctx);
        return result;
    }
    context_release(ctx);
    return error ? lsp_fail(lpErrno, error) : 0;
}

int WSPAPI WSPShutdown(SOCKET s, int how, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPShutdown(ctx->lower, how, lpErrno);
    context_release(ctx);
    return result;
}

int WSPAPI WSPGetPeerName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPGetPeerName(ctx->lower, name, namelen, lpErrno);
    /* Redirected: the peer is where the application connected, not the
     * proxy. The lower call has checked the caller's storage. */
    if (result == 0 && context_peer_asked(ctx, name, namelen) < 0)
        result = lsp_fail(lpErrno, WSAEFAULT);
    context_release(ctx);
    return result;
}

int WSPAPI WSPGetSockName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPGetSockName(ctx->lower, name, namelen, lpErrno);
    context_release(ctx);
    return result;
}
