/* SPDX-License-Identifier: MIT */
/* port.c: sockets driven the way Go's runtime and libuv drive them:
 * overlapped operations with no routine on sockets bound to an I/O
 * completion port, their completions taken in batches with
 * GetQueuedCompletionStatusEx (see port.h). */
#include "port.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a completion may take before it counts as lost. */
#define PORT_TIMEOUT_MS 10000
#define BULK_IN_FLIGHT 4
#define PORT_BATCH 8

struct port_op {
    WSAOVERLAPPED ov;
    int done;
    DWORD bytes;
};

static HANDLE bind_port(SOCKET s)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, 0, 0);
    if (!port)
        die("CreateIoCompletionPort");
    return port;
}

static void start(struct port_op *op)
{
    memset(op, 0, sizeof(*op));
}

/* A call that started an overlapped operation: 0, or pending. */
static void started(int result, const char *what)
{
    if (result && WSAGetLastError() != WSA_IO_PENDING)
        die(what);
}

/* Takes the completions that have come (at least one), marking their ops
 * done; a failed one ends the program. */
static void take(HANDLE port, const char *what)
{
    OVERLAPPED_ENTRY entries[PORT_BATCH];
    ULONG count = 0;

    if (!GetQueuedCompletionStatusEx(port, entries, PORT_BATCH, &count, PORT_TIMEOUT_MS, FALSE)) {
        fprintf(stderr, "lbbench: %s: no completion in %d ms (%lu)\n", what, PORT_TIMEOUT_MS,
                GetLastError());
        exit(1);
    }
    for (ULONG i = 0; i < count; i++) {
        struct port_op *op = (struct port_op *)entries[i].lpOverlapped;
        /* Internal is the operation's NTSTATUS. */
        if (op->ov.Internal) {
            fprintf(stderr, "lbbench: %s: completed with status 0x%lx\n", what,
                    (unsigned long)op->ov.Internal);
            exit(1);
        }
        op->bytes = entries[i].dwNumberOfBytesTransferred;
        op->done = 1;
    }
}

static void post_recv(SOCKET s, char *buf, DWORD len, struct port_op *op)
{
    WSABUF wb = { len, buf };
    DWORD flags = 0;
    start(op);
    started(WSARecv(s, &wb, 1, NULL, &flags, &op->ov, NULL), "port WSARecv");
}

static void post_send(SOCKET s, char *buf, DWORD len, struct port_op *op)
{
    WSABUF wb = { len, buf };
    start(op);
    started(WSASend(s, &wb, 1, NULL, 0, &op->ov, NULL), "port WSASend");
}

/* One round trip: the receive goes first, so the echo finds it waiting;
 * a short receive is completed by another. */
/* The socket and port of an exchange. */
struct port_socket {
    SOCKET s;
    HANDLE port;
    struct sockaddr_in to;        /* UDP: the peer */
};

static void tcp_round_trip(void *context, char *out, char *in)
{
    SOCKET c = ((struct port_socket *)context)->s;
    HANDLE port = ((struct port_socket *)context)->port;
    struct port_op rx, tx;
    DWORD got = 0;

    post_recv(c, in, MSG_SMALL, &rx);
    post_send(c, out, MSG_SMALL, &tx);
    for (;;) {
        while (!rx.done || !tx.done)
            take(port, "iocp");
        if (tx.bytes != MSG_SMALL || rx.bytes == 0) {
            fprintf(stderr, "lbbench: iocp: sent %lu, received %lu\n", tx.bytes, rx.bytes);
            exit(1);
        }
        got += rx.bytes;
        if (got == MSG_SMALL)
            return;
        post_recv(c, in + got, MSG_SMALL - got, &rx);
    }
}

void iocp_pingpong(long long round_trips)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    nodelay(c);
    nodelay(s);
    struct port_socket ps = { c, bind_port(c), { 0 } };
    struct peer echo = { s, WARMUP_ROUND_TRIPS + round_trips, 0 };
    HANDLE thread = start_peer(echo_main, &echo);
    double seconds = timed_round_trips("iocp", round_trips, tcp_round_trip, &ps);
    join(thread, &echo, "iocp");
    closesocket(c);
    closesocket(s);
    CloseHandle(ps.port);
    printf("iocp_round_trips %lld\n", round_trips);
    printf("iocp_rt_per_s %.1f\n", (double)round_trips / seconds);
}

