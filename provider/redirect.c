/* SPDX-License-Identifier: MIT */
/* Redirected connects (redirect.h). The handshake talks to the lower
 * socket through a lower_stream (stream.h). */
#include <stdlib.h>
#include <string.h>
#include "lsp.h"
#include "redirect.h"
#include "stream.h"
#include "filters.h"
#include "finish.h"
#include "capture/log.h"
#include "../common/memcheck.h"

int redirect_verdict(struct context *ctx, const struct sockaddr *to, int to_len,
                     BOOL overlapped, struct connect_route *route)
{
    memset(route, 0, sizeof(*route));
    route->redirector = -1;
    /* An address the application cannot give is the lower call's to
     * refuse (WSAEFAULT), not a filter's to read. */
    if (!ctx->filtered || to_len <= 0 || !mem_readable(to, (size_t)to_len))
        return 0;
    route->connect.to = to;
    route->connect.to_len = to_len;
    route->connect.overlapped = overlapped;
    return filters_connect(ctx->filtered, &route->connect, &route->redirector);
}

/* The redirect on a stream of the lower socket: the connect, then the
 * filter's handshake (a stream socket's). 0 or the error; after an error
 * the lower connection is shut down. */
static int connect_and_greet(struct context *ctx, struct lower_stream *st,
                             const struct connect_route *route, BOOL *would_block)
{
    const struct lspkit_connect *c = &route->connect;
    int error = lower_stream_connect(st, (const struct sockaddr *)&c->redirect,
                                     c->redirect_len, would_block), ignored;

    if (!error) {
        st->deadline = GetTickCount64() + LSPKIT_HANDSHAKE_MS;
        error = filters_handshake(ctx->filtered, route->redirector, c, &st->api);
    }
    if (error) {
        LOWER(ctx)->lpWSPShutdown(ctx->lower, SD_BOTH, &ignored);
        return error;
    }
    memcpy(&ctx->peer_asked, c->to, c->to_len);
    ctx->peer_asked_len = c->to_len;
    return 0;
}

int redirect_connect(struct context *ctx, const struct connect_route *route, BOOL *would_block)
{
    struct lower_stream st;

    lower_stream_init(&st, LOWER(ctx), ctx->lower, 0, NULL);
    return connect_and_greet(ctx, &st, route, would_block);
}

/* A redirected ConnectEx under way on the pool. */
struct connectex_job {
    struct op *op;
    struct connect_route route;
    struct sockaddr_storage to;   /* the application's, copied: it need not keep it */
    const void *data;
    DWORD len;
};

static void CALLBACK run_connectex(PTP_CALLBACK_INSTANCE instance, void *arg)
{
    struct connectex_job *job = arg;
    struct context *ctx = job->op->ctx;
    struct lower_stream st;
    BOOL would_block, lent;
    int error;

    (void)instance;
    /* A blocking socket's connect to the redirect's server would wait out
     * the stack's timeout (minutes, when the server's host drops the
     * SYN), deaf to a cancel such as Go's dial deadline. The socket is
     * the pool's alone until the ConnectEx completes: it is lent
     * non-blocking mode, and given its own back before the application
     * hears. */
    lent = ctx->known_blocking &&
           lower_socket_set_non_blocking(LOWER(ctx), ctx->lower, 1) == 0;
    lower_stream_init(&st, LOWER(ctx), ctx->lower, 0, &job->op->cancelled);
    error = connect_and_greet(ctx, &st, &job->route, &would_block);
    if (!error && job->len) {
        st.deadline = GetTickCount64() + LSPKIT_HANDSHAKE_MS;
        error = st.api.send(&st.api, job->data, (int)job->len);
    }
    /* Not when the application itself made the socket non-blocking
     * meanwhile; its WSPEventSelect would also make this fail. */
    if (lent && ctx->known_blocking)
        lower_socket_set_non_blocking(LOWER(ctx), ctx->lower, 0);
    finish_own(job->op, error, error ? 0 : job->len);
    free(job);
}

int redirect_connectex(struct context *ctx, const struct connect_route *route,
                       const struct op_start *start, const void *data, DWORD len)
{
    struct connectex_job *job = malloc(sizeof(*job));
    int error = 0;

    if (!job)
        return WSAENOBUFS;
    job->route = *route;
    memcpy(&job->to, route->connect.to, route->connect.to_len);
    job->route.connect.to = (const struct sockaddr *)&job->to;
    job->data = data;
    job->len = len;
    job->op = finish_own_begin(ctx, start, &error);
    if (!job->op) {
        free(job);
        return error;
    }
    /* Once begun, the operation ends through the caller's channel, even
     * when no thread will take it. */
    if (!TrySubmitThreadpoolCallback(run_connectex, job, NULL)) {
        finish_own(job->op, WSAENOBUFS, 0);
        free(job);
    }
    return 0;
}
