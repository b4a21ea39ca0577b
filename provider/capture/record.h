/* SPDX-License-Identifier: MIT */
/* A record: one event as the recording thread hands it to the writer,
 * with everything the writer needs to turn it into packets. The TCP
 * sequence numbers are assigned at recording time (flow.c), so that a
 * dropped record leaves a visible gap in its flow instead of silently
 * shifting the bytes after it. */
#ifndef LSPKIT_CAPTURE_RECORD_H
#define LSPKIT_CAPTURE_RECORD_H

#include <winsock2.h>

/* An endpoint. An unknown one has the socket's family, zero address and port. */
struct capture_addr {
    USHORT family;                /* AF_INET or AF_INET6 */
    USHORT port;                  /* host order */
    BYTE addr[16];                /* network order; IPv4 uses the first 4 */
};

enum record_kind {
    RECORD_DATA,                  /* a send or receive, failed ones included */
    RECORD_PEER_FIN,              /* a TCP receive returned 0: the peer's FIN */
    RECORD_CLOSE,                 /* the socket was closed: our FIN */
};

/* A TCP record's place in its flow. */
struct tcp_numbers {
    DWORD seq;                    /* its first sequence number, in its direction */
    DWORD ack;                    /* the other direction's next sequence number */
    BOOL handshake;               /* the flow's first: SYN, SYN-ACK, ACK go first */
    BOOL local_is_client;         /* who sends the SYN */
    DWORD isn_local, isn_remote;  /* for the handshake */
};

struct record {
    struct record *next;
    size_t charge;                /* what it counts against the queue's byte bound */
    ULONGLONG time;               /* 100 ns units since 1970-01-01 UTC */
    SOCKET socket;
    DWORD thread_id;
    BYTE kind;                    /* enum record_kind */
    BYTE tcp;                     /* TCP, else UDP */
    BYTE direction;               /* enum capture_direction */
    BYTE filter_mark;             /* enum capture_mark */
    DWORD flags;
    int error;
    DWORD bytes;                  /* transferred */
    DWORD captured;               /* of them, kept in payload (SnapLength) */
    struct capture_addr local, remote;
    struct tcp_numbers numbers;
    /* The writer's progress notes (writer.c): where in the file this
     * record's blocks begin, and how many records were written before. */
    ULONGLONG mark;
    ULONGLONG delivered_before;
    BYTE payload[];
};

#endif
