/* SPDX-License-Identifier: MIT */
/* Per-socket state: the addresses capture has learnt for a socket and,
 * for TCP, the sequence numbers of its two directions.
 *
 * A TCP flow's numbers start at a synthetic handshake: the first record
 * that succeeds carries it (SYN, SYN-ACK, ACK), and each successful record
 * advances its direction by its byte count, whether or not the queue took
 * it, so that a drop shows as missing bytes. The initial numbers come from
 * the address pair alone, so that both ends of a connection agree. Who
 * sent the SYN is not known to a provider that sees only sends and
 * receives; the side with the ephemeral port is taken as the client
 * (flow.c). */
#ifndef LSPKIT_CAPTURE_FLOW_H
#define LSPKIT_CAPTURE_FLOW_H

#include <windows.h>
#include "record.h"

struct flow {
    struct flow *next;            /* in its bucket */
    SOCKET socket;
    BOOL tcp;
    BOOL local_known, remote_known;
    BOOL peer_asked;              /* a receive asked for the peer already */
    struct capture_addr local, remote;
    /* TCP only. */
    BOOL opened;                  /* the handshake is queued */
    BOOL peer_fin;                /* a receive returned 0 */
    BOOL local_is_client;
    DWORD isn_local, isn_remote;
    DWORD next_local, next_remote;
};

struct flow_table {
    SRWLOCK lock;                 /* guards everything here and in the flows */
    struct flow **buckets;
    size_t bucket_count;          /* a power of two */
    size_t count;
};

/* FALSE when the table cannot be allocated. */
BOOL flows_init(struct flow_table *t);
void flows_free(struct flow_table *t);

void flows_lock(struct flow_table *t);
void flows_unlock(struct flow_table *t);

/* With the lock held. */
struct flow *flows_find(struct flow_table *t, SOCKET s);
/* The flow of `s`, made with unknown addresses when new (or when the
 * handle now belongs to a socket of another transport or family); NULL
 * when out of memory. */
struct flow *flows_get(struct flow_table *t, SOCKET s, BOOL tcp, USHORT family);
/* Unlinks the flow of `s`, which the caller then frees; NULL when none. */
struct flow *flows_remove(struct flow_table *t, SOCKET s);

/* With the lock held: takes the addresses learnt (either may be NULL).
 * A TCP flow whose address pair changes starts over with new numbers
 * (and a new handshake). */
void flow_learn(struct flow *f, const struct capture_addr *local,
                const struct capture_addr *remote);

/* With the lock held: the numbers of TCP record `r` (its kind, direction,
 * error and bytes set), advancing the flow past it. */
void flow_number(struct flow *f, struct record *r);

/* With the lock held: a record carrying the handshake was queued. */
void flow_opened(struct flow *f);

#endif
