/* SPDX-License-Identifier: MIT */
/* layered_capture_peer.c: the far end of test/layered_capture.c's
 * conversations, in a process of its own (see test/layered_capture.h).
 *
 * Usage: layered_capture_peer.exe PORT0 ... PORT5 [layered]
 * PORTn is the test's port of conversation n on the loopback address.
 * Conversation 2 connects as Go's dialer does, with ConnectEx without data.
 * Sends its bytes, receives and checks the test's; `layered` requires its
 * TCP sockets to come from a layered chain. Exits 0 when all held, else
 * prints what failed and exits 1 (2: bad usage). No Check here: the test
 * judges by the exit code. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layered_capture.h"
#include "sockwait.h"

static int fail(int conv, const char *what, int err)
{
    fprintf(stderr, "layered_capture_peer: conversation %d: %s (error %d)\n", conv, what, err);
    return 0;
}

static int address(int conv, unsigned short port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (lc_is_ipv6(conv)) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        a->sin6_port = htons(port);
        return sizeof(*a);
    }
    struct sockaddr_in *a = (struct sockaddr_in *)ss;
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a->sin_port = htons(port);
    return sizeof(*a);
}

/* The peer builds its sockets itself; sockwait.c's builders, which would
 * call this, are not used. It is here because linking the waits needs it. */
void sock_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    exit(1);
}

static int readable(SOCKET s)
{
    return sock_wait_readable(s, LC_WAIT_MS) == 1;
}

/* Checks LEN received bytes against SEED from stream offset OFF. */
static int matches(const unsigned char *buf, size_t len, unsigned seed, size_t off)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != lc_byte(seed, off + i))
            return 0;
    return 1;
}

/* Go's dialer: bind, then ConnectEx without data, waited for on an event. */
static int connect_ex(int conv, SOCKET s, const struct sockaddr *to, int len)
{
    GUID guid = WSAID_CONNECTEX;
    LPFN_CONNECTEX connect_fn = NULL;
    struct sockaddr_storage me;
    int melen = address(conv, 0, &me);
    OVERLAPPED ov = { 0 };
    DWORD n = 0, flags = 0;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &connect_fn,
                 sizeof(connect_fn), &n, NULL, NULL))
        return fail(conv, "no ConnectEx", WSAGetLastError());
    if (bind(s, (struct sockaddr *)&me, melen))
        return fail(conv, "bind", WSAGetLastError());
    if (!(ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL)))
        return fail(conv, "CreateEvent", (int)GetLastError());
    int ok = connect_fn(s, to, len, NULL, 0, &n, &ov) || WSAGetLastError() == WSA_IO_PENDING ||
             fail(conv, "ConnectEx", WSAGetLastError());
    ok = ok && (WaitForSingleObject(ov.hEvent, LC_WAIT_MS) == WAIT_OBJECT_0 ||
                fail(conv, "ConnectEx did not complete", 0));
    ok = ok && (WSAGetOverlappedResult(s, &ov, &n, FALSE, &flags) ||
                fail(conv, "ConnectEx failed", WSAGetLastError()));
    ok = ok && (setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) == 0 ||
                fail(conv, "SO_UPDATE_CONNECT_CONTEXT", WSAGetLastError()));
    CloseHandle(ov.hEvent);
    return ok;
}

