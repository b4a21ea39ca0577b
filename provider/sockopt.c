/* SPDX-License-Identifier: MIT */
/* WSPGetSockOpt, WSPSetSockOpt, WSPGetQOSByName.
 *
 * The lower provider answers every option, so that each argument error is
 * its own; two need more from us. SO_PROTOCOL_INFO(A/W) describes our
 * chain entry, not the lower one (L05). SO_UPDATE_ACCEPT_CONTEXT carries
 * the listening socket, which the lower provider knows by its own handle. */
#include <mswsock.h>
#include "lsp.h"
#include "context.h"
#include "../common/protocol_info.h"
#include "../common/memcheck.h"

/* Overwrites the lower provider's protocol info (already in `optval`,
 * which it found large enough) with our chain entry's. */
static void describe_chain_entry(const struct context *ctx, int optname, char *optval)
{
    const WSAPROTOCOL_INFOW *info = &ctx->layer->info;

    if (optname == SO_PROTOCOL_INFOW)
        *(WSAPROTOCOL_INFOW *)optval = *info;
    else
        protocol_info_narrow(info, (WSAPROTOCOL_INFOA *)optval);
}

int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen,
                         LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPGetSockOpt(ctx->lower, level, optname, optval, optlen, lpErrno);
    if (result == 0 && level == SOL_SOCKET &&
        (optname == SO_PROTOCOL_INFOW || optname == SO_PROTOCOL_INFOA))
        describe_chain_entry(ctx, optname, optval);
    context_release(ctx);
    return result;
}

int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen,
                         LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno), *listener = NULL;
    SOCKET lower_listener;
    int result, ignored;

    if (!ctx)
        return SOCKET_ERROR;
    if (level == SOL_SOCKET && optname == SO_UPDATE_ACCEPT_CONTEXT &&
        optlen >= (int)sizeof(SOCKET) && mem_readable(optval, sizeof(SOCKET)))
        listener = context_get(*(const SOCKET *)optval, &ignored);
    if (listener) {
        lower_listener = listener->lower;
        result = LOWER(ctx)->lpWSPSetSockOpt(ctx->lower, level, optname,
                                             (const char *)&lower_listener,
                                             sizeof(lower_listener), lpErrno);
        context_release(listener);
    } else {
        result = LOWER(ctx)->lpWSPSetSockOpt(ctx->lower, level, optname, optval, optlen,
                                             lpErrno);
    }
    context_release(ctx);
    return result;
}

BOOL WSPAPI WSPGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    BOOL result;

    if (!ctx)
        return FALSE;
    result = LOWER(ctx)->lpWSPGetQOSByName(ctx->lower, lpQOSName, lpQOS, lpErrno);
    context_release(ctx);
    return result;
}
