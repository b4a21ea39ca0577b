/* SPDX-License-Identifier: MIT */
/* A record as packets: what a send or receive looks like on the wire.
 *
 * TCP: the flow's synthetic handshake first when the record carries it;
 * then its data in as many segments as it needs (each at most one IP
 * packet), or a bare ACK for a call that moved nothing or failed; a
 * receive of 0 bytes is the peer's FIN, a closed socket our FIN.
 * UDP: one datagram per call (a failed call: an empty one).
 * Every packet carries the call's comment and its direction (epb_flags). */
#ifndef LSPKIT_CAPTURE_PACKETS_H
#define LSPKIT_CAPTURE_PACKETS_H

#include "ident.h"
#include "pcapng.h"
#include "record.h"

/* Appends the packets of `r`; `ip_id` numbers IPv4 packets. */
void packets_append(struct outbuf *o, const struct capture_identity *id,
                    const struct record *r, USHORT *ip_id);

#endif
