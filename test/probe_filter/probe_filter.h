/* SPDX-License-Identifier: MIT */
/* The tests' filter (test/filters.c): a policy the test sets while it
 * runs, and what the filter saw, read back through its exports. */
#ifndef LSPKIT_TEST_PROBE_FILTER_H
#define LSPKIT_TEST_PROBE_FILTER_H

#include <winsock2.h>

/* Text a send starts with to be replaced, and what goes instead. */
#define PROBE_REWRITE_ME "rewrite-me"
#define PROBE_REWRITTEN "REWRITTEN-AND-LONGER"
/* Received text the filter changes: SWAP_ME is delivered as SWAPPED, a
 * receive starting GROW_ME gets a replacement larger than any buffer the
 * tests give, and one starting DROP_ME fails with WSAECONNABORTED. */
#define PROBE_SWAP_ME "swap-me"
#define PROBE_SWAPPED "SWAPPED, LONGER"
#define PROBE_GROW_ME "grow-me"
#define PROBE_DROP_ME "drop-me"

/* The handshake of a redirect: the filter sends the greeting, and the
 * redirect's server must answer PROBE_ACCEPT (anything else: refused). */
#define PROBE_GREETING "probe-hello"
#define PROBE_ACCEPT "ok"

/* Datagrams (test/filters_datagram.c): one sent to port FROM of the
 * policy goes to port TO instead, PROBE_RELAY_HEAD put before it - unless
 * it starts PROBE_AS_IS, which goes as it is; one received from port TO
 * that starts PROBE_RELAY_HEAD is given as from port FROM, without the
 * head. A SOCKS5 relay, in miniature. */
#define PROBE_RELAY_HEAD "relay:"
#define PROBE_AS_IS "as-is"

/* Connects and sends to port DENY fail with WSAEACCES; connects to port
 * FROM go to port TO of the same address; 0 turns each off. */
typedef void (*probe_filter_policy_fn)(USHORT deny, USHORT from, USHORT to);
/* The bytes the filter saw `transferred` on socket S. */
typedef BOOL (*probe_filter_totals_fn)(SOCKET s, ULONGLONG *sent, ULONGLONG *received);
/* How many sockets the filter saw made, closed and accepted. */
typedef void (*probe_filter_events_fn)(LONG *created, LONG *closed, LONG *accepted);
/* Through lspkit's dial: connects to TO, sends SAY, receives ANSWER_LEN
 * bytes into ANSWER and hangs up. 0 or the WSA error. */
typedef int (*probe_filter_dial_fn)(const struct sockaddr *to, int to_len, const char *say,
                                    char *answer, int answer_len);

#endif
