/* SPDX-License-Identifier: MIT */
/* socks5_proto.c: see socks5_proto.h. */
#include "socks5_proto.h"
#include "../shared/netaddr.h"
#include <string.h>

int socks5_greeting(BOOL offer_userpass, unsigned char out[SOCKS5_GREETING_MAX])
{
    int len = 2;

    out[0] = SOCKS5_VERSION;
    out[len++] = SOCKS5_METHOD_NONE;
    if (offer_userpass)
        out[len++] = SOCKS5_METHOD_USERPASS;
    out[1] = (unsigned char)(len - 2);
    return len;
}

int socks5_method_parse(const unsigned char reply[2], BOOL offered_userpass, int *method)
{
    *method = reply[1];
    if (reply[0] != SOCKS5_VERSION)
        return SOCKS5_PROTOCOL_ERROR;
    if (reply[1] == SOCKS5_METHOD_REFUSED)
        return WSAECONNREFUSED;
    if (reply[1] == SOCKS5_METHOD_NONE || (reply[1] == SOCKS5_METHOD_USERPASS && offered_userpass))
        return 0;
    return SOCKS5_PROTOCOL_ERROR;   /* a method it was not offered */
}

/* One length-prefixed field; FALSE when it is empty or too long. */
static BOOL put_counted(const char *text, unsigned char *out, int *len)
{
    size_t n = strlen(text);

    if (n == 0 || n > SOCKS5_CREDENTIAL_MAX)
        return FALSE;
    out[(*len)++] = (unsigned char)n;
    memcpy(out + *len, text, n);
    *len += (int)n;
    return TRUE;
}

int socks5_auth_request(const char *user, const char *password,
                        unsigned char out[SOCKS5_AUTH_REQUEST_MAX])
{
    int len = 0;

    out[len++] = SOCKS5_USERPASS_VERSION;
    if (!put_counted(user, out, &len) || !put_counted(password, out, &len))
        return 0;
    return len;
}

int socks5_auth_reply_parse(const unsigned char reply[2])
{
    if (reply[0] != SOCKS5_USERPASS_VERSION)
        return SOCKS5_PROTOCOL_ERROR;
    return reply[1] ? WSAEACCES : 0;
}

/* ATYP ADDR PORT of `to` at out[3]: the whole length, from out[0]; 0 for
 * an address that is neither IPv4 nor IPv6. Requests and datagram headers
 * both end so, after three bytes of their own. */
static int put_address(const struct sockaddr *to, int to_len, unsigned char *out)
{
    struct net_address address;
    unsigned short port;
    int len = 4, address_len;

    if (!net_address_of(to, to_len, &address, &port))
        return 0;
    address_len = address.family == AF_INET ? 4 : 16;
    out[3] = address.family == AF_INET ? SOCKS5_ATYP_IPV4 : SOCKS5_ATYP_IPV6;
    memcpy(out + len, address.bytes, address_len);
    len += address_len;
    out[len++] = (unsigned char)(port >> 8);
    out[len++] = (unsigned char)port;
    return len;
}

/* The ATYP ADDR PORT at in[3] (`len` bytes in all): the whole length,
 * from in[0], or -1 when it is cut short or not IPv4 or IPv6. */
static int read_address(const unsigned char *in, DWORD len, struct net_address *address,
                        unsigned short *port)
{
    int address_len = in[3] == SOCKS5_ATYP_IPV4 ? 4 : in[3] == SOCKS5_ATYP_IPV6 ? 16 : 0;

    if (!address_len || len < (DWORD)(4 + address_len + 2))
        return -1;
    memset(address, 0, sizeof(*address));
    address->family = address_len == 4 ? AF_INET : AF_INET6;
    memcpy(address->bytes, in + 4, address_len);
    *port = (unsigned short)(in[4 + address_len] << 8 | in[4 + address_len + 1]);
    return 4 + address_len + 2;
}

int socks5_request(unsigned char command, const struct sockaddr *to, int to_len,
                   unsigned char out[SOCKS5_REQUEST_MAX])
{
    out[0] = SOCKS5_VERSION;
    out[1] = command;
    out[2] = 0;
    return put_address(to, to_len, out);
}

int socks5_udp_header(const struct sockaddr *to, int to_len,
                      unsigned char out[SOCKS5_UDP_HEADER_MAX])
{
    out[0] = out[1] = 0;        /* RSV */
    out[2] = 0;                 /* FRAG: a whole datagram */
    return put_address(to, to_len, out);
}

int socks5_udp_parse(const unsigned char *datagram, DWORD len, struct net_address *from,
                     unsigned short *port)
{
    if (len < 4 || datagram[2] != 0)
        return -1;
    return read_address(datagram, len, from, port);
}

BOOL socks5_reply_bound(const unsigned char *reply, int len, struct net_address *address,
                        unsigned short *port)
{
    return len >= 4 && read_address(reply, (DWORD)len, address, port) == len;
}

int socks5_reply_length(const unsigned char *reply, int have)
{
    if (reply[0] != SOCKS5_VERSION)
        return -1;
    switch (reply[3]) {
    case SOCKS5_ATYP_IPV4:
        return SOCKS5_REPLY_HEAD + 4 + 2;
    case SOCKS5_ATYP_IPV6:
        return SOCKS5_REPLY_HEAD + 16 + 2;
    case SOCKS5_ATYP_DOMAIN:
        return have > SOCKS5_REPLY_HEAD ? SOCKS5_REPLY_HEAD + 1 + reply[SOCKS5_REPLY_HEAD] + 2 : 0;
    default:
        return -1;
    }
}

/* RFC 1928 section 6's REP. General failure (1), command not supported
 * (7), address type not supported (8) and unassigned values have no
 * Winsock error of their own: the attempt was aborted. */
int socks5_reply_error(unsigned char rep)
{
    switch (rep) {
    case 0: return 0;
    case 2: return WSAEACCES;
    case 3: return WSAENETUNREACH;
    case 4: return WSAEHOSTUNREACH;
    case 5: return WSAECONNREFUSED;
    case 6: return WSAETIMEDOUT;
    default: return WSAECONNABORTED;
    }
}
