/* SPDX-License-Identifier: MIT */
/* What the measures of lbbench (lbbench.c, port.c) share (util.c). */
#ifndef LSPKIT_BENCH_UTIL_H
#define LSPKIT_BENCH_UTIL_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#define MSG_SMALL 64
#define MSG_BULK (1 << 20)
#define WARMUP_ROUND_TRIPS 500

/* Prints what failed with the last Winsock error and exits 1. */
void die(const char *what);
double now_seconds(void);

/* A connected TCP pair on 127.0.0.1. */
void tcp_pair(SOCKET *client, SOCKET *server);
void nodelay(SOCKET s);

/* Exactly LEN bytes; 0 on success, -1 on error or end of stream. */
int recv_exact(SOCKET s, char *buf, int len);
int send_all(SOCKET s, const char *buf, int len);

/* A peer thread's socket and work. */
struct peer {
    SOCKET s;
    long long count;    /* round trips to echo, or bytes to read */
    int failed;
};

/* Echoes p->count 64-byte messages back. */
DWORD WINAPI echo_main(void *arg);
/* Reads p->count bytes in MSG_BULK pieces. */
DWORD WINAPI sink_main(void *arg);
/* One exchange of a MSG_SMALL message: OUT goes to the peer, which echoes
 * it into IN. */
typedef void (*exchange_fn)(void *context, char *out, char *in);

/* WARMUP_ROUND_TRIPS untimed, then ROUND_TRIPS timed exchanges, each with
 * its own content and each echo checked (`name` says which measure
 * failed); returns the seconds of the timed ones. */
double timed_round_trips(const char *name, long long round_trips, exchange_fn exchange,
                         void *context);

/* Starts a peer thread running `main` on `p`. */
HANDLE start_peer(LPTHREAD_START_ROUTINE main, struct peer *p);

/* Waits for a peer thread; exits 1 when it failed. */
void join(HANDLE thread, const struct peer *p, const char *what);

#endif
