/* SPDX-License-Identifier: MIT */
/* Records to packets (packets.h). */
#include "packets.h"
#include "direction.h"
#include "comment.h"
#include "synth.h"

/* One packet of `r`; `outbound` when it goes from the local socket. */
static void emit(struct outbuf *o, const struct record *r, BOOL outbound, struct packet *p,
                 const char *comment, USHORT *ip_id)
{
    BYTE head[SYNTH_HEADERS_MAX];
    size_t head_len;

    p->src = outbound ? &r->local : &r->remote;
    p->dst = outbound ? &r->remote : &r->local;
    p->tcp = r->tcp;
    p->ip_id = (*ip_id)++;
    head_len = synth_headers(head, p);
    pcapng_packet(o, r->time, head, head_len, p->payload, p->captured, head_len + p->length,
                  comment, outbound ? PCAPNG_OUTBOUND : PCAPNG_INBOUND);
}

/* SYN, SYN-ACK, ACK, with the flow's initial numbers. */
static void handshake(struct outbuf *o, const struct record *r, USHORT *ip_id)
{
    const struct tcp_numbers *n = &r->numbers;
    BOOL client_local = n->local_is_client;
    DWORD isn_client = client_local ? n->isn_local : n->isn_remote;
    DWORD isn_server = client_local ? n->isn_remote : n->isn_local;
    char comment[COMMENT_MAX];
    struct packet p = { 0 };

    comment_handshake(comment, sizeof(comment), r);
    p.seq = isn_client;
    p.tcp_flags = TCP_SYN;
    emit(o, r, client_local, &p, comment, ip_id);
    p.seq = isn_server;
    p.ack = isn_client + 1;
    p.tcp_flags = TCP_SYN | TCP_ACK;
    emit(o, r, !client_local, &p, comment, ip_id);
    p.seq = isn_client + 1;
    p.ack = isn_server + 1;
    p.tcp_flags = TCP_ACK;
    emit(o, r, client_local, &p, comment, ip_id);
}

/* The data of a successful TCP call, split into IP-sized segments; only
 * the first `captured` bytes are at hand, the rest are counted only. */
static void tcp_data(struct outbuf *o, const struct capture_identity *id,
                     const struct record *r, BOOL outbound, USHORT *ip_id)
{
    DWORD max = synth_max_payload(r->local.family, TRUE);
    DWORD parts = r->bytes / max + (r->bytes % max != 0);
    char comment[COMMENT_MAX];

    for (DWORD i = 0, offset = 0; i < parts; i++, offset += max) {
        DWORD len = r->bytes - offset < max ? r->bytes - offset : max;
        DWORD have = r->captured > offset ? r->captured - offset : 0;
        struct packet p = { 0 };

        p.seq = r->numbers.seq + offset;
        p.ack = r->numbers.ack;
        p.tcp_flags = TCP_ACK | (i + 1 == parts ? TCP_PSH : 0);
        /* MSG_OOB: the urgent pointer marks the end of the urgent data. */
        if (outbound && (r->flags & MSG_OOB) && i + 1 == parts) {
            p.tcp_flags |= TCP_URG;
            p.urgent = (USHORT)len;
        }
        p.payload = have ? r->payload + offset : NULL;
        p.length = len;
        p.captured = have < len ? have : len;
        comment_record(comment, sizeof(comment), id, r, parts > 1 ? i + 1 : 0, parts);
        emit(o, r, outbound, &p, comment, ip_id);
    }
}

static void tcp_packets(struct outbuf *o, const struct capture_identity *id,
                        const struct record *r, BOOL outbound, USHORT *ip_id)
{
    char comment[COMMENT_MAX];
    struct packet p = { 0 };

    if (r->numbers.handshake)
        handshake(o, r, ip_id);
    if (r->kind == RECORD_DATA && !r->error && r->bytes) {
        tcp_data(o, id, r, outbound, ip_id);
        return;
    }
    p.seq = r->numbers.seq;
    p.ack = r->numbers.ack;
    p.tcp_flags = TCP_ACK | (r->kind != RECORD_DATA && !r->error ? TCP_FIN : 0);
    comment_record(comment, sizeof(comment), id, r, 0, 0);
    emit(o, r, outbound, &p, comment, ip_id);
}

void packets_append(struct outbuf *o, const struct capture_identity *id,
                    const struct record *r, USHORT *ip_id)
{
    BOOL outbound = r->kind == RECORD_CLOSE || r->direction == CAPTURE_SEND;
    char comment[COMMENT_MAX];
    struct packet p = { 0 };

    if (r->tcp) {
        tcp_packets(o, id, r, outbound, ip_id);
        return;
    }
    if (!r->error) {
        p.payload = r->payload;
        p.length = r->bytes;
        p.captured = r->captured;
    }
    comment_record(comment, sizeof(comment), id, r, 0, 0);
    emit(o, r, outbound, &p, comment, ip_id);
}
