/* SPDX-License-Identifier: MIT */
/* lbbench.c: loopback TCP micro-benchmark, linked against plain -lws2_32 so
 * that the same binary measures Wine's own ws2_32, the lspkit front end, and
 * the front end with the layered provider installed, with capture off or on
 * (bench/run.sh runs it those ways, interleaved).
 *
 *   lbbench.exe [pingpong ROUND_TRIPS] [send64 SENDS] [overlapped ROUND_TRIPS]
 *               [bulk MIB] [sockets N] [iocp ROUND_TRIPS] [iocpbulk MIB]
 *               [udp ROUND_TRIPS] [connect CYCLES]
 *
 * pingpong:   ROUND_TRIPS exchanges of a 64-byte message between two threads
 *             over one TCP_NODELAY connection (latency-bound).
 * send64:     SENDS blocking 64-byte send calls one way, drained by another
 *             thread (per-call overhead of send).
 * overlapped: ROUND_TRIPS 64-byte exchanges where this side posts WSARecv and
 *             WSASend with completion routines and waits alertably; the peer
 *             thread echoes with blocking calls.
 * bulk:       MIB messages of 1 MiB sent one way and read by another thread
 *             (throughput-bound).
 * sockets:    opens N more TCP sockets, 10, 100, 1000... at a time; at each
 *             power of ten times SOCKET_PROBE_SENDS 64-byte sends on one
 *             connection opened before them, and finally reports the private
 *             bytes (PrivateUsage), commit (PagefileUsage) and working set
 *             the N sockets added, per socket. If socket
 *             creation fails first, it says where and stops there.
 * iocp, iocpbulk, udp: the same through an I/O completion port, as Go and
 *             libuv drive sockets (port.c).
 * connect:    CYCLES times a TCP socket made and closed unused, then CYCLES
 *             times a whole connection: socket, connect to a listener,
 *             accept, one byte each way, both closed (what an HTTP client
 *             without keep-alive pays per request, besides the request).
 * Without arguments pingpong, send64, overlapped and bulk run with their
 * defaults (20000, 200000, 20000, 256). Output: one "NAME VALUE" line per
 * figure; rates end in _per_s (higher is better), costs in _ns or _bytes
 * (lower is better). Exit code 0 on success, 1 on any socket error (with a
 * message). */
#include "util.h"
#include "port.h"

#include <psapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SINK_BUF (64 * 1024)
#define SOCKET_PROBE_SENDS 50000
/* How long an overlapped round trip may take before it counts as lost. */
#define OVERLAPPED_TIMEOUT_MS 10000


/* Round trips of 64 bytes; the echoed bytes must equal the sent ones. */
static void blocking_exchange(void *context, char *out, char *in)
{
    SOCKET c = *(SOCKET *)context;
    if (send_all(c, out, MSG_SMALL) || recv_exact(c, in, MSG_SMALL))
        die("ping-pong send/recv");
}

static void pingpong(long long round_trips)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    nodelay(c);
    nodelay(s);
    struct peer echo = { s, WARMUP_ROUND_TRIPS + round_trips, 0 };
    HANDLE thread = start_peer(echo_main, &echo);
    double seconds = timed_round_trips("ping-pong", round_trips, blocking_exchange, &c);
    join(thread, &echo, "ping-pong");
    closesocket(c);
    closesocket(s);
    printf("pingpong_round_trips %lld\n", round_trips);
    printf("pingpong_seconds %.4f\n", seconds);
    printf("pingpong_rt_per_s %.1f\n", (double)round_trips / seconds);
}

/* MIB one-MiB messages one way; timed until the reader has them all. */
static void bulk(long long mib)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    char *msg = malloc(MSG_BULK);
    if (!msg)
        die("malloc");
    for (int i = 0; i < MSG_BULK; i++)
        msg[i] = (char)(i * 31 + 7);
    struct peer sink = { s, mib * MSG_BULK, 0 };
    double start = now_seconds();
    HANDLE thread = start_peer(sink_main, &sink);
    for (long long i = 0; i < mib; i++)
        if (send_all(c, msg, MSG_BULK))
            die("bulk send");
    join(thread, &sink, "bulk");
    double seconds = now_seconds() - start;
    free(msg);
    closesocket(c);
    closesocket(s);
    printf("bulk_mib %lld\n", mib);
    printf("bulk_seconds %.4f\n", seconds);
    printf("bulk_mib_per_s %.1f\n", (double)mib / seconds);
}

/* Reads p->count bytes in SINK_BUF pieces and throws them away. */
static DWORD WINAPI drain_main(void *arg)
{
    struct peer *p = arg;
    static char buf[SINK_BUF];
    long long left = p->count;
    while (left > 0) {
        int n = recv(p->s, buf, SINK_BUF, 0);
        if (n <= 0)
            break;
        left -= n;
    }
    p->failed = left != 0;
    return 0;
}

/* SENDS blocking 64-byte sends on C, drained from S by another thread;
 * seconds until the reader has every byte. */
