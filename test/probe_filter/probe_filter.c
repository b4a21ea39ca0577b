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
static const struct lspkit_host *host;
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

__declspec(dllexport) int probe_filter_dial(const struct sockaddr *to, int to_len,
                                            const char *say, char *answer, int answer_len)
{
    struct lspkit_stream *stream;
    int error = host->dial(to, to_len, &stream);

    if (error)
        return error;
    error = stream->send(stream, say, (int)strlen(say));
    if (!error)
        error = stream->recv(stream, answer, answer_len);
    host->hang_up(stream);
    return error;
}

static USHORT port_of(const struct sockaddr *a)
{
    if (a->sa_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)a)->sin_port);
    return a->sa_family == AF_INET6 ? ntohs(((const struct sockaddr_in6 *)a)->sin6_port) : 0;
}

/* `a` (of `len` bytes) at port PORT, in `out`. */
static void at_port(const struct sockaddr *a, int len, USHORT port,
                    struct sockaddr_storage *out, int *out_len)
{
    memcpy(out, a, len);
    *out_len = len;
    if (a->sa_family == AF_INET)
        ((struct sockaddr_in *)out)->sin_port = htons(port);
    else
        ((struct sockaddr_in6 *)out)->sin6_port = htons(port);
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
    at_port(c->to, c->to_len, (USHORT)to_port, &c->redirect, &c->redirect_len);
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

static BOOL starts_with(const struct lspkit_transfer *t, const char *text)
{
    size_t len = strlen(text);

    return t->count && t->bytes >= len && t->bufs[0].len >= len &&
           !memcmp(t->bufs[0].buf, text, len);
}

/* A datagram to port FROM: to port TO, with the relay's head. */
static enum lspkit_verdict relay_datagram(struct lspkit_transfer *t)
{
    static __thread char relayed[sizeof(PROBE_RELAY_HEAD) - 1 + 1024];
    DWORD head = sizeof(PROBE_RELAY_HEAD) - 1;

    at_port(t->peer, t->peer_len, (USHORT)to_port, &t->redirect, &t->redirect_len);
    if (starts_with(t, PROBE_AS_IS))
        return LSPKIT_REDIRECT;
    if (t->count != 1 || t->bytes > sizeof(relayed) - head)
        return LSPKIT_DENY;
    memcpy(relayed, PROBE_RELAY_HEAD, head);
    memcpy(relayed + head, t->bufs[0].buf, t->bytes);
    t->replacement = relayed;
    t->replacement_len = head + t->bytes;
    return LSPKIT_REDIRECT;
}

static enum lspkit_verdict on_send(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    if (t->peer && port_of(t->peer) == deny_port)
        return LSPKIT_DENY;
    if (s->type == SOCK_DGRAM && t->peer && from_port && port_of(t->peer) == from_port)
        return relay_datagram(t);
    if (t->count && t->bufs[0].len >= sizeof(PROBE_REWRITE_ME) - 1 &&
        !memcmp(t->bufs[0].buf, PROBE_REWRITE_ME, sizeof(PROBE_REWRITE_ME) - 1)) {
        t->replacement = PROBE_REWRITTEN;
        t->replacement_len = sizeof(PROBE_REWRITTEN) - 1;
        return LSPKIT_REPLACE;
    }
    return LSPKIT_ALLOW;
}

static enum lspkit_verdict on_receive(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    static char big[4096];
    DWORD head = sizeof(PROBE_RELAY_HEAD) - 1;

    if (s->type == SOCK_DGRAM && t->peer && to_port && port_of(t->peer) == to_port &&
        starts_with(t, PROBE_RELAY_HEAD)) {
        at_port(t->peer, t->peer_len, (USHORT)from_port, &t->redirect, &t->redirect_len);
        t->replacement = t->bufs[0].buf + head;
        t->replacement_len = t->bytes - head;
        return LSPKIT_REDIRECT;
    }
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

const struct lspkit_filter *WINAPI lspkit_filter_open(const struct lspkit_host *h, HKEY key)
{
    (void)key;
    host = h;
    return &probe;
}
