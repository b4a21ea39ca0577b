/* SPDX-License-Identifier: MIT */
/* netaddr.c: see netaddr.h. */
#include "netaddr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped_head[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* An AF_INET6 address that maps an IPv4 one becomes that IPv4 address. */
static void unmap(struct net_address *a)
{
    if (a->family == AF_INET6 && !memcmp(a->bytes, v4_mapped_head, sizeof(v4_mapped_head))) {
        memmove(a->bytes, a->bytes + 12, 4);
        memset(a->bytes + 4, 0, 12);
        a->family = AF_INET;
    }
}

BOOL net_address_of(const struct sockaddr *sa, int len, struct net_address *address,
                    unsigned short *port)
{
    memset(address, 0, sizeof(*address));
    if (sa && sa->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        address->family = AF_INET;
        memcpy(address->bytes, &in->sin_addr, 4);
        *port = ntohs(in->sin_port);
        return TRUE;
    }
    if (sa && sa->sa_family == AF_INET6 && len >= (int)sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        address->family = AF_INET6;
        memcpy(address->bytes, &in6->sin6_addr, 16);
        *port = ntohs(in6->sin6_port);
        unmap(address);
        return TRUE;
    }
    return FALSE;
}

BOOL net_sockaddr_make(const struct net_address *address, unsigned short port, int family,
                       struct sockaddr_storage *ss, int *len)
{
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET && address->family == AF_INET) {
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        memcpy(&in->sin_addr, address->bytes, 4);
        *len = sizeof(*in);
        return TRUE;
    }
    if (family != AF_INET6)
        return FALSE;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(port);
    if (address->family == AF_INET) {
        memcpy(&in6->sin6_addr, v4_mapped_head, sizeof(v4_mapped_head));
        memcpy(&in6->sin6_addr.s6_addr[12], address->bytes, 4);
    } else {
        memcpy(&in6->sin6_addr, address->bytes, 16);
    }
    *len = sizeof(*in6);
    return TRUE;
}

/* A numeric IPv4 or IPv6 address, nothing before or after it. */
static BOOL parse_address(const char *text, struct net_address *a)
{
    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, text, a->bytes) == 1)
        a->family = AF_INET;
    else if (inet_pton(AF_INET6, text, a->bytes) == 1)
        a->family = AF_INET6;
    else
        return FALSE;
    return TRUE;
}

/* Decimal digits only (no sign, no space), at most `max`. */
static BOOL parse_number(const char *text, unsigned long max, unsigned long *value)
{
    char *end;

    if (*text < '0' || *text > '9' || strlen(text) > 10)
        return FALSE;
    *value = strtoul(text, &end, 10);
    return *end == '\0' && *value <= max;
}

BOOL net_prefix_parse(const char *text, struct net_prefix *prefix)
{
    char address[INET6_ADDRSTRLEN];
    const char *slash = strchr(text, '/');
    size_t address_len = slash ? (size_t)(slash - text) : strlen(text);
    unsigned long bits;

    if (address_len >= sizeof(address))
        return FALSE;
    memcpy(address, text, address_len);
    address[address_len] = '\0';
    if (!parse_address(address, &prefix->address))
        return FALSE;
    bits = prefix->address.family == AF_INET ? 32 : 128;
    if (slash && !parse_number(slash + 1, bits, &bits))
        return FALSE;
    prefix->bits = (int)bits;
    /* ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses meet it unmapped. */
    if (prefix->bits >= 96 && prefix->address.family == AF_INET6
        && !memcmp(prefix->address.bytes, v4_mapped_head, sizeof(v4_mapped_head))) {
        unmap(&prefix->address);
        prefix->bits -= 96;
    }
    return TRUE;
}

BOOL net_prefix_contains(const struct net_prefix *prefix, const struct net_address *address)
{
    int whole = prefix->bits / 8, rest = prefix->bits % 8;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));

    if (prefix->address.family != address->family
        || memcmp(prefix->address.bytes, address->bytes, whole))
        return FALSE;
    return !rest || !((prefix->address.bytes[whole] ^ address->bytes[whole]) & mask);
}

/* "ADDRESS:PORT", the address in brackets when it is IPv6. */
static BOOL split_endpoint(const char *text, char *address, size_t address_len,
                           unsigned long *port)
{
    const char *colon, *start = text;
    size_t len;

    if (*text == '[') {
        const char *close = strchr(text, ']');
        if (!close || close[1] != ':')
            return FALSE;
        start = text + 1;
        colon = close + 1;
        len = (size_t)(close - start);
    } else {
        colon = strchr(text, ':');
        if (!colon || strchr(colon + 1, ':'))
            return FALSE;
        len = (size_t)(colon - text);
    }
    if (len >= address_len)
        return FALSE;
    memcpy(address, start, len);
    address[len] = '\0';
    return parse_number(colon + 1, 65535, port) && *port != 0;
}

BOOL net_endpoint_parse(const char *text, struct sockaddr_storage *ss, int *len)
{
    char address[INET6_ADDRSTRLEN];
    unsigned long port;
    struct net_address a;

    memset(ss, 0, sizeof(*ss));
    if (!split_endpoint(text, address, sizeof(address), &port) || !parse_address(address, &a))
        return FALSE;
    if ((*text == '[') != (a.family == AF_INET6))
        return FALSE;
    if (a.family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        in->sin_port = htons((unsigned short)port);
        memcpy(&in->sin_addr, a.bytes, 4);
        *len = sizeof(*in);
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((unsigned short)port);
        memcpy(&in6->sin6_addr, a.bytes, 16);
        *len = sizeof(*in6);
    }
    return TRUE;
}

void net_endpoint_format(const struct net_address *address, unsigned short port,
                         char *out, size_t out_len)
{
    char text[INET6_ADDRSTRLEN] = "?";

    inet_ntop(address->family, address->bytes, text, sizeof(text));
    snprintf(out, out_len, address->family == AF_INET6 ? "[%s]:%u" : "%s:%u", text, port);
}
