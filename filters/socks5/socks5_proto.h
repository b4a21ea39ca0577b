/* SPDX-License-Identifier: MIT */
/* socks5_proto.h: the SOCKS5 messages (RFC 1928) and the username/password
 * sub-negotiation (RFC 1929), built and read by pure functions (no socket,
 * no registry), so that the filter's unit tests run them as they are.
 * What a server says that is not SOCKS5 fails the connect with
 * SOCKS5_PROTOCOL_ERROR. */
#ifndef LSPKIT_FILTERS_SOCKS5_PROTO_H
#define LSPKIT_FILTERS_SOCKS5_PROTO_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include "../shared/netaddr.h"

#define SOCKS5_VERSION          0x05
#define SOCKS5_METHOD_NONE      0x00
#define SOCKS5_METHOD_USERPASS  0x02
#define SOCKS5_METHOD_REFUSED   0xff
#define SOCKS5_USERPASS_VERSION 0x01
#define SOCKS5_COMMAND_CONNECT  0x01
#define SOCKS5_COMMAND_UDP_ASSOCIATE 0x03
#define SOCKS5_ATYP_IPV4        0x01
#define SOCKS5_ATYP_DOMAIN      0x03
#define SOCKS5_ATYP_IPV6        0x04

#define SOCKS5_PROTOCOL_ERROR   WSAECONNABORTED

/* The longest of each message. */
#define SOCKS5_GREETING_MAX        4                  /* VER NMETHODS 0x00 0x02 */
#define SOCKS5_CREDENTIAL_MAX      255
#define SOCKS5_AUTH_REQUEST_MAX    (3 + 2 * SOCKS5_CREDENTIAL_MAX)
#define SOCKS5_REQUEST_MAX         (4 + 16 + 2)
#define SOCKS5_UDP_HEADER_MAX      (4 + 16 + 2)       /* RSV RSV FRAG ATYP ADDR PORT */
#define SOCKS5_REPLY_HEAD          4                  /* VER REP RSV ATYP */
#define SOCKS5_REPLY_MAX           (SOCKS5_REPLY_HEAD + 1 + 255 + 2)

/* The greeting: method 0x00 (no authentication), and 0x02
 * (username/password) too when `offer_userpass`. Its length. */
int socks5_greeting(BOOL offer_userpass, unsigned char out[SOCKS5_GREETING_MAX]);

/* The server's choice, VER METHOD: 0 with the method (one that was
 * offered), WSAECONNREFUSED when it accepts none (0xFF), or
 * SOCKS5_PROTOCOL_ERROR. */
int socks5_method_parse(const unsigned char reply[2], BOOL offered_userpass, int *method);

/* RFC 1929's request: VER ULEN UNAME PLEN PASSWD. Its length, or 0 when
 * the user or password is not 1 to 255 bytes. */
int socks5_auth_request(const char *user, const char *password,
                        unsigned char out[SOCKS5_AUTH_REQUEST_MAX]);

/* RFC 1929's reply, VER STATUS: 0, WSAEACCES when STATUS is not 0, or
 * SOCKS5_PROTOCOL_ERROR. */
int socks5_auth_reply_parse(const unsigned char reply[2]);

/* A request, CONNECT or UDP ASSOCIATE, for an IPv4 or IPv6 sockaddr
 * (IPv4-mapped IPv6 as IPv4): VER CMD RSV ATYP DST.ADDR DST.PORT. Its
 * length, or 0 for any other address. */
int socks5_request(unsigned char command, const struct sockaddr *to, int to_len,
                   unsigned char out[SOCKS5_REQUEST_MAX]);

/* The length of the whole reply whose first `have` (>= SOCKS5_REPLY_HEAD)
 * bytes are `reply`, BND.ADDR and BND.PORT included: 0 when one more byte
 * must be read to know it (a domain name's length), -1 when it is not a
 * SOCKS5 reply (version, address type). */
int socks5_reply_length(const unsigned char *reply, int have);

/* A reply's REP as the error the application's connect fails with: 0 for
 * success. */
int socks5_reply_error(unsigned char rep);

/* A whole reply's BND.ADDR and BND.PORT (a UDP ASSOCIATE's relay): FALSE
 * when it names a domain, which a relay's address cannot be used as. */
BOOL socks5_reply_bound(const unsigned char *reply, int len, struct net_address *address,
                        unsigned short *port);

/* RFC 1928 section 7: the header a datagram to `to` is sent to the relay
 * with, RSV RSV FRAG ATYP DST.ADDR DST.PORT (FRAG 0: no fragments). Its
 * length, or 0 for an address that is neither IPv4 nor IPv6. */
int socks5_udp_header(const struct sockaddr *to, int to_len,
                      unsigned char out[SOCKS5_UDP_HEADER_MAX]);

/* The header of a datagram the relay delivered, of `len` bytes: the
 * header's length with the datagram's source, or -1 when it is not one
 * the client can take - too short, a fragment (FRAG not 0, which this
 * client does not reassemble), or a domain or unknown address type. */
int socks5_udp_parse(const unsigned char *datagram, DWORD len, struct net_address *from,
                     unsigned short *port);

#endif
