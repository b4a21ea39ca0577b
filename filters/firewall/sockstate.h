/* SPDX-License-Identifier: MIT */
/* sockstate.h: what the firewall keeps for each socket: where a connected
 * datagram socket sends, and the far ends it has already logged, so that
 * a looping sender gives one line for each, not one for each datagram. */
#ifndef LSPKIT_FILTERS_FIREWALL_SOCKSTATE_H
#define LSPKIT_FILTERS_FIREWALL_SOCKSTATE_H

#include <lspkit/filter.h>
#include "rules.h"

/* The far end of a connection or datagram, and which way it goes. */
struct fw_far_end {
    enum fw_direction direction;
    struct net_address address;
    unsigned short port;
};

/* The table's socket_created and socket_closed. */
void firewall_socket_created(struct lspkit_socket *s);
void firewall_socket_closed(struct lspkit_socket *s);

/* A datagram socket's connect destination, or none (FALSE: forget it). */
void fw_socket_set_peer(struct lspkit_socket *s, const struct fw_far_end *peer);
BOOL fw_socket_peer(struct lspkit_socket *s, struct fw_far_end *peer);

/* Whether `far_end`'s denial is the socket's first for it, the one to
 * log. A socket without state (its allocation failed) logs every one. */
enum fw_log_once { FW_LOG, FW_LOG_LAST, FW_ALREADY_LOGGED };
enum fw_log_once fw_socket_first_denial(struct lspkit_socket *s, const struct fw_far_end *far_end);

#endif
