/* SPDX-License-Identifier: MIT */
/* Asking the filters, in order (filters.h). */
#include <stdlib.h>
#include <string.h>
#include "filters.h"

struct lspkit_socket *filters_socket_created(SOCKET app, int family, int type, int protocol)
{
    LONG count = filters_count;
    struct lspkit_socket *views;

    if (!count || !(views = calloc(count, sizeof(*views))))
        return NULL;
    for (LONG i = 0; i < count; i++) {
        views[i] = (struct lspkit_socket){ app, family, type, protocol, NULL };
        if (filters_table[i]->socket_created)
            filters_table[i]->socket_created(&views[i]);
    }
    return views;
}

void filters_socket_closed(struct lspkit_socket *views)
{
    if (!views)
        return;
    for (LONG i = 0; i < filters_count; i++)
        if (filters_table[i]->socket_closed)
            filters_table[i]->socket_closed(&views[i]);
    free(views);
}

void filters_accepted(struct lspkit_socket *listener, struct lspkit_socket *views,
                      const struct sockaddr *peer, int peer_len)
{
    if (!listener || !views)
        return;
    for (LONG i = 0; i < filters_count; i++)
        if (filters_table[i]->accepted)
            filters_table[i]->accepted(&listener[i], &views[i], peer, peer_len);
}

/* A denial's error: the filter's, or WSAEACCES when it named none. */
static int denial(int error)
{
    return error ? error : WSAEACCES;
}

int filters_connect(struct lspkit_socket *views, struct lspkit_connect *c, int *redirector)
{
    *redirector = -1;
    if (!views)
        return 0;
    for (LONG i = 0; i < filters_count; i++) {
        enum lspkit_verdict verdict;

        if (!filters_table[i]->connect)
            continue;
        c->error = 0;
        c->redirect_len = 0;
        verdict = filters_table[i]->connect(&views[i], c);
        if (verdict == LSPKIT_DENY)
            return denial(c->error);
        /* A redirect to nowhere, or of a socket that is neither a stream
         * nor a datagram one, cannot be kept: the connect fails rather
         * than go where the filter said it must not. */
        if (verdict == LSPKIT_REDIRECT) {
            if ((views[i].type != SOCK_STREAM && views[i].type != SOCK_DGRAM) ||
                c->redirect_len <= 0 ||
                c->redirect_len > (int)sizeof(c->redirect))
                return WSAEINVAL;
            *redirector = (int)i;
            return 0;
        }
        if (verdict != LSPKIT_ALLOW)
            return WSAEINVAL;
    }
    return 0;
}

int filters_handshake(struct lspkit_socket *views, int redirector, const struct lspkit_connect *c,
                      struct lspkit_stream *stream)
{
    const struct lspkit_filter *filter = filters_table[redirector];

    if (!filter->handshake || views[redirector].type != SOCK_STREAM)
        return 0;
    return filter->handshake(&views[redirector], c, stream);
}

/* A copy of a replacement, which the filter may reuse once it returned.
 * With a redirect the replacement is optional: none leaves *replacement
 * NULL. */
static int copy_replacement(const struct lspkit_transfer *t, BOOL optional, void **replacement,
                            DWORD *len)
{
    if (!t->replacement && t->replacement_len)
        return WSAEINVAL;
    if (!t->replacement && optional)
        return 0;
    *replacement = malloc(t->replacement_len ? t->replacement_len : 1);
    if (!*replacement)
        return WSAENOBUFS;
    memcpy(*replacement, t->replacement, t->replacement_len);
    *len = t->replacement_len;
    return 0;
}

/* A datagram's redirect that can be kept: of a datagram socket, to an
 * address that fits. */
static BOOL redirect_kept(const struct lspkit_socket *view, const struct lspkit_transfer *t)
{
    return view->type == SOCK_DGRAM && t->redirect_len > 0 &&
           t->redirect_len <= (int)sizeof(t->redirect);
}

/* A transfer's verdict from the filters in order, through each one's
 * `send` or `receive` call: see filters_send. */
static int judge(struct lspkit_socket *views, struct lspkit_transfer *t, BOOL receive,
                 void **replacement, DWORD *replacement_len)
{
    *replacement = NULL;
    if (!views)
        return 0;
    for (LONG i = 0; i < filters_count; i++) {
        enum lspkit_verdict (*call)(struct lspkit_socket *, struct lspkit_transfer *) =
            receive ? filters_table[i]->receive : filters_table[i]->send;
        enum lspkit_verdict verdict;

        if (!call)
            continue;
        t->error = 0;
        t->replacement = NULL;
        t->replacement_len = 0;
        t->redirect_len = 0;
        verdict = call(&views[i], t);
        if (verdict == LSPKIT_DENY)
            return denial(t->error);
        if (verdict == LSPKIT_REPLACE) {
            t->redirect_len = 0;
            return copy_replacement(t, FALSE, replacement, replacement_len);
        }
        if (verdict == LSPKIT_REDIRECT)
            return redirect_kept(&views[i], t)
                       ? copy_replacement(t, TRUE, replacement, replacement_len)
                       : WSAEINVAL;
        if (verdict != LSPKIT_ALLOW)
            return WSAEINVAL;
    }
    t->redirect_len = 0;
    return 0;
}

int filters_send(struct lspkit_socket *views, struct lspkit_transfer *t, void **replacement,
                 DWORD *replacement_len)
{
    return judge(views, t, FALSE, replacement, replacement_len);
}

int filters_receive(struct lspkit_socket *views, struct lspkit_transfer *t, void **replacement,
                    DWORD *replacement_len)
{
    return judge(views, t, TRUE, replacement, replacement_len);
}

void filters_transferred(struct lspkit_socket *views, enum inspect_direction direction,
                         DWORD bytes, const WSABUF *bufs, DWORD count,
                         const struct sockaddr *peer, int peer_len)
{
    struct lspkit_transfer t = { .bufs = bufs, .count = count, .bytes = bytes, .peer = peer,
                                 .peer_len = peer_len };
    enum lspkit_direction way = direction == INSPECT_SENT ? LSPKIT_SENT : LSPKIT_RECEIVED;

    if (!views || direction == INSPECT_NONE)
        return;
    for (LONG i = 0; i < filters_count; i++)
        if (filters_table[i]->transferred)
            filters_table[i]->transferred(&views[i], way, &t);
}
