/* SPDX-License-Identifier: MIT */
/* Header synthesis (synth.h). */
#include <string.h>
#include "synth.h"

#define IPV4_HEADER 20
#define IPV6_HEADER 40
#define TCP_HEADER 20
#define UDP_HEADER 8
#define IP_MAX 65535               /* the 16-bit length fields */
#define HOP_LIMIT 128              /* Windows' default TTL */

DWORD synth_max_payload(USHORT family, BOOL tcp)
{
    DWORD transport = tcp ? TCP_HEADER : UDP_HEADER;

    /* IPv4's total length counts its own header; IPv6's payload length does not. */
    return IP_MAX - transport - (family == AF_INET6 ? 0 : IPV4_HEADER);
}

static void put16(BYTE *p, DWORD v)
{
    p[0] = (BYTE)(v >> 8);
    p[1] = (BYTE)v;
}

static void put32(BYTE *p, DWORD v)
{
    put16(p, v >> 16);
    put16(p + 2, v);
}

/* One's-complement sum of 16-bit big-endian words, not yet folded. */
static ULONGLONG sum16(ULONGLONG sum, const BYTE *data, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += (DWORD)data[i] << 8 | data[i + 1];
    if (i < len)
        sum += (DWORD)data[i] << 8;
    return sum;
}

static USHORT fold(ULONGLONG sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (USHORT)~sum;
}

static DWORD saturate16(DWORD v)
{
    return v > IP_MAX ? IP_MAX : v;
}

size_t synth_headers(BYTE out[SYNTH_HEADERS_MAX], const struct packet *p)
{
    BOOL v6 = p->src->family == AF_INET6;
    size_t ip_len = v6 ? IPV6_HEADER : IPV4_HEADER;
    size_t addr_len = v6 ? 16 : 4;
    size_t transport_len = p->tcp ? TCP_HEADER : UDP_HEADER;
    DWORD segment = (DWORD)transport_len + p->length;   /* transport header + payload */
    BYTE *t = out + ip_len, protocol = p->tcp ? IPPROTO_TCP : IPPROTO_UDP;
    ULONGLONG sum;

    memset(out, 0, ip_len + transport_len);
    if (v6) {
        out[0] = 0x60;
        put16(out + 4, saturate16(segment));
        out[6] = protocol;
        out[7] = HOP_LIMIT;
        memcpy(out + 8, p->src->addr, 16);
        memcpy(out + 24, p->dst->addr, 16);
    } else {
        out[0] = 0x45;
        put16(out + 2, saturate16(IPV4_HEADER + segment));
        put16(out + 4, p->ip_id);
        out[6] = 0x40;             /* don't fragment */
        out[8] = HOP_LIMIT;
        out[9] = protocol;
        memcpy(out + 12, p->src->addr, 4);
        memcpy(out + 16, p->dst->addr, 4);
        put16(out + 10, fold(sum16(0, out, IPV4_HEADER)));
    }
    put16(t, p->src->port);
    put16(t + 2, p->dst->port);
    if (p->tcp) {
        put32(t + 4, p->seq);
        put32(t + 8, p->ack);
        t[12] = (TCP_HEADER / 4) << 4;
        t[13] = p->tcp_flags;
        put16(t + 14, 65535);      /* window */
        put16(t + 18, p->tcp_flags & TCP_URG ? p->urgent : 0);
    } else {
        put16(t + 4, saturate16(segment));
    }
    if (p->captured == p->length) {
        /* The pseudo-header: both addresses, protocol, transport length. */
        sum = sum16(0, p->src->addr, addr_len);
        sum = sum16(sum, p->dst->addr, addr_len);
        sum += protocol;
        sum += segment;
        sum = sum16(sum, t, transport_len);
        sum = sum16(sum, p->payload, p->length);
        USHORT check = fold(sum);
        /* 0 means "no checksum" for UDP: the same value in the other form. */
        if (!p->tcp && check == 0)
            check = 0xFFFF;
        put16(t + (p->tcp ? 16 : 6), check);
    } else if (!p->tcp && v6) {
        /* Not computable from a cut payload; 0 is not allowed over IPv6. */
        put16(t + 6, 0xFFFF);
    }
    return ip_len + transport_len;
}
