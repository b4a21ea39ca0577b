/* SPDX-License-Identifier: MIT */
/* rules.h: the firewall's rules, parsed and matched by pure functions (no
 * socket, no registry), so that its unit tests run them as they are.
 *
 *   allow|deny [process=IMAGE.exe] [dir=out|in] [proto=tcp|udp]
 *              [addr=ADDRESS[/PREFIX]] [port=N[-M]]
 *
 * Fields are separated by spaces or tabs, each at most once; a field that is
 * left out matches anything. */
#ifndef LSPKIT_FILTERS_FIREWALL_RULES_H
#define LSPKIT_FILTERS_FIREWALL_RULES_H

#include "../shared/netaddr.h"

enum fw_action { FW_ALLOW, FW_DENY };
enum fw_direction { FW_ANY_DIRECTION, FW_OUT, FW_IN };

struct fw_rule {
    enum fw_action action;
    char process[MAX_PATH];       /* UTF-8 image name; "" for any */
    enum fw_direction direction;
    int protocol;                 /* IPPROTO_TCP, IPPROTO_UDP, or 0 for any */
    BOOL has_address;
    struct net_prefix address;
    unsigned short port_low, port_high;   /* 0-65535 when no port= */
};

/* What a rule is held to: one connection or datagram. */
struct fw_traffic {
    const char *process;          /* this process's image name, UTF-8 */
    enum fw_direction direction;  /* FW_OUT or FW_IN */
    int protocol;                 /* IPPROTO_TCP or IPPROTO_UDP */
    struct net_address address;   /* the far end */
    unsigned short port;
};

/* One rule; FALSE with the reason in `why` when it is not one. */
BOOL fw_rule_parse(const char *text, struct fw_rule *rule, char *why, size_t why_len);

/* "allow" or "deny" (the Default setting); FALSE for anything else. */
BOOL fw_action_parse(const char *text, enum fw_action *action);

/* The index of the first of `count` rules that matches, or -1. */
int fw_rules_first_match(const struct fw_rule *rules, int count, const struct fw_traffic *t);

#endif
