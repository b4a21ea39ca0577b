/* SPDX-License-Identifier: MIT */
/* WSPSelect (L07): the caller's sets are translated to the lower sockets,
 * the lower provider selects on those, and the answer is translated back.
 * Every socket must be one of ours (else WSAENOTSOCK) and all must share
 * one lower provider, since one WSPSelect serves them (else WSAEINVAL). */
#include <stddef.h>
#include <stdlib.h>
#include "lsp.h"
#include "context.h"
#include "../common/memcheck.h"

struct select_call {
    fd_set *caller[3];            /* read, write, except: the caller's sets */
    fd_set *lower[3];             /* the same sets of lower sockets */
    struct context **ctxs;        /* every socket of the caller's sets, in order */
    u_int count;                  /* how many of ctxs are referenced */
    const WSPPROC_TABLE *procs;   /* the lower provider that runs the select */
};

static size_t set_bytes(u_int count)
{
    return offsetof(fd_set, fd_array) + (count ? count : 1) * sizeof(SOCKET);
}

static u_int caller_count(const fd_set *set)
{
    return set ? set->fd_count : 0;
}

/* The caller's sets must be wholly readable and writable (the answer is
 * written into them). */
static int check_sets(const struct select_call *call)
{
    int i;

    for (i = 0; i < 3; i++) {
        if (!call->caller[i])
            continue;
        if (!mem_writable(call->caller[i], offsetof(fd_set, fd_array)) ||
            !mem_writable(call->caller[i], set_bytes(call->caller[i]->fd_count)))
            return WSAEFAULT;
    }
    return 0;
}

static int translate(struct select_call *call)
{
    u_int total = 0, j;
    int i, error = 0;

    for (i = 0; i < 3; i++)
        total += caller_count(call->caller[i]);
    if (!total)
        return WSAEINVAL;
    call->ctxs = calloc(total, sizeof(*call->ctxs));
    if (!call->ctxs)
        return WSAENOBUFS;
    for (i = 0; i < 3; i++) {
        if (!call->caller[i])
            continue;
        call->lower[i] = malloc(set_bytes(call->caller[i]->fd_count));
        if (!call->lower[i])
            return WSAENOBUFS;
        call->lower[i]->fd_count = call->caller[i]->fd_count;
        for (j = 0; j < call->caller[i]->fd_count; j++) {
            struct context *ctx = context_get(call->caller[i]->fd_array[j], &error);
            if (!ctx)
                return error;
            call->ctxs[call->count++] = ctx;
            if (!call->procs)
                call->procs = LOWER(ctx);
            else if (LOWER(ctx)->lpWSPSelect != call->procs->lpWSPSelect)
                return WSAEINVAL;
            call->lower[i]->fd_array[j] = ctx->lower;
        }
    }
    return 0;
}

static BOOL in_set(const fd_set *set, SOCKET s)
{
    u_int i;

    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s)
            return TRUE;
    return FALSE;
}

/* Keeps, in each caller set, the sockets whose lower socket the lower
 * provider left in its set. */
static void translate_back(struct select_call *call)
{
    u_int next = 0, kept, j;
    int i;

    for (i = 0; i < 3; i++) {
        if (!call->caller[i])
            continue;
        kept = 0;
        for (j = 0; j < call->caller[i]->fd_count; j++, next++)
            if (in_set(call->lower[i], call->ctxs[next]->lower))
                call->caller[i]->fd_array[kept++] = call->caller[i]->fd_array[j];
        call->caller[i]->fd_count = kept;
    }
}

int WSPAPI WSPSelect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                     const PTIMEVAL timeout, LPINT lpErrno)
{
    struct select_call call = { { readfds, writefds, exceptfds }, { NULL, NULL, NULL }, NULL, 0,
                                NULL };
    int error = check_sets(&call), result = SOCKET_ERROR, i;
    u_int j;

    if (!error)
        error = translate(&call);
    if (error)
        *lpErrno = error;
    else
        result = call.procs->lpWSPSelect(nfds, call.lower[0], call.lower[1], call.lower[2],
                                         timeout, lpErrno);
    if (result != SOCKET_ERROR)
        translate_back(&call);
    for (j = 0; j < call.count; j++)
        context_release(call.ctxs[j]);
    for (i = 0; i < 3; i++)
        free(call.lower[i]);
    free(call.ctxs);
    return result;
}