static double timed_sends(SOCKET c, SOCKET s, long long sends)
{
    char msg[MSG_SMALL];
    memset(msg, 0x5a, sizeof(msg));
    struct peer sink = { s, sends * MSG_SMALL, 0 };
    double start = now_seconds();
    HANDLE thread = start_peer(drain_main, &sink);
    for (long long i = 0; i < sends; i++)
        if (send_all(c, msg, MSG_SMALL))
            die("send64 send");
    join(thread, &sink, "send64");
    return now_seconds() - start;
}

static void send64(long long sends)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    timed_sends(c, s, WARMUP_ROUND_TRIPS);
    double seconds = timed_sends(c, s, sends);
    closesocket(c);
    closesocket(s);
    printf("send64_sends %lld\n", sends);
    printf("send64_seconds %.4f\n", seconds);
    printf("send64_sends_per_s %.1f\n", (double)sends / seconds);
}

/* One overlapped operation with a completion routine; hEvent is the
 * application's to use with completion routines, and points back here. */
struct ovl_op {
    WSAOVERLAPPED ov;
    int done;
    DWORD error, bytes;
};

static void CALLBACK ovl_complete(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    struct ovl_op *op = ov->hEvent;
    (void)flags;
    op->error = error;
    op->bytes = bytes;
    op->done = 1;
}

/* Posts one WSASend or WSARecv of LEN bytes at BUF with ovl_complete. */
static void ovl_post(SOCKET s, int is_send, char *buf, DWORD len, struct ovl_op *op)
{
    WSABUF wb = { len, buf };
    DWORD flags = 0;
    memset(op, 0, sizeof(*op));
    op->ov.hEvent = op;
    int r = is_send ? WSASend(s, &wb, 1, NULL, 0, &op->ov, ovl_complete)
                    : WSARecv(s, &wb, 1, NULL, &flags, &op->ov, ovl_complete);
    if (r && WSAGetLastError() != WSA_IO_PENDING)
        die(is_send ? "overlapped WSASend" : "overlapped WSARecv");
}

/* Waits alertably until OP's completion routine has run. */
static void ovl_wait(struct ovl_op *op, const char *what)
{
    while (!op->done)
        if (SleepEx(OVERLAPPED_TIMEOUT_MS, TRUE) == 0 && !op->done) {
            fprintf(stderr, "lbbench: overlapped %s: no completion in %d ms\n", what,
                    OVERLAPPED_TIMEOUT_MS);
            exit(1);
        }
    if (op->error) {
        fprintf(stderr, "lbbench: overlapped %s failed: %lu\n", what, (unsigned long)op->error);
        exit(1);
    }
}

/* One 64-byte round trip: the receive is posted before the send, so the
 * echo always finds it waiting; a short receive is completed by another. */
static void ovl_round_trip(void *context, char *out, char *in)
{
    SOCKET c = *(SOCKET *)context;
    struct ovl_op rx, tx;
    DWORD got = 0;
    ovl_post(c, 0, in, MSG_SMALL, &rx);
    ovl_post(c, 1, out, MSG_SMALL, &tx);
    ovl_wait(&tx, "send");
    if (tx.bytes != MSG_SMALL) {
        fprintf(stderr, "lbbench: overlapped send: %lu bytes\n", (unsigned long)tx.bytes);
        exit(1);
    }
    for (;;) {
        ovl_wait(&rx, "receive");
        if (rx.bytes == 0) {
            fprintf(stderr, "lbbench: overlapped receive: end of stream\n");
            exit(1);
        }
        got += rx.bytes;
        if (got == MSG_SMALL)
            break;
        ovl_post(c, 0, in + got, MSG_SMALL - got, &rx);
    }
}

static void overlapped(long long round_trips)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    nodelay(c);
    nodelay(s);
    struct peer echo = { s, WARMUP_ROUND_TRIPS + round_trips, 0 };
    HANDLE thread = start_peer(echo_main, &echo);
    double seconds = timed_round_trips("overlapped", round_trips, ovl_round_trip, &c);
    join(thread, &echo, "overlapped");
    closesocket(c);
    closesocket(s);
    printf("overlapped_round_trips %lld\n", round_trips);
    printf("overlapped_seconds %.4f\n", seconds);
    printf("overlapped_rt_per_s %.1f\n", (double)round_trips / seconds);
}

/* Zeroed first: Wine 8 leaves PrivateUsage unset (it reads as whatever was
 * on the stack), so a field the system does not fill must read 0. */
static PROCESS_MEMORY_COUNTERS_EX memory(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    memset(&pmc, 0, sizeof(pmc));
    if (!GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc))) {
        fprintf(stderr, "lbbench: GetProcessMemoryInfo failed: %lu\n", GetLastError());
        exit(1);
    }
    return pmc;
}

/* Opens sockets up to N; see the top of the file. The probe connection is
 * opened first, so every probe uses the same socket whatever is open. */
