/* SPDX-License-Identifier: MIT */
/* The filters' verdicts on sends and receives (verdict.h). */
#include <stdlib.h>
#include <string.h>
#include "lsp.h"
#include "verdict.h"
#include "filters.h"
#include "capture/log.h"
#include "../common/memcheck.h"

/* The bytes the application asked to send; FALSE when its array cannot be
 * read (the lower call then says so: WSAEFAULT). */
static BOOL total_bytes(const WSABUF *bufs, DWORD count, DWORD *total)
{
    ULONGLONG sum = 0;

    if (!mem_readable(bufs, (size_t)count * sizeof(*bufs)))
        return FALSE;
    for (DWORD i = 0; i < count; i++)
        sum += bufs[i].len;
    *total = sum > MAXDWORD ? MAXDWORD : (DWORD)sum;
    return TRUE;
}

/* The caller's own bytes, gathered: what a datagram redirected without a
 * replacement carries. 0, WSAEFAULT when a buffer cannot be read, or
 * WSAENOBUFS. */
static int gather(const WSABUF *bufs, DWORD count, DWORD total, void **out)
{
    BYTE *bytes = malloc(total ? total : 1), *at = bytes;

    if (!bytes)
        return WSAENOBUFS;
    for (DWORD i = 0; i < count; i++) {
        if (!mem_readable(bufs[i].buf, bufs[i].len)) {
            free(bytes);
            return WSAEFAULT;
        }
        memcpy(at, bufs[i].buf, bufs[i].len);
        at += bufs[i].len;
    }
    *out = bytes;
    return 0;
}

int send_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, const struct sockaddr *to,
                 int to_len, struct send_replacement *r)
{
    struct lspkit_transfer t = { .bufs = bufs, .count = count, .peer = to, .peer_len = to_len };
    int error;

    memset(r, 0, sizeof(*r));
    if (!ctx->filtered || !(filters_calls & FILTERS_JUDGE_SENDS) ||
        !total_bytes(bufs, count, &t.bytes))
        return 0;
    error = filters_send(ctx->filtered, &t, &r->bytes, &r->len);
    r->asked = t.bytes;
    r->replaced = r->bytes != NULL;
    if (error || !t.redirect_len)
        return error;
    memcpy(&r->to, &t.redirect, t.redirect_len);
    r->to_len = t.redirect_len;
    if (!r->bytes && (error = gather(bufs, count, t.bytes, &r->bytes)) == 0)
        r->len = t.bytes;
    return error;
}

/* Writes LEN bytes across the caller's buffers, which hold at least that. */
static void scatter(const WSABUF *bufs, const BYTE *bytes, DWORD len)
{
    for (DWORD i = 0; len; i++) {
        DWORD piece = bufs[i].len < len ? bufs[i].len : len;

        memcpy(bufs[i].buf, bytes, piece);
        bytes += piece;
        len -= piece;
    }
}

BOOL recv_verdict_wants_source(const struct context *ctx)
{
    return ctx->filtered && (filters_calls & FILTERS_JUDGE_RECEIVES);
}

/* Tells the caller the source a filter gave a datagram: 0, or WSAEFAULT
 * when the caller's storage is too small for it, as the stack would say. */
static int rewrite_source(const struct recv_source *source, const struct lspkit_transfer *t)
{
    if (!source || !source->from || !source->from_len)
        return 0;
    if (t->redirect_len > source->room)
        return WSAEFAULT;
    memcpy(source->from, &t->redirect, t->redirect_len);
    *source->from_len = t->redirect_len;
    return 0;
}

/* Puts a replacement in the caller's buffers: 0, or WSAENOBUFS when it
 * does not fit - cut short it would lose bytes in silence. */
static int deliver(const struct lspkit_transfer *t, const void *replacement, DWORD len,
                   DWORD *bytes)
{
    if (len > t->capacity) {
        log_line("filter: a receive's replacement of %lu bytes does not fit the %lu the "
                 "application gave; the receive fails with WSAENOBUFS", len, t->capacity);
        return WSAENOBUFS;
    }
    scatter(t->bufs, replacement, len);
    *bytes = len;
    return 0;
}

int recv_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, DWORD *bytes,
                 const struct recv_source *source, struct recv_change *changed)
{
    struct lspkit_transfer t = { .bufs = bufs, .count = count, .bytes = *bytes };
    void *replacement;
    DWORD len;
    int error;

    memset(changed, 0, sizeof(*changed));
    if (!recv_verdict_wants_source(ctx) || !*bytes || !total_bytes(bufs, count, &t.capacity))
        return 0;
    if (source && source->from && source->from_len) {
        t.peer = source->from;
        t.peer_len = *source->from_len;
    }
    error = filters_receive(ctx->filtered, &t, &replacement, &len);
    if (error)
        return error;
    if (t.redirect_len && !(error = rewrite_source(source, &t)))
        changed->redirected = TRUE;
    if (replacement && !error && !(error = deliver(&t, replacement, len, bytes)))
        changed->replaced = TRUE;
    free(replacement);
    return error;
}

int send_replaced_now(struct context *ctx, struct send_replacement *r, DWORD flags,
                      const struct sockaddr *to, int to_len, LPDWORD sent)
{
    WSABUF one = { r->len, r->bytes };
    DWORD went = 0;
    int error = 0, result;

    to = send_destination(r, to, &to_len);
    result = to ? LOWER(ctx)->lpWSPSendTo(ctx->lower, &one, 1, &went, flags, to, to_len, NULL,
                                          NULL, NULL, &error)
                : LOWER(ctx)->lpWSPSend(ctx->lower, &one, 1, &went, flags, NULL, NULL, NULL,
                                        &error);
    if (!result)
        *sent = send_replaced_count(r, went);
    free(r->bytes);
    r->bytes = NULL;
    return result ? error : 0;
}
