/* SPDX-License-Identifier: MIT */
/* Redirected connects (redirect.h). The handshake talks to the lower
 * socket with the lower provider's own calls, each after a select, so
 * that it works the same whether the application made the socket blocking
 * or not, and keeps to its time limit either way. */
#include <stdlib.h>
#include <string.h>
#include "lsp.h"
#include "redirect.h"
#include "filters.h"
#include "finish.h"
#include "capture/log.h"
#include "../common/memcheck.h"

/* The handshake's view of the lower socket. */
struct lower_stream {
    struct lspkit_stream api;
    struct context *ctx;
    ULONGLONG deadline;           /* GetTickCount64 */
    volatile LONG *cancelled;     /* the caller's cancel of a ConnectEx, or NULL */
};

/* How often a wait that can be cancelled looks whether it was. */
#define CANCEL_POLL_MS 50

/* Waits until the lower socket can be written (or its connect failed) or
 * read: 0, WSAETIMEDOUT at the deadline, WSA_OPERATION_ABORTED once the
 * caller cancelled, or the select's error. */
static int wait_lower(const struct lower_stream *st, BOOL write)
{
    struct context *ctx = st->ctx;
    fd_set ready, failed;
    int error = 0, n = 0;

    while (n == 0) {
        ULONGLONG now = GetTickCount64();
        ULONGLONG left = st->deadline > now ? st->deadline - now : 0;
        struct timeval tv;

        if (st->cancelled && *st->cancelled)
            return WSA_OPERATION_ABORTED;
        if (left == 0)
            return WSAETIMEDOUT;
        if (st->cancelled && left > CANCEL_POLL_MS)
            left = CANCEL_POLL_MS;
        tv = (struct timeval){ (long)(left / 1000), (long)(left % 1000) * 1000 };
        FD_ZERO(&ready);
        FD_ZERO(&failed);
        FD_SET(ctx->lower, &ready);
        FD_SET(ctx->lower, &failed);
        n = LOWER(ctx)->lpWSPSelect(0, write ? NULL : &ready, write ? &ready : NULL, &failed,
                                    &tv, &error);
        if (n == SOCKET_ERROR)
            return error;
    }
    return 0;
}

static int stream_send(struct lspkit_stream *api, const void *buf, int len)
{
    struct lower_stream *st = (struct lower_stream *)api;
    int done = 0, error = 0;

    while (done < len && !error) {
        WSABUF b = { (ULONG)(len - done), (char *)buf + done };
        DWORD n = 0;

        if (!(error = wait_lower(st, TRUE)) &&
            LOWER(st->ctx)->lpWSPSend(st->ctx->lower, &b, 1, &n, 0, NULL, NULL, NULL, &error) == 0)
            done += (int)n;
        else if (error == WSAEWOULDBLOCK)
            error = 0;
    }
    return error;
}

static int stream_recv(struct lspkit_stream *api, void *buf, int len)
{
    struct lower_stream *st = (struct lower_stream *)api;
    int done = 0, error = 0;

    while (done < len && !error) {
        WSABUF b = { (ULONG)(len - done), (char *)buf + done };
        DWORD n = 0, flags = 0;

        if (!(error = wait_lower(st, FALSE)) &&
            LOWER(st->ctx)->lpWSPRecv(st->ctx->lower, &b, 1, &n, &flags, NULL, NULL, NULL,
                                      &error) == 0)
            error = n ? (done += (int)n, 0) : WSAECONNRESET;
        else if (error == WSAEWOULDBLOCK)
            error = 0;
    }
    return error;
}

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

/* Connects the lower socket to `to`, waiting for a non-blocking one. */
static int lower_connect(struct lower_stream *st, const struct sockaddr *to, int to_len,
                         BOOL *would_block)
{
    struct context *ctx = st->ctx;
    int error = 0, so_error = 0, len = sizeof(so_error);

    *would_block = FALSE;
    if (LOWER(ctx)->lpWSPConnect(ctx->lower, to, to_len, NULL, NULL, NULL, NULL, &error) == 0)
        return 0;
    if (error != WSAEWOULDBLOCK)
        return error;
    *would_block = TRUE;
    /* The stack gives up on a connect in about 21 s; so do we, a little later. */
    st->deadline = GetTickCount64() + LSPKIT_HANDSHAKE_MS;
    if ((error = wait_lower(st, TRUE)))
        return error;
    if (LOWER(ctx)->lpWSPGetSockOpt(ctx->lower, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len,
                                    &error))
        return error;
    return so_error;
}

/* The redirect on a stream of the lower socket: the connect, then the
 * filter's handshake. 0 or the error; after an error the lower connection
 * is shut down. */
static int connect_and_greet(struct lower_stream *st, const struct connect_route *route,
                             BOOL *would_block)
{
    const struct lspkit_connect *c = &route->connect;
    int error = lower_connect(st, (const struct sockaddr *)&c->redirect, c->redirect_len,
                              would_block), ignored;

    if (!error) {
        st->deadline = GetTickCount64() + LSPKIT_HANDSHAKE_MS;
        error = filters_handshake(st->ctx->filtered, route->redirector, c, &st->api);
    }
    if (error) {
        LOWER(st->ctx)->lpWSPShutdown(st->ctx->lower, SD_BOTH, &ignored);
        return error;
    }
    memcpy(&st->ctx->peer_asked, c->to, c->to_len);
    st->ctx->peer_asked_len = c->to_len;
    return 0;
}

int redirect_connect(struct context *ctx, const struct connect_route *route, BOOL *would_block)
{
    struct lower_stream st = { { stream_send, stream_recv }, ctx, 0, NULL };

    return connect_and_greet(&st, route, would_block);
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
    struct lower_stream st = { { stream_send, stream_recv }, job->op->ctx, 0,
                               &job->op->cancelled };
    BOOL would_block;
    int error;

    (void)instance;
    error = connect_and_greet(&st, &job->route, &would_block);
    if (!error && job->len) {
        st.deadline = GetTickCount64() + LSPKIT_HANDSHAKE_MS;
        error = stream_send(&st.api, job->data, (int)job->len);
    }
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
