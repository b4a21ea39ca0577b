/* SPDX-License-Identifier: MIT */
/* verdicts.c: the firewall's answers. Outgoing traffic (a connect of any
 * kind, a datagram sent) is held to the rules and may be denied; incoming
 * traffic (an accepted connection, a datagram received) can only be
 * logged, since API v1 reports it after the fact. */
#include "firewall.h"
#include "sockstate.h"
#include <stdio.h>

/* The protocol the rules name for a socket, or 0 when they say nothing
 * about it (a raw socket, say). */
static int rules_protocol(const struct lspkit_socket *s)
{
    if (s->family != AF_INET && s->family != AF_INET6)
        return 0;
    if (s->type == SOCK_STREAM)
        return IPPROTO_TCP;
    return s->type == SOCK_DGRAM ? IPPROTO_UDP : 0;
}

/* The first matching rule's action, or Default's; `*rule` is the rule's
 * index, -1 for Default. */
static enum fw_action decide(const struct fw_traffic *t, int *rule)
{
    *rule = fw_rules_first_match(firewall.rules, firewall.rule_count, t);
    return *rule >= 0 ? firewall.rules[*rule].action : firewall.fallback;
}

/* "deny tcp 192.0.2.1:80 (rule 2)", once for each far end of a socket. */
static void log_denial(struct lspkit_socket *s, const char *verb, int protocol,
                       const struct fw_far_end *far_end, int rule)
{
    enum fw_log_once once = fw_socket_first_denial(s, far_end);
    char where[INET6_ADDRSTRLEN + 16], which[32] = "Default";

    if (once == FW_ALREADY_LOGGED)
        return;
    net_endpoint_format(&far_end->address, far_end->port, where, sizeof(where));
    if (rule >= 0)
        snprintf(which, sizeof(which), "rule %d", rule + 1);
    firewall.host->log("firewall", "%s %s %s (%s)", verb, protocol == IPPROTO_TCP ? "tcp" : "udp",
                       where, which);
    if (once == FW_LOG_LAST)
        firewall.host->log("firewall", "socket %llu: further far ends are not logged",
                           (unsigned long long)s->handle);
}

/* Holds one far end to the rules; TRUE when they deny it (and it is
 * logged, with `verb`). */
static BOOL denied(struct lspkit_socket *s, int protocol, const struct fw_far_end *far_end,
                   const char *verb)
{
    struct fw_traffic t = {
        .process = firewall.process,
        .direction = far_end->direction,
        .protocol = protocol,
        .address = far_end->address,
        .port = far_end->port,
    };
    int rule;

    if (decide(&t, &rule) == FW_ALLOW)
        return FALSE;
    log_denial(s, verb, protocol, far_end, rule);
    return TRUE;
}

static BOOL far_end_of(const struct sockaddr *sa, int len, enum fw_direction direction,
                       struct fw_far_end *far_end)
{
    far_end->direction = direction;
    return net_address_of(sa, len, &far_end->address, &far_end->port);
}

enum lspkit_verdict firewall_connect(struct lspkit_socket *s, struct lspkit_connect *c)
{
    int protocol = rules_protocol(s);
    struct fw_far_end to;

    if (!protocol)
        return LSPKIT_ALLOW;
    /* A datagram socket connected to AF_UNSPEC is no longer connected. */
    if (!far_end_of(c->to, c->to_len, FW_OUT, &to)) {
        if (protocol == IPPROTO_UDP)
            fw_socket_set_peer(s, NULL);
        return LSPKIT_ALLOW;
    }
    if (denied(s, protocol, &to, "deny")) {
        c->error = WSAEACCES;
        return LSPKIT_DENY;
    }
    if (protocol == IPPROTO_UDP)
        fw_socket_set_peer(s, &to);
    return LSPKIT_ALLOW;
}

/* A stream's far end was held to the rules when it connected; a datagram
 * goes where sendto says, or where the socket was connected. */
enum lspkit_verdict firewall_send(struct lspkit_socket *s, struct lspkit_transfer *t)
{
    struct fw_far_end to;

    if (rules_protocol(s) != IPPROTO_UDP)
        return LSPKIT_ALLOW;
    if (t->peer ? !far_end_of(t->peer, t->peer_len, FW_OUT, &to) : !fw_socket_peer(s, &to))
        return LSPKIT_ALLOW;
    if (!denied(s, IPPROTO_UDP, &to, "deny"))
        return LSPKIT_ALLOW;
    t->error = WSAEACCES;
    return LSPKIT_DENY;
}

/* API v1 tells a filter of an accepted connection only once it is the
 * application's, with no verdict to give: a dir=in deny can only say
 * that it would have denied it. Logged once for each peer of a listener. */
void firewall_accepted(struct lspkit_socket *l, struct lspkit_socket *s,
                       const struct sockaddr *peer, int peer_len)
{
    struct fw_far_end from;

    (void)s;
    if (rules_protocol(l) == IPPROTO_TCP && far_end_of(peer, peer_len, FW_IN, &from))
        denied(l, IPPROTO_TCP, &from, "would deny");
}

/* A datagram received has already arrived: as for an accepted
 * connection, a deny only logs. */
void firewall_transferred(struct lspkit_socket *s, enum lspkit_direction direction,
                          const struct lspkit_transfer *t)
{
    struct fw_far_end from;

    if (direction == LSPKIT_RECEIVED && rules_protocol(s) == IPPROTO_UDP && t->peer
        && far_end_of(t->peer, t->peer_len, FW_IN, &from))
        denied(s, IPPROTO_UDP, &from, "would deny");
}
