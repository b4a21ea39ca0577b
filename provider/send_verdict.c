/* SPDX-License-Identifier: MIT */
/* The filters' verdict on a send (send_verdict.h). */
#include <stdlib.h>
#include "lsp.h"
#include "send_verdict.h"
#include "filters.h"
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
    struct lspkit_transfer t = { bufs, count, 0, to, to_len, 0, NULL, 0 };
    int error;

    r->bytes = NULL;
    if (!ctx->filtered || !total_bytes(bufs, count, &t.bytes))
        return 0;
    error = filters_send(ctx->filtered, &t, &r->bytes, &r->len);
    r->asked = t.bytes;
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
