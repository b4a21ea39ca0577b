/* SPDX-License-Identifier: MIT */
/* WSPEventSelect and WSPEnumNetworkEvents (L07): the caller's event object
 * goes to the lower socket as it is; the lower provider signals it. */
#include "lsp.h"
#include "context.h"

int WSPAPI WSPEventSelect(SOCKET s, WSAEVENT hEventObject, __LONG32 lNetworkEvents,
                          LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPEventSelect(ctx->lower, hEventObject, lNetworkEvents, lpErrno);
    /* The socket is non-blocking now, and stays so after the events are
     * cleared, until FIONBIO says otherwise. */
    if (result == 0 && lNetworkEvents)
        ctx->known_blocking = FALSE;
    context_release(ctx);
    return result;
}

int WSPAPI WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                LPWSANETWORKEVENTS lpNetworkEvents, LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    result = LOWER(ctx)->lpWSPEnumNetworkEvents(ctx->lower, hEventObject, lpNetworkEvents,
                                                lpErrno);
    context_release(ctx);
    return result;
}
