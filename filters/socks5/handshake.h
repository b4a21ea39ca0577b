/* SPDX-License-Identifier: MIT */
/* handshake.h: the SOCKS5 exchange that makes a redirected connection one
 * to the application's destination, over any struct lspkit_stream (the
 * unit tests give it recorded server bytes). */
#ifndef LSPKIT_FILTERS_SOCKS5_HANDSHAKE_H
#define LSPKIT_FILTERS_SOCKS5_HANDSHAKE_H

#include <lspkit/filter.h>
#include "../shared/netaddr.h"

/* Username/password (RFC 1929); user NULL: none configured, method 0x02
 * not offered. */
struct socks5_credentials {
    const char *user, *password;
};

/* Where a handshake stopped: the step that failed, or SOCKS5_DONE. */
enum socks5_step { SOCKS5_METHOD, SOCKS5_AUTH, SOCKS5_REQUEST, SOCKS5_DONE };

/* What the handshake asks for: CONNECT to `to`, or UDP ASSOCIATE for
 * datagrams from `to` (0.0.0.0:0: from wherever the client sends). */
struct socks5_request {
    unsigned char command;        /* SOCKS5_COMMAND_* */
    const struct sockaddr *to;
    int to_len;
};

/* The reply's BND.ADDR and BND.PORT: a UDP ASSOCIATE's relay. */
struct socks5_bound {
    struct net_address address;
    unsigned short port;
};

/* Greeting, method, authentication when the server chose it, the request
 * and its whole reply: 0 (with the reply's address in `bound`, when not
 * NULL), or the WSA error the application's call fails with (the
 * stream's own, such as WSAECONNRESET when the server closes first, or
 * the server's answer's). */
int socks5_handshake(const struct socks5_credentials *credentials,
                     const struct socks5_request *r, struct lspkit_stream *stream,
                     enum socks5_step *step, struct socks5_bound *bound);

#endif
