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
 * Out of scope in this version: UDP ASSOCIATE. Datagram sockets are left
 * as the application made them, neither proxied nor blocked. */
#include "config.h"
#include "handshake.h"
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

static BOOL bypassed(const struct net_address *to, unsigned short port)
{
    /* The server itself is reached directly, or nothing ever would be. */
    if (port == config.server_port
        && to->family == config.server_address.family
        && !memcmp(to->bytes, config.server_address.bytes, sizeof(to->bytes)))
        return TRUE;
    for (int i = 0; i < config.bypass_count; i++)
        if (net_prefix_contains(&config.bypass[i], to))
            return TRUE;
    return FALSE;
}

/* The server's address in the socket's family: an IPv6 socket reaches an
 * IPv4 server through its IPv4-mapped address (when the socket is
 * dual-stack, as one that reaches IPv4 destinations is); an IPv4 socket
 * cannot reach an IPv6 server. */
static BOOL server_for(const struct lspkit_socket *s, struct lspkit_connect *c)
{
    struct sockaddr_in6 *mapped = (struct sockaddr_in6 *)&c->redirect;
    const struct sockaddr_in *server = (const struct sockaddr_in *)&config.server;

    if (s->family == config.server.ss_family) {
        memcpy(&c->redirect, &config.server, config.server_len);
        c->redirect_len = config.server_len;
        return TRUE;
    }
    if (s->family != AF_INET6)
        return FALSE;
    memset(mapped, 0, sizeof(*mapped));
    mapped->sin6_family = AF_INET6;
    mapped->sin6_port = server->sin_port;
    mapped->sin6_addr.s6_addr[10] = mapped->sin6_addr.s6_addr[11] = 0xff;
    memcpy(&mapped->sin6_addr.s6_addr[12], &server->sin_addr, 4);
    c->redirect_len = sizeof(*mapped);
    return TRUE;
}

static enum lspkit_verdict on_connect(struct lspkit_socket *s, struct lspkit_connect *c)
{
    static LONG family_logged;
    struct net_address to;
    unsigned short port;

    if (s->type != SOCK_STREAM || !net_address_of(c->to, c->to_len, &to, &port)
        || bypassed(&to, port))
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
    int error = socks5_handshake(&credentials, c->to, c->to_len, stream, &step);

    (void)s;
    if (error == WSAECONNREFUSED && step == SOCKS5_METHOD)
        log_once(&method_logged, credentials.user ? "the methods offered (none, User/Password)"
                                                  : "connecting without authentication");
    else if (error == WSAEACCES && step == SOCKS5_AUTH)
        log_once(&auth_logged, "the User and Password");
    return error;
}

static void forget_settings(void)
{
    config_free(&config);
    memset(&credentials, 0, sizeof(credentials));
}

static const struct lspkit_filter table = {
    .api_version = LSPKIT_FILTER_API_VERSION,
    .name = "socks5",
    .connect = on_connect,
    .handshake = on_handshake,
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
    return &table;
}
