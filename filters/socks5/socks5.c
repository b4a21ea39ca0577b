/* SPDX-License-Identifier: MIT */
/* socks5: sends this process's TCP connections through a SOCKS5 server
 * (RFC 1928, with RFC 1929's username/password when configured).
 * Settings, in the filter's subkey:
 *   Server    ADDRESS:PORT or [IPV6]:PORT, numeric (required)
 *   User, Password
 *             RFC 1929's credentials, 1 to 255 bytes each, both or neither;
 *             method 0x02 is offered only when they are set
 *   Bypass    ADDRESS[/PREFIX] destinations connected to directly
 *             (REG_MULTI_SZ, or REG_SZ separated by ';')
 * A setting it cannot read keeps the filter from opening, each problem
 * logged.
 *
 * Datagrams to destinations that are not bypassed go through the server's
 * UDP relay (UDP ASSOCIATE, udp.h). A server that refuses UDP ASSOCIATE
 * fails those datagrams' sends: they never leave directly. */
#include "config.h"
#include "handshake.h"
#include "socks5_proto.h"
#include "udp.h"
#include <string.h>

static const struct lspkit_host *host;
static struct socks5_config config;   /* set once by open; only read after */
static struct socks5_credentials credentials;

/* Logs `what` the first time only: a wrong setting is worth one line, not
 * one for each connection. */
static void log_once(LONG *logged, const char *what)
{
    if (!InterlockedExchange(logged, 1))
        host->log("socks5", "server refused %s: check the settings", what);
}

/* The server's address in the socket's family: an IPv6 socket reaches an
 * IPv4 server through its IPv4-mapped address (when the socket is
 * dual-stack, as one that reaches IPv4 destinations is); an IPv4 socket
 * cannot reach an IPv6 server. */
static BOOL server_for(const struct lspkit_socket *s, struct lspkit_connect *c)
{
    if (s->family != config.server.ss_family)
        return net_sockaddr_make(&config.server_address, config.server_port, s->family,
                                 &c->redirect, &c->redirect_len);
    memcpy(&c->redirect, &config.server, config.server_len);
    c->redirect_len = config.server_len;
    return TRUE;
}

static enum lspkit_verdict on_connect(struct lspkit_socket *s, struct lspkit_connect *c)
{
    static LONG family_logged;
    struct net_address to;
    unsigned short port;
    BOOL proxied = net_address_of(c->to, c->to_len, &to, &port) &&
                   !config_bypasses(&config, &to, port);

    if (s->type == SOCK_DGRAM)
        return udp_connect(s, c, proxied);
    if (s->type != SOCK_STREAM || !proxied)
        return LSPKIT_ALLOW;
    if (server_for(s, c))
        return LSPKIT_REDIRECT;
    /* Connecting directly would leak what should go through the proxy. */
    if (!InterlockedExchange(&family_logged, 1))
        host->log("socks5", "an IPv4 socket cannot reach the IPv6 Server: its connects fail");
    c->error = WSAENETUNREACH;
    return LSPKIT_DENY;
}

static int on_handshake(struct lspkit_socket *s, const struct lspkit_connect *c,
                        struct lspkit_stream *stream)
{
    static LONG method_logged, auth_logged;
    enum socks5_step step;
    const struct socks5_request connect = { SOCKS5_COMMAND_CONNECT, c->to, c->to_len };
    int error = socks5_handshake(&credentials, &connect, stream, &step, NULL);

    (void)s;
    if (error == WSAECONNREFUSED && step == SOCKS5_METHOD)
        log_once(&method_logged, credentials.user ? "the methods offered (none, User/Password)"
                                                  : "connecting without authentication");
    else if (error == WSAEACCES && step == SOCKS5_AUTH)
        log_once(&auth_logged, "the User and Password");
    return error;
}

static enum lspkit_verdict on_send(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    return s->type == SOCK_DGRAM ? udp_send(s, t) : LSPKIT_ALLOW;
}

static enum lspkit_verdict on_receive(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    return s->type == SOCK_DGRAM ? udp_receive(s, t) : LSPKIT_ALLOW;
}

static void forget_settings(void)
{
    config_free(&config);
    memset(&credentials, 0, sizeof(credentials));
}

static const struct lspkit_filter table = {
    .api_version = LSPKIT_FILTER_API_VERSION,
    .name = "socks5",
    .socket_created = udp_socket_created,
    .socket_closed = udp_socket_closed,
    .connect = on_connect,
    .handshake = on_handshake,
    .send = on_send,
    .receive = on_receive,
};

const struct lspkit_filter *WINAPI lspkit_filter_open(const struct lspkit_host *h, HKEY key)
{
    const struct settings s = { key, h, "socks5" };

    forget_settings();
    host = h;
    if (!config_read(&s, &config)) {
        h->log("socks5", "not started: its settings are wrong");
        forget_settings();
        return NULL;
    }
    credentials.user = config.user;
    credentials.password = config.password;
    udp_setup(h, &config, &credentials);
    return &table;
}
