/* lbbench.c: loopback TCP micro-benchmark, linked against plain -lws2_32 so
 * that the same binary measures Wine's own ws2_32 and the lspkit front end
 * (bench/run.sh runs it both ways, interleaved).
 *
 *   lbbench.exe [pingpong ROUND_TRIPS] [bulk MIB]
 *
 * pingpong: ROUND_TRIPS exchanges of a 64-byte message between two threads
 *           over one TCP_NODELAY connection (latency-bound).
 * bulk:     MIB messages of 1 MiB sent one way and read by another thread
 *           (throughput-bound).
 * Without arguments both run with their defaults (20000 round trips,
 * 256 MiB). Output: one "NAME VALUE" line per figure; the rates end in
 * _per_s. Exit code 0 on success, 1 on any socket error (with a message). */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_SMALL 64
#define MSG_BULK (1 << 20)
#define WARMUP_ROUND_TRIPS 500

static void die(const char *what)
{
    fprintf(stderr, "lbbench: %s failed: %d\n", what, WSAGetLastError());
    exit(1);
}

static double now_seconds(void)
{
    static LARGE_INTEGER freq;
    LARGE_INTEGER t;
    if (!freq.QuadPart)
        QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)freq.QuadPart;
}

/* A connected TCP pair on 127.0.0.1. */
static void tcp_pair(SOCKET *client, SOCKET *server)
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

static void nodelay(SOCKET s)
{
    BOOL on = TRUE;
    if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (char *)&on, sizeof(on)))
        die("TCP_NODELAY");
}

/* Receives exactly LEN bytes; 0 on success, -1 on error or end of stream. */
static int recv_exact(SOCKET s, char *buf, int len)
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

static int send_all(SOCKET s, const char *buf, int len)
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

struct peer {
    SOCKET s;
    long long count;    /* round trips to echo, or bytes to read */
    int failed;
};

static DWORD WINAPI echo_main(void *arg)
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

static void join(HANDLE thread, const struct peer *p, const char *what)
{
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    if (p->failed) {
        fprintf(stderr, "lbbench: %s: the peer thread failed\n", what);
        exit(1);
    }
}

/* Round trips of 64 bytes; the echoed bytes must equal the sent ones. */
static void pingpong(long long round_trips)
{
    SOCKET c, s;
    tcp_pair(&c, &s);
    nodelay(c);
    nodelay(s);
    struct peer echo = { s, WARMUP_ROUND_TRIPS + round_trips, 0 };
    HANDLE thread = CreateThread(NULL, 0, echo_main, &echo, 0, NULL);
    if (!thread)
        die("CreateThread");

    char out[MSG_SMALL], in[MSG_SMALL];
    double start = 0;
    for (long long i = 0; i < WARMUP_ROUND_TRIPS + round_trips; i++) {
        if (i == WARMUP_ROUND_TRIPS)
            start = now_seconds();
        memset(out, (int)(i & 0xff), sizeof(out));
        if (send_all(c, out, MSG_SMALL) || recv_exact(c, in, MSG_SMALL))
            die("ping-pong send/recv");
        if (memcmp(in, out, MSG_SMALL) != 0) {
            fprintf(stderr, "lbbench: ping-pong: echo differs at round trip %lld\n", i);
            exit(1);
        }
    }
    double seconds = now_seconds() - start;
    join(thread, &echo, "ping-pong");
    closesocket(c);
    closesocket(s);
    printf("pingpong_round_trips %lld\n", round_trips);
    printf("pingpong_seconds %.4f\n", seconds);
    printf("pingpong_rt_per_s %.1f\n", (double)round_trips / seconds);
}

static DWORD WINAPI sink_main(void *arg)
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
    HANDLE thread = CreateThread(NULL, 0, sink_main, &sink, 0, NULL);
    if (!thread)
        die("CreateThread");
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

int main(int argc, char **argv)
{
    long long round_trips = 20000, mib = 256;
    int want_pingpong = argc == 1, want_bulk = argc == 1;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc || (strcmp(argv[i], "pingpong") && strcmp(argv[i], "bulk"))) {
            fprintf(stderr, "usage: %s [pingpong ROUND_TRIPS] [bulk MIB]\n", argv[0]);
            return 2;
        }
        if (!strcmp(argv[i], "pingpong")) {
            want_pingpong = 1;
            round_trips = count_arg(argv[i + 1]);
        } else {
            want_bulk = 1;
            mib = count_arg(argv[i + 1]);
        }
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    WSADATA data;
    if (WSAStartup(MAKEWORD(2, 2), &data))
        die("WSAStartup");
    if (want_pingpong)
        pingpong(round_trips);
    if (want_bulk)
        bulk(mib);
    WSACleanup();
    return 0;
}
