/* SPDX-License-Identifier: MIT */
/* handshake.h: the SOCKS5 exchange that makes a redirected connection one
 * to the application's destination, over any struct lspkit_stream (the
 * unit tests give it recorded server bytes). */
#ifndef LSPKIT_FILTERS_SOCKS5_HANDSHAKE_H
#define LSPKIT_FILTERS_SOCKS5_HANDSHAKE_H

#include <lspkit/filter.h>

/* Username/password (RFC 1929); user NULL: none configured, method 0x02
 * not offered. */
struct socks5_credentials {
    const char *user, *password;
};

/* Where a handshake stopped: the step that failed, or SOCKS5_DONE. */
enum socks5_step { SOCKS5_METHOD, SOCKS5_AUTH, SOCKS5_CONNECT, SOCKS5_DONE };

/* Greeting, method, authentication when the server chose it, CONNECT to
 * `to` and its whole reply: 0, or the WSA error the application's connect
 * fails with (the stream's own, such as WSAECONNRESET when the server
 * closes first, or the server's answer's). */
int socks5_handshake(const struct socks5_credentials *credentials, const struct sockaddr *to,
                     int to_len, struct lspkit_stream *stream, enum socks5_step *step);

#endif
