/* SPDX-License-Identifier: MIT */
/* sockstate.c: see sockstate.h. */
#include "sockstate.h"
#include <stdlib.h>
#include <string.h>

/* A socket that meets more far ends than this (a scanner, say) logs the
 * first ones and a line saying the rest go unlogged. */
#define LOGGED_MAX 32

struct fw_socket {
    SRWLOCK lock;                 /* one socket's calls may come on many threads */
    BOOL connected;
    struct fw_far_end peer;
    int logged_count;
    struct fw_far_end logged[LOGGED_MAX];
};

void firewall_socket_created(struct lspkit_socket *s)
{
    struct fw_socket *state = calloc(1, sizeof(*state));

    if (state)
        InitializeSRWLock(&state->lock);
    s->state = state;
}

void firewall_socket_closed(struct lspkit_socket *s)
{
    free(s->state);
    s->state = NULL;
}

void fw_socket_set_peer(struct lspkit_socket *s, const struct fw_far_end *peer)
{
    struct fw_socket *state = s->state;

    if (!state)
        return;
    AcquireSRWLockExclusive(&state->lock);
    state->connected = peer != NULL;
    if (peer)
        state->peer = *peer;
    ReleaseSRWLockExclusive(&state->lock);
}

BOOL fw_socket_peer(struct lspkit_socket *s, struct fw_far_end *peer)
{
    struct fw_socket *state = s->state;
    BOOL connected;

    if (!state)
        return FALSE;
    AcquireSRWLockShared(&state->lock);
    connected = state->connected;
    *peer = state->peer;
    ReleaseSRWLockShared(&state->lock);
    return connected;
}

static BOOL same_far_end(const struct fw_far_end *a, const struct fw_far_end *b)
{
    return a->direction == b->direction && a->port == b->port
           && a->address.family == b->address.family
           && !memcmp(a->address.bytes, b->address.bytes, sizeof(a->address.bytes));
}

enum fw_log_once fw_socket_first_denial(struct lspkit_socket *s, const struct fw_far_end *far_end)
{
    struct fw_socket *state = s->state;
    enum fw_log_once verdict = FW_ALREADY_LOGGED;
    int i;

    if (!state)
        return FW_LOG;
    AcquireSRWLockExclusive(&state->lock);
    for (i = 0; i < state->logged_count && !same_far_end(&state->logged[i], far_end); i++)
        ;
    if (i == state->logged_count && i < LOGGED_MAX) {
        state->logged[state->logged_count++] = *far_end;
        verdict = state->logged_count == LOGGED_MAX ? FW_LOG_LAST : FW_LOG;
    }
    ReleaseSRWLockExclusive(&state->lock);
    return verdict;
}