static int tcp(int conv, unsigned short port, unsigned char *buf)
{
    struct sockaddr_storage to;
    int len = address(conv, port, &to);
    SOCKET s = socket(to.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        return fail(conv, "socket", WSAGetLastError());
    int ok = lc_accept_style(conv) == LC_ACCEPTEX_GO
                 ? connect_ex(conv, s, (struct sockaddr *)&to, len)
                 : connect(s, (struct sockaddr *)&to, len) == 0 ||
                       fail(conv, "connect", WSAGetLastError());
    size_t up = lc_total(conv, 1), down = lc_total(conv, 0), got = 0;
    for (size_t i = 0; i < up; i++)
        buf[i] = lc_byte(lc_seed(conv, 1), i);
    for (size_t off = 0; ok && off < up;) {
        size_t want = up - off < LC_TCP_CALL ? up - off : LC_TCP_CALL;
        int n = send(s, (char *)buf + off, (int)want, 0);
        if (n <= 0)
            ok = fail(conv, "send", WSAGetLastError());
        else
            off += (size_t)n;
    }
    while (ok && got < down) {
        int n = readable(s) ? recv(s, (char *)buf + got, (int)(down - got), 0) : -1;
        if (n <= 0)
            ok = fail(conv, "recv", n < 0 ? WSAGetLastError() : 0);
        else
            got += (size_t)n;
    }
    if (ok && !matches(buf, down, lc_seed(conv, 0), 0))
        ok = fail(conv, "the test's bytes are wrong", 0);
    closesocket(s);
    return ok;
}

static int udp(int conv, unsigned short port, unsigned char *buf)
{
    struct sockaddr_storage to, me, from;
    int tolen = address(conv, port, &to), melen = address(conv, 0, &me);
    SOCKET s = socket(to.ss_family, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET)
        return fail(conv, "socket", WSAGetLastError());
    int ok = bind(s, (struct sockaddr *)&me, melen) == 0 || fail(conv, "bind", WSAGetLastError());
    size_t off = 0;
    for (int i = 0; ok && i < LC_DGRAMS; i++) {
        size_t n = lc_dgram_size(i);
        for (size_t k = 0; k < n; k++)
            buf[k] = lc_byte(lc_seed(conv, 1), off + k);
        if (sendto(s, (char *)buf, (int)n, 0, (struct sockaddr *)&to, tolen) != (int)n)
            ok = fail(conv, "sendto", WSAGetLastError());
        off += n;
    }
    off = 0;
    for (int i = 0; ok && i < LC_DGRAMS; i++) {
        int fromlen = sizeof(from);
        int n = readable(s) ? recvfrom(s, (char *)buf, 65536, 0, (struct sockaddr *)&from, &fromlen) : -1;
        if (n != (int)lc_dgram_size(i))
            ok = fail(conv, "recvfrom: wrong size", n < 0 ? WSAGetLastError() : n);
        else if (!matches(buf, (size_t)n, lc_seed(conv, 0), off))
            ok = fail(conv, "the test's datagram is wrong", i);
        off += lc_dgram_size(i);
    }
    closesocket(s);
    return ok;
}

static int layered_chain(void)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info), layered = 0;
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    if (s != INVALID_SOCKET && !getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len))
        layered = info.ProtocolChain.ChainLen > 1;
    if (s != INVALID_SOCKET)
        closesocket(s);
    return layered;
}

int main(int argc, char **argv)
{
    WSADATA data;
    unsigned short ports[LC_CONVERSATIONS];
    if (argc < 1 + LC_CONVERSATIONS || argc > 2 + LC_CONVERSATIONS
        || (argc == 2 + LC_CONVERSATIONS && strcmp(argv[argc - 1], "layered") != 0)) {
        fprintf(stderr, "usage: %s PORT0 ... PORT%d [layered]\n", argv[0], LC_CONVERSATIONS - 1);
        return 2;
    }
    for (int i = 0; i < LC_CONVERSATIONS; i++) {
        long p = strtol(argv[1 + i], NULL, 10);
        if (p <= 0 || p > 65535) {
            fprintf(stderr, "layered_capture_peer: bad port '%s'\n", argv[1 + i]);
            return 2;
        }
        ports[i] = (unsigned short)p;
    }
    if (WSAStartup(MAKEWORD(2, 2), &data)) {
        fprintf(stderr, "layered_capture_peer: WSAStartup failed\n");
        return 1;
    }
    unsigned char *buf = malloc(65536 + LC_TCP_UP);
    int ok = buf != NULL;
    if (ok && argc == 2 + LC_CONVERSATIONS && !layered_chain())
        ok = fail(-1, "TCP sockets do not come from a layered chain", 0);
    for (int conv = 0; ok && conv < LC_CONVERSATIONS; conv++)
        ok = lc_is_tcp(conv) ? tcp(conv, ports[conv], buf) : udp(conv, ports[conv], buf);
    free(buf);
    WSACleanup();
    return ok ? 0 : 1;
}
