/* SPDX-License-Identifier: MIT */
/* The pieces the measures of lbbench share: errors, the clock, a loopback
 * TCP pair, exact sends and receives, and the peer threads. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void die(const char *what)
{
    fprintf(stderr, "lbbench: %s failed: %d\n", what, WSAGetLastError());
    exit(1);
}

double now_seconds(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}

/* A connected TCP pair on 127.0.0.1. */
void tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (l == INVALID_SOCKET)
        die("socket");
    if (bind(l, (struct sockaddr *)&addr, len) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
        die("bind/listen");
    SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (c == INVALID_SOCKET || connect(c, (struct sockaddr *)&addr, len))
        die("connect");
    SOCKET s = accept(l, NULL, NULL);
    if (s == INVALID_SOCKET)
        die("accept");
    closesocket(l);
    *client = c;
    *server = s;
}

void nodelay(SOCKET s)
{
    BOOL on = TRUE;
    if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&on, sizeof(on)))
        die("TCP_NODELAY");
}

/* Receives exactly LEN bytes; 0 on success, -1 on error or end of stream. */
int recv_exact(SOCKET s, char *buf, int len)
{
    while (len > 0) {
        int n = recv(s, buf, len, 0);
        if (n <= 0)
            return -1;
        buf += n;
        len -= n;
    }
    return 0;
}

int send_all(SOCKET s, const char *buf, int len)
{
    while (len > 0) {
        int n = send(s, buf, len, 0);
        if (n <= 0)
            return -1;
        buf += n;
        len -= n;
    }
    return 0;
}


DWORD WINAPI echo_main(void *arg)
{
    struct peer *p = arg;
    char buf[MSG_SMALL];
    for (long long i = 0; i < p->count; i++) {
        if (recv_exact(p->s, buf, MSG_SMALL) || send_all(p->s, buf, MSG_SMALL)) {
            p->failed = 1;
            break;
        }
    }
    return 0;
}

void join(HANDLE thread, const struct peer *p, const char *what)
{
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    if (p->failed) {
        fprintf(stderr, "lbbench: %s: the peer thread failed\n", what);
        exit(1);
    }
}

DWORD WINAPI sink_main(void *arg)
{
    struct peer *p = arg;
    char *buf = malloc(MSG_BULK);
    long long left = p->count;
    while (buf && left > 0) {
        int n = recv(p->s, buf, MSG_BULK, 0);
        if (n <= 0)
            break;
        left -= n;
    }
    p->failed = !buf || left != 0;
    free(buf);
    return 0;
}

double timed_round_trips(const char *name, long long round_trips, exchange_fn exchange,
                         void *context)
{
    char out[MSG_SMALL], in[MSG_SMALL];
    double start = 0;
    for (long long i = 0; i < WARMUP_ROUND_TRIPS + round_trips; i++) {
        if (i == WARMUP_ROUND_TRIPS)
            start = now_seconds();
        memset(out, (int)(i & 0xff), sizeof(out));
        exchange(context, out, in);
        if (memcmp(in, out, MSG_SMALL) != 0) {
            fprintf(stderr, "lbbench: %s: echo differs at round trip %lld\n", name, i);
            exit(1);
        }
    }
    return now_seconds() - start;
}

HANDLE start_peer(LPTHREAD_START_ROUTINE main, struct peer *p)
{
    HANDLE thread = CreateThread(NULL, 0, main, p, 0, NULL);
    if (!thread)
        die("CreateThread");
    return thread;
}
