/* SPDX-License-Identifier: MIT */
/* The tests' filter (probe_filter.h). */
#include <lspkit/filter.h>
#include <string.h>
#include "probe_filter.h"

/* Sockets the totals are kept for: enough for one test at a time. */
#define SLOTS 64

struct slot {
    SOCKET s;
    ULONGLONG sent, received;
};

static struct slot slots[SLOTS];
static volatile LONG created, closed, accepted;
static volatile LONG deny_port, from_port, to_port;

__declspec(dllexport) void probe_filter_policy(USHORT deny, USHORT from, USHORT to)
{
    InterlockedExchange(&deny_port, deny);
    InterlockedExchange(&from_port, from);
    InterlockedExchange(&to_port, to);
}

__declspec(dllexport) BOOL probe_filter_totals(SOCKET s, ULONGLONG *sent, ULONGLONG *received)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].s == s) {
            *sent = slots[i].sent;
            *received = slots[i].received;
            return TRUE;
        }
    return FALSE;
}

__declspec(dllexport) void probe_filter_events(LONG *made, LONG *gone, LONG *taken)
{
    *made = created;
    *gone = closed;
    *taken = accepted;
}

static USHORT port_of(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)a)->sin_port);
    return a->sa_family == AF_INET6 ? ntohs(((const struct sockaddr_in6 *)a)->sin6_port) : 0;
}

static void socket_created(struct lspkit_socket *s)
{
    InterlockedIncrement(&created);
    /* A slot of its own, reused once its last socket is closed. */
    for (int i = 0; i < SLOTS; i++)
        if (InterlockedCompareExchangePointer((void **)&slots[i].s, (void *)s->handle, NULL) ==
            NULL) {
            slots[i].sent = slots[i].received = 0;
            s->state = &slots[i];
            return;
        }
}

static void socket_closed(struct lspkit_socket *s)
{
    struct slot *slot = s->state;

    InterlockedIncrement(&closed);
    if (slot)
        InterlockedExchangePointer((void **)&slot->s, NULL);
}

static void on_accepted(struct lspkit_socket *l, struct lspkit_socket *s,
                        const struct sockaddr *peer, int peer_len)
{
    /* The peer may not be known yet (AcceptEx, before the socket's
     * context is updated): only the event is counted. */
    (void)l, (void)s, (void)peer, (void)peer_len;
    InterlockedIncrement(&accepted);
}

static enum lspkit_verdict on_connect(struct lspkit_socket *s, struct lspkit_connect *c)
{
    USHORT port = port_of(c->to);

    (void)s;
    if (port && port == deny_port)
        return LSPKIT_DENY;
    if (!port || port != from_port || c->to_len > (int)sizeof(c->redirect))
        return LSPKIT_ALLOW;
    memcpy(&c->redirect, c->to, c->to_len);
    c->redirect_len = c->to_len;
    if (c->to->sa_family == AF_INET)
        ((struct sockaddr_in *)&c->redirect)->sin_port = htons((USHORT)to_port);
    else
        ((struct sockaddr_in6 *)&c->redirect)->sin6_port = htons((USHORT)to_port);
    return LSPKIT_REDIRECT;
}

static int handshake(struct lspkit_socket *s, const struct lspkit_connect *c,
                     struct lspkit_stream *stream)
{
    char answer[sizeof(PROBE_ACCEPT) - 1];
    int error;

    (void)s, (void)c;
    error = stream->send(stream, PROBE_GREETING, sizeof(PROBE_GREETING) - 1);
    if (!error)
        error = stream->recv(stream, answer, sizeof(answer));
    if (!error && memcmp(answer, PROBE_ACCEPT, sizeof(answer)))
        error = WSAECONNREFUSED;
    return error;
}

static enum lspkit_verdict on_send(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    (void)s;
    if (t->peer && port_of(t->peer) == deny_port)
        return LSPKIT_DENY;
    if (t->count && t->bufs[0].len >= sizeof(PROBE_REWRITE_ME) - 1 &&
        !memcmp(t->bufs[0].buf, PROBE_REWRITE_ME, sizeof(PROBE_REWRITE_ME) - 1)) {
        t->replacement = PROBE_REWRITTEN;
        t->replacement_len = sizeof(PROBE_REWRITTEN) - 1;
        return LSPKIT_REPLACE;
    }
    return LSPKIT_ALLOW;
}

static BOOL starts_with(const struct lspkit_transfer *t, const char *text)
{
    size_t len = strlen(text);

    return t->count && t->bytes >= len && t->bufs[0].len >= len &&
           !memcmp(t->bufs[0].buf, text, len);
}

static enum lspkit_verdict on_receive(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    static char big[4096];

    (void)s;
    if (starts_with(t, PROBE_SWAP_ME)) {
        t->replacement = PROBE_SWAPPED;
        t->replacement_len = sizeof(PROBE_SWAPPED) - 1;
        return LSPKIT_REPLACE;
    }
    if (starts_with(t, PROBE_GROW_ME)) {
        t->replacement = big;
        t->replacement_len = sizeof(big);
        return LSPKIT_REPLACE;
    }
    if (starts_with(t, PROBE_DROP_ME)) {
        t->error = WSAECONNABORTED;
        return LSPKIT_DENY;
    }
    return LSPKIT_ALLOW;
}

static void transferred(struct lspkit_socket *s, enum lspkit_direction direction,
                        const struct lspkit_transfer *t)
{
    struct slot *slot = s->state;

    if (slot)
        InterlockedExchangeAdd64((LONG64 *)(direction == LSPKIT_SENT ? &slot->sent
                                                                     : &slot->received),
                                 t->bytes);
}

static const struct lspkit_filter probe = {
    .api_version = LSPKIT_FILTER_API_VERSION,
    .name = "probe",
    .socket_created = socket_created,
    .socket_closed = socket_closed,
    .connect = on_connect,
    .handshake = handshake,
    .accepted = on_accepted,
    .send = on_send,
    .receive = on_receive,
    .transferred = transferred,
};

const struct lspkit_filter *WINAPI lspkit_filter_open(const struct lspkit_host *host, HKEY key)
{
    (void)host, (void)key;
    return &probe;
}
