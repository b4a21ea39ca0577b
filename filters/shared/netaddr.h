/* SPDX-License-Identifier: MIT */
/* netaddr.h: the addresses the filters' settings name and the sockets'
 * addresses they are held to, as pure functions (no socket, no registry),
 * so that the filters' unit tests run them as they are. */
#ifndef LSPKIT_FILTERS_NETADDR_H
#define LSPKIT_FILTERS_NETADDR_H

#include <winsock2.h>
#include <ws2tcpip.h>

/* An IPv4 or IPv6 address. An IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is held as the IPv4 address it maps, so that it meets IPv4 settings. */
struct net_address {
    int family;                   /* AF_INET or AF_INET6 */
    unsigned char bytes[16];      /* AF_INET: the first 4 */
};

/* ADDRESS[/BITS]: the addresses whose first BITS bits are ADDRESS's. */
struct net_prefix {
    struct net_address address;
    int bits;
};

/* The address and port of an AF_INET or AF_INET6 sockaddr of `len` bytes;
 * FALSE for any other. */
BOOL net_address_of(const struct sockaddr *sa, int len, struct net_address *address,
                    unsigned short *port);

/* ADDRESS:PORT as a sockaddr of `family` in `ss`, its size in `len`: an
 * IPv4 address for an AF_INET6 socket as its IPv4-mapped address (which a
 * dual-stack socket reaches). FALSE when an AF_INET socket cannot hold it
 * (an IPv6 address) or `family` is neither. */
BOOL net_sockaddr_make(const struct net_address *address, unsigned short port, int family,
                       struct sockaddr_storage *ss, int *len);

/* "192.0.2.1", "10.0.0.0/8", "2001:db8::/32", "::ffff:10.0.0.0/104" (an
 * IPv4 prefix): numeric only. FALSE for anything else. */
BOOL net_prefix_parse(const char *text, struct net_prefix *prefix);
BOOL net_prefix_contains(const struct net_prefix *prefix, const struct net_address *address);

/* "192.0.2.1:1080" or "[2001:db8::1]:1080" (numeric, port 1-65535) as a
 * sockaddr_in or sockaddr_in6 in `ss`, its size in `len`. */
BOOL net_endpoint_parse(const char *text, struct sockaddr_storage *ss, int *len);

/* "192.0.2.1:80" or "[2001:db8::1]:80", for the log. */
void net_endpoint_format(const struct net_address *address, unsigned short port,
                         char *out, size_t out_len);

#endif
