/* SPDX-License-Identifier: MIT */
/* Synthesized IP packets: an IPv4 or IPv6 header and a TCP or UDP header
 * with the socket's real addresses and ports, in front of the payload, as
 * LINKTYPE_RAW wants them (one interface for both IP versions). */
#ifndef LSPKIT_CAPTURE_SYNTH_H
#define LSPKIT_CAPTURE_SYNTH_H

#include <windows.h>
#include "record.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

/* The longest headers: IPv6 (40) + TCP (20). */
#define SYNTH_HEADERS_MAX 60

struct packet {
    const struct capture_addr *src, *dst;   /* same family */
    BOOL tcp;
    DWORD seq, ack;                         /* TCP */
    BYTE tcp_flags;
    USHORT urgent;                          /* TCP urgent pointer, with TCP_URG */
    USHORT ip_id;                           /* IPv4 identification */
    const BYTE *payload;                    /* `captured` bytes of it are here */
    DWORD length;                           /* payload bytes on the wire */
    DWORD captured;                         /* <= length */
};

/* The most payload one packet of this family and transport carries. */
DWORD synth_max_payload(USHORT family, BOOL tcp);

/* Writes the headers of `p` to `out` and returns their length. The
 * transport checksum is computed when the whole payload is at hand, else
 * left 0, or 0xFFFF for UDP over IPv6, which forbids 0 (Wireshark does
 * not check it by default). */
size_t synth_headers(BYTE out[SYNTH_HEADERS_MAX], const struct packet *p);

#endif
