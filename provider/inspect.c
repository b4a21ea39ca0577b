/* SPDX-License-Identifier: MIT */
/* The inspection hook: the capture's events. */
#include "lsp.h"
#include "inspect.h"
#include "context.h"
#include "probe.h"
#include "filters.h"
#include "capture/capture.h"

/* The capture asks once per socket for the addresses of its lower socket:
 * the peer the application connected to, where a filter redirected it. */
static BOOL lower_address(void *arg, BOOL peer, struct sockaddr *address, int *length)
{
    struct context *ctx = arg;
    int error;

    if (peer && ctx->peer_asked_len)
        return context_peer_asked(ctx, address, length) > 0;
    if (peer)
        return LOWER(ctx)->lpWSPGetPeerName(ctx->lower, address, length, &error) == 0;
    return LOWER(ctx)->lpWSPGetSockName(ctx->lower, address, length, &error) == 0;
}

static void capture(struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error, const struct inspect_data *data)
{
    static const struct inspect_data unknown;
    struct capture_event e;

    if (!data)
        data = &unknown;
    e = (struct capture_event){
        .socket = ctx->app,
        .af = ctx->layer->info.iAddressFamily,
        .type = ctx->layer->info.iSocketType,
        .protocol = ctx->layer->info.iProtocol,
        .direction = direction == INSPECT_SENT ? CAPTURE_SEND : CAPTURE_RECEIVE,
        .flags = data->flags,
        .error = error,
        .bytes = bytes,
        .buffers = data->bufs,
        .buffer_count = data->count,
        .remote = data->peer,
        .remote_length = data->peer_len,
        .addresses = lower_address,
        .addresses_context = ctx,
        .thread_id = data->thread_id,
        .mark = data->replaced           ? CAPTURE_REPLACED
                : data->redirected || ctx->peer_asked_len ? CAPTURE_REDIRECTED
                                         : CAPTURE_AS_SENT,
    };
    capture_record(&e);
}

void inspect_record(struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error, const struct inspect_data *data)
{
    if (capture_enabled() && direction != INSPECT_NONE)
        capture(ctx, direction, bytes, error, data);
    if (ctx->filtered && !error && data)
        filters_transferred(ctx->filtered, direction, bytes, data->bufs, data->count,
                            data->peer, data->peer_len);
    PROBE(probe_transfer(ctx, direction, bytes, error));
}

void inspect_accepted(struct context *listener, struct context *accepted)
{
    struct sockaddr_storage peer;
    int len = sizeof(peer), error;

    if (!accepted->filtered || !(filters_calls & FILTERS_HEAR_ACCEPTED))
        return;
    /* The peer as the lower socket names it; the application's own
     * storage may be absent or short, and AcceptEx's is in its buffer. */
    if (LOWER(accepted)->lpWSPGetPeerName(accepted->lower, (struct sockaddr *)&peer, &len,
                                          &error))
        len = 0;
    filters_accepted(listener->filtered, accepted->filtered,
                     len ? (struct sockaddr *)&peer : NULL, len);
}

void inspect_result(struct context *ctx, enum inspect_direction direction, int result,
                    const DWORD *bytes, int error, const struct inspect_data *data)
{
    if (result == 0 && bytes)
        inspect_record(ctx, direction, *bytes, 0, data);
    else if (result == SOCKET_ERROR && error != WSA_IO_PENDING)
        inspect_record(ctx, direction, 0, error, data);
}
