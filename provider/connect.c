/* SPDX-License-Identifier: MIT */
/* The calls that only need the lower socket in place of ours: binding,
 * listening, connecting, shutting down, and the socket's names. */
#include "lsp.h"
#include "context.h"

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
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPConnect(ctx->lower, name, namelen, lpCallerData, lpCalleeData,
                                      lpSQOS, lpGQOS, lpErrno);
    context_release(ctx);
    return result;
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
