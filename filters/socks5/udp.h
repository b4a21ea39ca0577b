/* SPDX-License-Identifier: MIT */
/* udp.h: datagrams through the SOCKS5 server (RFC 1928's UDP ASSOCIATE).
 * A datagram socket's first proxied datagram, or its connect to a proxied
 * destination, makes an association: a control connection to the server
 * (lspkit's dial), kept until the socket closes, and the relay the server
 * names. Each datagram then goes to the relay with a header naming its
 * destination, and each one from the relay is given to the application
 * without the header, as from the source the header names. */
#ifndef LSPKIT_FILTERS_SOCKS5_UDP_H
#define LSPKIT_FILTERS_SOCKS5_UDP_H

#include "config.h"

/* What the association is made with: set once by the filter's open. */
void udp_setup(const struct lspkit_host *host, const struct socks5_config *config,
               const struct socks5_credentials *credentials);

/* A datagram socket's state (s->state), made and freed with the socket:
 * the association ends when the socket closes. */
void udp_socket_created(struct lspkit_socket *s);
void udp_socket_closed(struct lspkit_socket *s);

/* A datagram socket's connect: to a proxied destination it is redirected
 * to the relay (the association made first, which waits), and its sends
 * and receives then carry the header; to any other it goes directly. */
enum lspkit_verdict udp_connect(struct lspkit_socket *s, struct lspkit_connect *c,
                                BOOL proxied);

/* A datagram to a proxied destination, or on a socket connected through
 * the relay: to the relay, with its header. */
enum lspkit_verdict udp_send(struct lspkit_socket *s, struct lspkit_transfer *t);

/* A datagram from the relay: its header taken off, its source the one the
 * header names. A datagram the relay sent that is not one the client can
 * take (a fragment, a domain source) fails the receive with
 * SOCKS5_PROTOCOL_ERROR. */
enum lspkit_verdict udp_receive(struct lspkit_socket *s, struct lspkit_transfer *t);

#endif
