/* SPDX-License-Identifier: MIT */
/* The filters' verdict on a send (send_verdict.h). */
#include <stdlib.h>
#include "lsp.h"
#include "send_verdict.h"
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

/* Sends the replacement in the application's place. The application is
 * told its own count when all of the replacement went, else what went,
 * at most its own count: a stack that took part of it took part of the
 * message, and the application must not think it all gone. */
static int send_replacement(struct context *ctx, void *bytes, DWORD len, DWORD flags,
                            const struct sockaddr *to, int to_len, DWORD asked, LPDWORD sent)
{
    WSABUF one = { len, bytes };
    DWORD went = 0;
    int error = 0, result;

    result = to ? LOWER(ctx)->lpWSPSendTo(ctx->lower, &one, 1, &went, flags, to, to_len, NULL,
                                          NULL, NULL, &error)
                : LOWER(ctx)->lpWSPSend(ctx->lower, &one, 1, &went, flags, NULL, NULL, NULL,
                                        &error);
    if (result)
        return error;
    *sent = went == len ? asked : went < asked ? went : asked;
    return 0;
}

int send_verdict(struct context *ctx, const WSABUF *bufs, DWORD count, DWORD flags,
                 const struct sockaddr *to, int to_len, BOOL overlapped, LPDWORD sent,
                 BOOL *done)
{
    struct lspkit_transfer t = { bufs, count, 0, to, to_len, 0, NULL, 0 };
    void *replacement;
    DWORD len;
    int error;

    *done = FALSE;
    if (!ctx->filtered || !total_bytes(bufs, count, &t.bytes))
        return 0;
    error = filters_send(ctx->filtered, &t, &replacement, &len);
    if (error || !replacement)
        return error;
    if (overlapped) {
        log_line("filter: an overlapped send cannot be replaced in this version; it fails");
        error = WSAEOPNOTSUPP;
    } else if (!(error = send_replacement(ctx, replacement, len, flags, to, to_len, t.bytes,
                                          sent))) {
        *done = TRUE;
    }
    free(replacement);
    return error;
}
