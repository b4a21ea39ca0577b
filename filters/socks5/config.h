/* SPDX-License-Identifier: MIT */
/* config.h: the socks5 filter's settings, read once by its open function. */
#ifndef LSPKIT_FILTERS_SOCKS5_CONFIG_H
#define LSPKIT_FILTERS_SOCKS5_CONFIG_H

#include "../shared/netaddr.h"
#include "../shared/settings.h"
#include "handshake.h"

struct socks5_config {
    struct sockaddr_storage server;     /* Server */
    int server_len;
    struct net_address server_address;  /* the same, to compare destinations with */
    unsigned short server_port;
    char *user, *password;              /* User, Password: both or neither */
    struct net_prefix *bypass;          /* Bypass */
    int bypass_count;
};

/* Every setting into `config`; FALSE when one is wrong (each problem
 * logged). The strings and the bypass list are config_free's to free. */
BOOL config_read(const struct settings *s, struct socks5_config *config);
void config_free(struct socks5_config *config);

/* Whether a connection or datagram to TO:PORT goes directly: the server
 * itself, and the Bypass prefixes. */
BOOL config_bypasses(const struct socks5_config *config, const struct net_address *to,
                     unsigned short port);

#endif
