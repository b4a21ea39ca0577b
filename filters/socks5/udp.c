/* SPDX-License-Identifier: MIT */
/* udp.c: see udp.h. */
#include "udp.h"
#include "socks5_proto.h"
#include <stdlib.h>
#include <string.h>

struct socks5_udp {
    SRWLOCK lock;                 /* guards the fields below */
    struct lspkit_stream *control;      /* the association's connection; NULL: none yet */
    struct sockaddr_storage relay;      /* where datagrams go, in the socket's family */
    int relay_len;
    struct net_address relay_address;   /* the same, to know what comes from it */
    unsigned short relay_port;
    struct sockaddr_storage peer;       /* a connected socket's destination */
    int peer_len;                       /* 0: not connected through the relay */
};

/* The largest datagram, with the header: a proxied datagram's bytes are
 * put together in a buffer of the thread's (a verdict's replacement is
 * read only until the call returns), made on first use and freed when
 * the thread ends (a fiber-local slot's callback). */
#define DATAGRAM_MAX 65535
#define SCRATCH_SIZE (SOCKS5_UDP_HEADER_MAX + DATAGRAM_MAX)
static DWORD scratch_slot = FLS_OUT_OF_INDEXES;

static const struct lspkit_host *host;
static const struct socks5_config *config;
static const struct socks5_credentials *credentials;

static void WINAPI free_scratch(void *buffer)
{
    free(buffer);
}

/* The calling thread's buffer, or NULL when there is no memory for it. */
static unsigned char *scratch(void)
{
    unsigned char *buffer;

    if (scratch_slot == FLS_OUT_OF_INDEXES)
        return NULL;
    buffer = FlsGetValue(scratch_slot);
    if (!buffer && (buffer = malloc(SCRATCH_SIZE)) && !FlsSetValue(scratch_slot, buffer)) {
        free(buffer);
        buffer = NULL;
    }
    return buffer;
}

void udp_setup(const struct lspkit_host *h, const struct socks5_config *c,
               const struct socks5_credentials *k)
{
    host = h;
    config = c;
    credentials = k;
    if (scratch_slot == FLS_OUT_OF_INDEXES)
        scratch_slot = FlsAlloc(free_scratch);
}

void udp_socket_created(struct lspkit_socket *s)
{
    struct socks5_udp *u;

    if (s->type != SOCK_DGRAM || (s->family != AF_INET && s->family != AF_INET6))
        return;
    if ((u = calloc(1, sizeof(*u))))
        InitializeSRWLock(&u->lock);
    s->state = u;
}

void udp_socket_closed(struct lspkit_socket *s)
{
    struct socks5_udp *u = s->state;

    if (!u)
        return;
    if (u->control)
        host->hang_up(u->control);
    free(u);
    s->state = NULL;
}

static void log_failure(int error, enum socks5_step step)
{
    static const char *const during[] = {
        [SOCKS5_METHOD] = "connecting to the server or choosing a method",
        [SOCKS5_AUTH] = "authenticating",
        [SOCKS5_REQUEST] = "its request (a server may not offer UDP ASSOCIATE)",
        [SOCKS5_DONE] = "the relay's address, which this socket cannot reach",
    };
    static LONG logged;

    if (!InterlockedExchange(&logged, 1))
        host->log("socks5", "UDP ASSOCIATE failed with error %d, at %s: datagrams to proxied "
                  "destinations fail", error, during[step]);
}

/* The server's relay for UDP ASSOCIATE's reply: BND.ADDR, or the server's
 * own address when the reply gives none (0.0.0.0 or ::), as servers that
 * relay on the address they were reached at do. */
static void relay_address(struct net_address *bound)
{
    static const unsigned char zeros[16];

    if (!memcmp(bound->bytes, zeros, sizeof(zeros)))
        *bound = config->server_address;
}

/* Makes the association, once: the caller holds u->lock exclusively.
 * 0, or the WSA error the datagram fails with. */
static int associate(struct socks5_udp *u, int family)
{
    /* From wherever the client sends: its socket may not be bound yet. */
    static const struct sockaddr_in anywhere = { .sin_family = AF_INET };
    const struct socks5_request request = { SOCKS5_COMMAND_UDP_ASSOCIATE,
                                            (const struct sockaddr *)&anywhere,
                                            sizeof(anywhere) };
    struct lspkit_stream *control = NULL;
    enum socks5_step step = SOCKS5_METHOD;
    struct socks5_bound bound;
    int error;

    if (u->control)
        return 0;
    if (host->api_version < 2 || !host->dial)
        return WSAEOPNOTSUPP;
    error = host->dial((const struct sockaddr *)&config->server, config->server_len, &control);
    if (!error)
        error = socks5_handshake(credentials, &request, control, &step, &bound);
    if (!error) {
        relay_address(&bound.address);
        if (!net_sockaddr_make(&bound.address, bound.port, family, &u->relay, &u->relay_len))
            error = WSAENETUNREACH;
    }
    if (error) {
        if (control)
            host->hang_up(control);
        log_failure(error, step);
        return error;
    }
    u->relay_address = bound.address;
    u->relay_port = bound.port;
    u->control = control;
    return 0;
}

/* The association of a socket that has none yet is made here, which
 * waits: 0, or the WSA error. */
static int associated(struct lspkit_socket *s, struct socks5_udp *u)
{
    BOOL made;
    int error;

    AcquireSRWLockShared(&u->lock);
    made = u->control != NULL;
    ReleaseSRWLockShared(&u->lock);
    if (made)
        return 0;
    AcquireSRWLockExclusive(&u->lock);
    error = associate(u, s->family);
    ReleaseSRWLockExclusive(&u->lock);
    return error;
}

