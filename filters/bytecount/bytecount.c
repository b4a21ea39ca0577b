/* SPDX-License-Identifier: MIT */
/* bytecount: what Microsoft's LSP sample does - count each socket's bytes
 * and log them when it closes - as an lspkit filter (docs/filters.md). */
#include <lspkit/filter.h>
#include <stdlib.h>

struct counts {
    ULONGLONG sent, received;
};

static const struct lspkit_host *host;

static void created(struct lspkit_socket *s)
{
    s->state = calloc(1, sizeof(struct counts));
}

static void transferred(struct lspkit_socket *s, enum lspkit_direction direction,
                        const struct lspkit_transfer *t)
{
    struct counts *c = s->state;

    /* A socket's transfers may end on several threads at once. */
    if (c)
        InterlockedExchangeAdd64((LONG64 *)(direction == LSPKIT_SENT ? &c->sent : &c->received),
                                 t->bytes);
}

static void closed(struct lspkit_socket *s)
{
    struct counts *c = s->state;

    if (c && (c->sent || c->received))
        host->log("bytecount", "socket %llu: %llu bytes sent, %llu received",
                  (unsigned long long)s->handle, c->sent, c->received);
    free(c);
}

static const struct lspkit_filter bytecount = {
    .api_version = LSPKIT_FILTER_API_VERSION,
    .name = "bytecount",
    .socket_created = created,
    .transferred = transferred,
    .socket_closed = closed,
};

const struct lspkit_filter *WINAPI lspkit_filter_open(const struct lspkit_host *h, HKEY settings)
{
    (void)settings;
    host = h;
    return &bytecount;
}