void iocp_bulk(long long mib)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    HANDLE port = bind_port(c);
    struct port_op ops[BULK_IN_FLIGHT];
    char *msgs[BULK_IN_FLIGHT];
    for (int i = 0; i < BULK_IN_FLIGHT; i++) {
        msgs[i] = malloc(MSG_BULK);
        if (!msgs[i])
            die("malloc");
        memset(msgs[i], 0x40 + i, MSG_BULK);
    }
    struct peer sink = { s, mib * MSG_BULK, 0 };
    double begin = now_seconds();
    HANDLE thread = start_peer(sink_main, &sink);
    long long posted = 0, completed = 0;
    for (int i = 0; i < BULK_IN_FLIGHT && posted < mib; i++, posted++)
        post_send(c, msgs[i], MSG_BULK, &ops[i]);
    while (completed < mib) {
        take(port, "iocpbulk");
        for (int i = 0; i < BULK_IN_FLIGHT; i++) {
            if (!ops[i].done)
                continue;
            if (ops[i].bytes != MSG_BULK) {
                fprintf(stderr, "lbbench: iocpbulk: a send of %lu bytes\n", ops[i].bytes);
                exit(1);
            }
            ops[i].done = 0;
            completed++;
            if (posted < mib) {
                post_send(c, msgs[i], MSG_BULK, &ops[i]);
                posted++;
            }
        }
    }
    join(thread, &sink, "iocpbulk");
    double seconds = now_seconds() - begin;
    for (int i = 0; i < BULK_IN_FLIGHT; i++)
        free(msgs[i]);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
    printf("iocpbulk_mib %lld\n", mib);
    printf("iocpbulk_mib_per_s %.1f\n", (double)mib / seconds);
}

/* A UDP socket bound to an ephemeral port of 127.0.0.1, and its name. */
static SOCKET udp_socket(struct sockaddr_in *name)
{
    int len = sizeof(*name);
    memset(name, 0, sizeof(*name));
    name->sin_family = AF_INET;
    name->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)name, len) ||
        getsockname(s, (struct sockaddr *)name, &len))
        die("UDP socket");
    return s;
}

/* Echoes p->count datagrams back to their senders. */
static DWORD WINAPI udp_echo_main(void *arg)
{
    struct peer *p = arg;
    char buf[MSG_SMALL];
    for (long long i = 0; i < p->count; i++) {
        struct sockaddr_in from;
        int len = sizeof(from);
        int n = recvfrom(p->s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        if (n != MSG_SMALL || sendto(p->s, buf, n, 0, (struct sockaddr *)&from, len) != n) {
            p->failed = 1;
            break;
        }
    }
    return 0;
}

static void udp_round_trip(void *context, char *out, char *in)
{
    struct port_socket *ps = context;
    struct port_op rx, tx;
    struct sockaddr_in from;
    INT from_len = sizeof(from);
    WSABUF rb = { MSG_SMALL, in }, sb = { MSG_SMALL, out };
    DWORD flags = 0;

    start(&rx);
    start(&tx);
    started(WSARecvFrom(ps->s, &rb, 1, NULL, &flags, (struct sockaddr *)&from, &from_len, &rx.ov,
                        NULL), "port WSARecvFrom");
    started(WSASendTo(ps->s, &sb, 1, NULL, 0, (const struct sockaddr *)&ps->to, sizeof(ps->to), &tx.ov,
                      NULL), "port WSASendTo");
    while (!rx.done || !tx.done)
        take(ps->port, "udp");
    if (rx.bytes != MSG_SMALL || tx.bytes != MSG_SMALL) {
        fprintf(stderr, "lbbench: udp: sent %lu, received %lu\n", tx.bytes, rx.bytes);
        exit(1);
    }
}

void udp_pingpong(long long round_trips)
{
    struct sockaddr_in a_name;
    struct port_socket ps;
    SOCKET b = udp_socket(&ps.to);
    ps.s = udp_socket(&a_name);
    ps.port = bind_port(ps.s);
    struct peer echo = { b, WARMUP_ROUND_TRIPS + round_trips, 0 };
    HANDLE thread = start_peer(udp_echo_main, &echo);
    double seconds = timed_round_trips("udp", round_trips, udp_round_trip, &ps);
    join(thread, &echo, "udp");
    closesocket(ps.s);
    closesocket(b);
    CloseHandle(ps.port);
    printf("udp_round_trips %lld\n", round_trips);
    printf("udp_rt_per_s %.1f\n", (double)round_trips / seconds);
}