static enum lspkit_verdict deny(int *verdict_error, int error)
{
    *verdict_error = error;
    return LSPKIT_DENY;
}

enum lspkit_verdict udp_connect(struct lspkit_socket *s, struct lspkit_connect *c,
                                BOOL proxied)
{
    struct socks5_udp *u = s->state;
    int error;

    if (!u)     /* no state: nothing can be proxied, and nothing may leak */
        return proxied ? deny(&c->error, WSAENOBUFS) : LSPKIT_ALLOW;
    if (proxied && (error = associated(s, u)))
        return deny(&c->error, error);
    AcquireSRWLockExclusive(&u->lock);
    u->peer_len = proxied && c->to_len <= (int)sizeof(u->peer) ? c->to_len : 0;
    if (u->peer_len) {
        memcpy(&u->peer, c->to, c->to_len);
        memcpy(&c->redirect, &u->relay, u->relay_len);
        c->redirect_len = u->relay_len;
    }
    ReleaseSRWLockExclusive(&u->lock);
    return u->peer_len ? LSPKIT_REDIRECT : LSPKIT_ALLOW;
}

/* Whether a datagram to `to` goes through the proxy. */
static BOOL proxied(const struct sockaddr *to, int to_len)
{
    struct net_address address;
    unsigned short port;

    return net_address_of(to, to_len, &address, &port) &&
           !config_bypasses(config, &address, port);
}

/* The application's bytes into `buffer`, after `header_len` bytes. */
static void gather(const struct lspkit_transfer *t, unsigned char *buffer, int header_len)
{
    unsigned char *at = buffer + header_len;
    DWORD left = t->bytes;

    for (DWORD i = 0; i < t->count && left; i++) {
        DWORD piece = t->bufs[i].len < left ? t->bufs[i].len : left;

        memcpy(at, t->bufs[i].buf, piece);
        at += piece;
        left -= piece;
    }
}

enum lspkit_verdict udp_send(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    struct socks5_udp *u = s->state;
    struct sockaddr_storage connected;
    const struct sockaddr *to = t->peer;
    int to_len = t->peer_len, header_len, error;
    unsigned char *buffer;

    if (!to) {                  /* send on a connected socket */
        if (!u)
            return LSPKIT_ALLOW;
        AcquireSRWLockShared(&u->lock);
        memcpy(&connected, &u->peer, sizeof(connected));
        to_len = u->peer_len;
        ReleaseSRWLockShared(&u->lock);
        if (!to_len)
            return LSPKIT_ALLOW;
        to = (const struct sockaddr *)&connected;
    } else if (!proxied(to, to_len)) {
        return LSPKIT_ALLOW;
    } else if (!u) {
        return deny(&t->error, WSAENOBUFS);
    } else if ((error = associated(s, u))) {
        return deny(&t->error, error);
    }
    if (t->bytes > DATAGRAM_MAX)
        return deny(&t->error, WSAEMSGSIZE);
    if (!(buffer = scratch()))
        return deny(&t->error, WSAENOBUFS);
    header_len = socks5_udp_header(to, to_len, buffer);
    if (!header_len)
        return deny(&t->error, WSAEAFNOSUPPORT);
    gather(t, buffer, header_len);
    t->replacement = buffer;
    t->replacement_len = (DWORD)header_len + t->bytes;
    if (!t->peer)               /* the socket is connected to the relay */
        return LSPKIT_REPLACE;
    AcquireSRWLockShared(&u->lock);
    memcpy(&t->redirect, &u->relay, u->relay_len);
    t->redirect_len = u->relay_len;
    ReleaseSRWLockShared(&u->lock);
    return LSPKIT_REDIRECT;
}

/* Whether a received datagram is the relay's: its source is the relay, or
 * (recv, which names no source) the socket is connected to it. */
static BOOL from_relay(const struct socks5_udp *u, const struct lspkit_transfer *t)
{
    struct net_address from;
    unsigned short port;

    if (!t->peer)
        return u->peer_len != 0;
    return net_address_of(t->peer, t->peer_len, &from, &port) && port == u->relay_port &&
           from.family == u->relay_address.family &&
           !memcmp(from.bytes, u->relay_address.bytes, sizeof(from.bytes));
}

enum lspkit_verdict udp_receive(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    static LONG logged;
    struct socks5_udp *u = s->state;
    const unsigned char *datagram;
    unsigned char *buffer;
    struct net_address source;
    unsigned short port;
    BOOL relayed;
    int header_len;

    if (!u)
        return LSPKIT_ALLOW;
    AcquireSRWLockShared(&u->lock);
    relayed = u->control && from_relay(u, t);
    ReleaseSRWLockShared(&u->lock);
    if (!relayed)
        return LSPKIT_ALLOW;
    if (t->count == 1) {
        datagram = (const unsigned char *)t->bufs[0].buf;
    } else if (t->bytes <= SCRATCH_SIZE && (buffer = scratch())) {
        gather(t, buffer, 0);
        datagram = buffer;
    } else {
        return deny(&t->error, WSAENOBUFS);
    }
    header_len = socks5_udp_parse(datagram, t->bytes, &source, &port);
    if (header_len < 0 || !net_sockaddr_make(&source, port, s->family, &t->redirect,
                                             &t->redirect_len)) {
        if (!InterlockedExchange(&logged, 1))
            host->log("socks5", "the relay sent a datagram that is not a whole SOCKS5 one "
                                "from an address this socket can name: its receive fails");
        return deny(&t->error, SOCKS5_PROTOCOL_ERROR);
    }
    t->replacement = datagram + header_len;
    t->replacement_len = t->bytes - (DWORD)header_len;
    return LSPKIT_REDIRECT;
}
