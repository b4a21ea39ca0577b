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

int send_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, const struct sockaddr *to,
                 int to_len, struct send_replacement *r)
{
    struct lspkit_transfer t = { bufs, count, 0, to, to_len, 0, NULL, 0, 0 };
    int error;

    r->bytes = NULL;
    if (!ctx->filtered || !(filters_calls & FILTERS_JUDGE_SENDS) ||
        !total_bytes(bufs, count, &t.bytes))
        return 0;
    error = filters_send(ctx->filtered, &t, &r->bytes, &r->len);
    r->asked = t.bytes;
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

int recv_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, DWORD *bytes,
                 const struct sockaddr *peer, int peer_len, BOOL *replaced)
{
    struct lspkit_transfer t = { bufs, count, *bytes, peer, peer_len, 0, NULL, 0, 0 };
    void *replacement;
    DWORD len;
    int error;

    *replaced = FALSE;
    if (!ctx->filtered || !(filters_calls & FILTERS_JUDGE_RECEIVES) || !*bytes ||
        !total_bytes(bufs, count, &t.capacity))
        return 0;
    error = filters_receive(ctx->filtered, &t, &replacement, &len);
    if (error || !replacement)
        return error;
    if (len > t.capacity) {
        /* Cut short it would lose bytes in silence: the receive fails. */
        log_line("filter: a receive's replacement of %lu bytes does not fit the %lu the "
                 "application gave; the receive fails with WSAENOBUFS", len, t.capacity);
        error = WSAENOBUFS;
    } else {
        scatter(bufs, replacement, len);
        *bytes = len;
        *replaced = TRUE;
    }
    free(replacement);
    return error;
}

int send_replaced_now(struct context *ctx, struct send_replacement *r, DWORD flags,
                      const struct sockaddr *to, int to_len, LPDWORD sent)
{
    WSABUF one = { r->len, r->bytes };
    DWORD went = 0;
    int error = 0, result;

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
