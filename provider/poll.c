/* SPDX-License-Identifier: MIT */
/* WSAPoll through the provider (SIO_EXT_POLL, after our SIO_BSP_HANDLE_POLL
 * answer named our socket). Our sockets in the array become their lower
 * sockets, any other handle stays as it is (it may be a socket the layers
 * below know), and the lower provider of the first of ours polls the
 * translated array. */
#include <stdlib.h>
#include <string.h>
#include "poll.h"
#include "../common/memcheck.h"

/* The array's contexts, one per entry (NULL: not ours), all referenced. */
static struct context **find_contexts(const WSAPOLLDATA *data, int *error)
{
    struct context **ctxs = calloc(data->fds ? data->fds : 1, sizeof(*ctxs));
    int ignored;
    ULONG i;

    if (!ctxs) {
        *error = WSAENOBUFS;
        return NULL;
    }
    for (i = 0; i < data->fds; i++)
        if (data->fdArray[i].fd != INVALID_SOCKET)
            ctxs[i] = context_get(data->fdArray[i].fd, &ignored);
    return ctxs;
}

static void release_contexts(struct context **ctxs, ULONG count)
{
    ULONG i;

    for (i = 0; i < count; i++)
        if (ctxs[i])
            context_release(ctxs[i]);
    free(ctxs);
}

/* Polls the copy `below` (size bytes) through the lower provider of the
 * first of ours; sets below->result. Returns 0 or the error. */
static int poll_below(struct context **ctxs, WSAPOLLDATA *below, DWORD size,
                      LPWSATHREADID thread)
{
    struct context *first = NULL;
    DWORD returned;
    int error = 0;
    ULONG i;

    for (i = 0; i < below->fds; i++) {
        if (!ctxs[i])
            continue;
        below->fdArray[i].fd = ctxs[i]->lower;
        if (!first)
            first = ctxs[i];
    }
    if (!first)
        return WSAENOTSOCK;
    return LOWER(first)->lpWSPIoctl(first->lower, SIO_EXT_POLL, below, size, below, size,
                                    &returned, NULL, NULL, thread, &error) ? error : 0;
}

int poll_through(WSAPOLLDATA *data, DWORD in_size, DWORD out_size, LPDWORD returned,
                 LPWSATHREADID thread)
{
    struct context **ctxs;
    WSAPOLLDATA *below;
    int error = 0;
    DWORD size;
    ULONG i;

    if (!data || in_size < sizeof(*data) || !mem_writable(data, in_size) ||
        data->fds > (in_size - sizeof(*data)) / sizeof(WSAPOLLFD) || out_size < in_size)
        return WSAEFAULT;
    size = sizeof(*data) + data->fds * sizeof(WSAPOLLFD);
    below = malloc(size);
    ctxs = below ? find_contexts(data, &error) : NULL;
    if (!below || !ctxs) {
        free(below);
        return error ? error : WSAENOBUFS;
    }
    memcpy(below, data, size);
    error = poll_below(ctxs, below, size, thread);
    data->result = below->result;
    if (!error) {
        for (i = 0; i < data->fds; i++)
            data->fdArray[i].revents = below->fdArray[i].revents;
        if (returned)
            *returned = size;
    }
    release_contexts(ctxs, data->fds);
    free(below);
    return error;
}