static void sockets(long long n)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    timed_sends(c, s, WARMUP_ROUND_TRIPS);
    SOCKET *open = malloc((size_t)n * sizeof(*open));
    if (!open)
        die("malloc");
    /* Memory is counted over the socket calls only: the probes in between
     * start and end threads and (capture on) fill and drain queues. */
    double private_grown = 0, pagefile_grown = 0, working_grown = 0;
    long long count = 0;
    for (long long next = 10; count < n; next *= 10) {
        long long goal = next < n ? next : n;
        PROCESS_MEMORY_COUNTERS_EX before = memory();
        for (; count < goal; count++) {
            open[count] = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            if (open[count] == INVALID_SOCKET) {
                printf("sockets_limit %lld\n", count);
                printf("sockets_limit_error %d\n", WSAGetLastError());
                break;
            }
        }
        PROCESS_MEMORY_COUNTERS_EX after = memory();
        private_grown += (double)after.PrivateUsage - (double)before.PrivateUsage;
        pagefile_grown += (double)after.PagefileUsage - (double)before.PagefileUsage;
        working_grown += (double)after.WorkingSetSize - (double)before.WorkingSetSize;
        if (count < goal)
            break;
        double seconds = timed_sends(c, s, SOCKET_PROBE_SENDS);
        printf("open_%lld_send_ns %.1f\n", count, seconds * 1e9 / SOCKET_PROBE_SENDS);
    }
    printf("sockets_open %lld\n", count);
    if (count > 0) {
        printf("socket_private_bytes %.1f\n", private_grown / (double)count);
        printf("socket_pagefile_bytes %.1f\n", pagefile_grown / (double)count);
        printf("socket_working_set_bytes %.1f\n", working_grown / (double)count);
    }
    for (long long i = 0; i < count; i++)
        closesocket(open[i]);
    free(open);
    closesocket(c);
    closesocket(s);
}

/* One connection's life, against `listener` at `addr`. */
static void connection_cycle(SOCKET listener, const struct sockaddr_in *addr)
{
    char byte = 'c';
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), s;

    if (c == INVALID_SOCKET || connect(c, (const struct sockaddr *)addr, sizeof(*addr)))
        die("connect");
    s = accept(listener, NULL, NULL);
    if (s == INVALID_SOCKET)
        die("accept");
    if (send_all(c, &byte, 1) || recv_exact(s, &byte, 1) || send_all(s, &byte, 1) ||
        recv_exact(c, &byte, 1))
        die("connection exchange");
    closesocket(c);
    closesocket(s);
}

static void connections(long long cycles)
{
    struct sockaddr_in addr = { .sin_family = AF_INET };
    int len = sizeof(addr);
    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), s;
    double start;

    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener == INVALID_SOCKET || bind(listener, (struct sockaddr *)&addr, len) ||
        listen(listener, SOMAXCONN) || getsockname(listener, (struct sockaddr *)&addr, &len))
        die("listener");
    start = now_seconds();
    for (long long i = 0; i < cycles; i++) {
        if ((s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)) == INVALID_SOCKET)
            die("socket");
        closesocket(s);
    }
    printf("socket_cycle_ns %.0f\n", (now_seconds() - start) * 1e9 / (double)cycles);
    start = now_seconds();
    for (long long i = 0; i < cycles; i++)
        connection_cycle(listener, &addr);
    printf("connect_cycle_ns %.0f\n", (now_seconds() - start) * 1e9 / (double)cycles);
    closesocket(listener);
}

static long long count_arg(const char *text)
{
    char *end;
    long long n = strtoll(text, &end, 10);
    if (*text == 0 || *end != 0 || n <= 0) {
        fprintf(stderr, "lbbench: not a positive count: %s\n", text);
        exit(2);
    }
    return n;
}

static const char *const measures[] = { "pingpong", "send64", "overlapped", "bulk", "sockets",
                                         "iocp", "iocpbulk", "udp", "connect" };
#define N_MEASURES (sizeof(measures) / sizeof(measures[0]))

int main(int argc, char **argv)
{
    /* Counts by measure, in the order above; 0: not run. */
    long long count[N_MEASURES] = { 0 };
    if (argc == 1) {
        count[0] = 20000;
        count[1] = 200000;
        count[2] = 20000;
        count[3] = 256;
    }
    for (int i = 1; i < argc; i += 2) {
        size_t m = 0;
        while (m < N_MEASURES && strcmp(argv[i], measures[m]))
            m++;
        if (i + 1 >= argc || m == N_MEASURES) {
            fprintf(stderr, "usage: %s [pingpong ROUND_TRIPS] [send64 SENDS] "
                            "[overlapped ROUND_TRIPS] [bulk MIB] [sockets N] "
                            "[iocp ROUND_TRIPS] [iocpbulk MIB] [udp ROUND_TRIPS] "
                            "[connect CYCLES]\n", argv[0]);
            return 2;
        }
        count[m] = count_arg(argv[i + 1]);
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data))
        die("WSAStartup");
    if (count[0])
        pingpong(count[0]);
    if (count[1])
        send64(count[1]);
    if (count[2])
        overlapped(count[2]);
    if (count[3])
        bulk(count[3]);
    if (count[4])
        sockets(count[4]);
    if (count[5])
        iocp_pingpong(count[5]);
    if (count[6])
        iocp_bulk(count[6]);
    if (count[7])
        udp_pingpong(count[7]);
    if (count[8])
        connections(count[8]);
    WSACleanup();
    return 0;
}
