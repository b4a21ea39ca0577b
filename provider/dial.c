/* SPDX-License-Identifier: MIT */
/* A filter's own connections (dial.h). Each is a non-blocking socket of
 * the lower provider, talked to through a lower_stream (stream.h) whose
 * calls each keep their own deadline. The open ones are on a list, for
 * the last WSPCleanup: the filter may hang up long after (a socket's
 * close can reach it then), when the lower provider is gone. */
#include <stdlib.h>
#include "lsp.h"
#include "chain.h"
#include "dial.h"
#include "stream.h"
#include "../common/memcheck.h"

struct dialed {
    struct lower_stream st;       /* first: the filter holds &st.api */
    struct dialed *prev, *next;
};

static SRWLOCK dialed_lock = SRWLOCK_INIT;
static struct dialed *dialed_list;

static void list_add(struct dialed *d)
{
    AcquireSRWLockExclusive(&dialed_lock);
    d->next = dialed_list;
    if (dialed_list)
        dialed_list->prev = d;
    dialed_list = d;
    ReleaseSRWLockExclusive(&dialed_lock);
}

static void list_remove(struct dialed *d)
{
    AcquireSRWLockExclusive(&dialed_lock);
    if (d->prev)
        d->prev->next = d->next;
    else
        dialed_list = d->next;
    if (d->next)
        d->next->prev = d->prev;
    ReleaseSRWLockExclusive(&dialed_lock);
}

/* A new non-blocking TCP socket of the provider below `layer`: its waits
 * are then the stream's, with their deadlines. */
static SOCKET new_socket(const struct layer *layer, int family, int *error)
{
    const WSPPROC_TABLE *procs = &layer->lower->procs;
    struct chain_descent descent;
    SOCKET s;
    int ignored;

    chain_descend(&descent, layer);
    s = procs->lpWSPSocket(family, SOCK_STREAM, IPPROTO_TCP, &layer->lower->info, 0, 0, error);
    chain_ascend(&descent);
    if (s == INVALID_SOCKET)
        return s;
    if ((*error = lower_socket_set_non_blocking(procs, s, 1))) {
        procs->lpWSPCloseSocket(s, &ignored);
        return INVALID_SOCKET;
    }
    return s;
}

int dial(const struct sockaddr *to, int to_len, struct lspkit_stream **stream)
{
    struct layer *layer;
    struct dialed *d;
    BOOL would_block;
    SOCKET s;
    int error, ignored;

    *stream = NULL;
    if (to_len < (int)sizeof(struct sockaddr) || !mem_readable(to, to_len))
        return WSAEFAULT;
    if ((error = chain_stream_layer(to->sa_family, &layer)))
        return error;
    if (!(d = calloc(1, sizeof(*d))))
        return WSAENOBUFS;
    if ((s = new_socket(layer, to->sa_family, &error)) == INVALID_SOCKET) {
        free(d);
        return error;
    }
    lower_stream_init(&d->st, &layer->lower->procs, s, LSPKIT_HANDSHAKE_MS, NULL);
    if ((error = lower_stream_connect(&d->st, to, to_len, &would_block))) {
        layer->lower->procs.lpWSPCloseSocket(s, &ignored);
        free(d);
        return error;
    }
    list_add(d);
    *stream = &d->st.api;
    return 0;
}

void dial_hang_up(struct lspkit_stream *stream)
{
    struct dialed *d = (struct dialed *)stream;
    int ignored;

    if (!d)
        return;
    list_remove(d);
    if (d->st.socket != INVALID_SOCKET)
        d->st.procs->lpWSPCloseSocket(d->st.socket, &ignored);
    free(d);
}

void dial_close_all(void)
{
    int ignored;

    AcquireSRWLockExclusive(&dialed_lock);
    for (struct dialed *d = dialed_list; d; d = d->next) {
        d->st.procs->lpWSPCloseSocket(d->st.socket, &ignored);
        d->st.socket = INVALID_SOCKET;
    }
    ReleaseSRWLockExclusive(&dialed_lock);
}
