/* SPDX-License-Identifier: MIT */
/* firewall.h: what the firewall's files share: its settings, read once
 * by its open function (firewall.c), and the calls of its table. */
#ifndef LSPKIT_FILTERS_FIREWALL_H
#define LSPKIT_FILTERS_FIREWALL_H

#include <lspkit/filter.h>
#include "rules.h"

struct firewall {
    const struct lspkit_host *host;
    struct fw_rule *rules;        /* owned here, freed by the table's close */
    int rule_count;
    enum fw_action fallback;      /* the Default setting: no rule matched */
    char process[MAX_PATH * 3];   /* this process's image name, UTF-8 */
};

/* Set once, before the table is handed out; only read after. */
extern struct firewall firewall;

/* verdicts.c */
enum lspkit_verdict firewall_connect(struct lspkit_socket *s, struct lspkit_connect *c);
enum lspkit_verdict firewall_send(struct lspkit_socket *s, struct lspkit_transfer *t);
void firewall_accepted(struct lspkit_socket *l, struct lspkit_socket *s,
                       const struct sockaddr *peer, int peer_len);
void firewall_transferred(struct lspkit_socket *s, enum lspkit_direction direction,
                          const struct lspkit_transfer *t);

#endif
