/* SPDX-License-Identifier: MIT */
/* loopback_util.c: socket pairs, patterns, waits and main() of the loopback
 * test programs (see loopback_util.h). */
#include "loopback_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A program that has not finished after this long is hung: there is no
 * per-test timeout without fork, so one watchdog guards the whole run. It
 * fires before scripts/run-tests.sh's default limit (120 s), so that the
 * log says what happened; the programs take a few seconds. */
#define LB_WATCHDOG_MS 100000

int lb_family(int index)
{
    return index == 0 ? AF_INET : AF_INET6;
}

void lb_setup(void)
{
    WSADATA data;
    int rc = WSAStartup(MAKEWORD(2, 2), &data);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(data.wVersion, MAKEWORD(2, 2));
}

void lb_teardown(void)
{
    WSACleanup();
}

TCase *lb_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, lb_setup, lb_teardown);
    return tc;
}

TCase *lb_tcase_tagged(const char *name, const char *tag)
{
    TCase *tc = lb_tcase(name);
    tcase_set_tags(tc, tag);
    return tc;
}

int lb_loopback(int family, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        return sizeof(*sin6);
    }
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof(*sin);
}

static void set_bufs(SOCKET s, int bufsize)
{
    if (bufsize <= 0)
        return;
    ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&bufsize, sizeof(bufsize)), 0);
    ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&bufsize, sizeof(bufsize)), 0);
}

SOCKET lb_listener(int family, DWORD flags, int bufsize,
                   struct sockaddr_storage *addr, int *len)
{
    struct sockaddr_storage any;
    int anylen = lb_loopback(family, &any);
    SOCKET l = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    ck_assert_msg(l != INVALID_SOCKET, "WSASocket(listener) failed: %d", WSAGetLastError());
    set_bufs(l, bufsize);
    ck_assert_msg(bind(l, (struct sockaddr *)&any, anylen) == 0, "bind: %d", WSAGetLastError());
    ck_assert_msg(listen(l, 8) == 0, "listen: %d", WSAGetLastError());
    *len = sizeof(*addr);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)addr, len), 0);
    return l;
}

void lb_tcp_pair(int family, DWORD flags, int bufsize, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = lb_listener(family, flags, bufsize, &addr, &len);
    SOCKET c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    ck_assert_msg(c != INVALID_SOCKET, "WSASocket(client) failed: %d", WSAGetLastError());
    set_bufs(c, bufsize);
    ck_assert_msg(connect(c, (struct sockaddr *)&addr, len) == 0, "connect: %d", WSAGetLastError());
    SOCKET s = accept(l, NULL, NULL);
    ck_assert_msg(s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    closesocket(l);
    *client = c;
    *server = s;
}

static SOCKET udp_bound(int family, struct sockaddr_storage *name, int *len)
{
    struct sockaddr_storage any;
    int anylen = lb_loopback(family, &any);
    SOCKET s = socket(family, SOCK_DGRAM, IPPROTO_UDP);
    ck_assert_msg(s != INVALID_SOCKET, "socket(UDP): %d", WSAGetLastError());
    ck_assert_msg(bind(s, (struct sockaddr *)&any, anylen) == 0, "bind: %d", WSAGetLastError());
    *len = sizeof(*name);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)name, len), 0);
    return s;
}

void lb_udp_pair(int family, SOCKET *a, SOCKET *b,
                 struct sockaddr_storage *bname, int *blen)
{
    struct sockaddr_storage aname;
    int alen;
    *a = udp_bound(family, &aname, &alen);
    *b = udp_bound(family, bname, blen);
}

void lb_set_nonblocking(SOCKET s, int on)
{
    u_long arg = on ? 1 : 0;
    ck_assert_int_eq(ioctlsocket(s, FIONBIO, &arg), 0);
}

/* xorshift of the position mixed with the seed: no short period, so a
 * reordered or duplicated chunk cannot match by accident. */
static unsigned char pattern_byte(unsigned seed, size_t i)
{
    unsigned long long x = (unsigned long long)i * 0x9E3779B97F4A7C15ull + seed * 0xD1B54A32D192ED03ull + 1;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (unsigned char)x;
}

void lb_fill(unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern_byte(seed, offset + i);
}

size_t lb_mismatch(const unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pattern_byte(seed, offset + i))
            return i;
    return len;
}

static DWORD WINAPI drain_main(void *arg)
{
    struct lb_drain *d = arg;
    Sleep(d->delay_ms);
    d->got = sock_recv_exact(d->s, d->buf, d->len, LB_WAIT_MS);
    return 0;
}

void lb_drain_start(struct lb_drain *d, SOCKET s, size_t len, DWORD delay_ms)
{
    d->s = s;
    d->len = len;
    d->delay_ms = delay_ms;
    d->got = 0;
    d->buf = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(d->buf);
    d->thread = CreateThread(NULL, 0, drain_main, d, 0, NULL);
    ck_assert_ptr_nonnull(d->thread);
}

void lb_drain_join(struct lb_drain *d)
{
    DWORD w = WaitForSingleObject(d->thread, 4 * LB_WAIT_MS + d->delay_ms);
    ck_assert_msg(w == WAIT_OBJECT_0, "receiver thread did not finish");
    CloseHandle(d->thread);
    d->thread = NULL;
    ck_assert_msg(d->got == d->len, "receiver got %lu of %lu bytes", (unsigned long)d->got, (unsigned long)d->len);
}

void lb_drain_free(struct lb_drain *d)
{
    free(d->buf);
    d->buf = NULL;
}

void *lb_extension(SOCKET s, GUID guid)
{
    void *fn = NULL;
    DWORD bytes = 0;
    int rc = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                      &fn, sizeof(fn), &bytes, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "SIO_GET_EXTENSION_FUNCTION_POINTER failed: %d", err);
    ck_assert_int_eq(bytes, sizeof(fn));
    ck_assert_ptr_nonnull(fn);
    return fn;
}

static DWORD WINAPI watchdog_main(void *arg)
{
    (void)arg;
    Sleep(LB_WATCHDOG_MS);
    fprintf(stderr, "watchdog: no result after %u ms, giving up (hung test)\n", LB_WATCHDOG_MS);
    fflush(stderr);
    ExitProcess(3);
}

/* The tags of the test cases NOT to run, from the expectation arguments;
 * NULL when they make no sense. */
static const char *excluded_tags(int argc, char **argv)
{
    const char *expect = argc > 1 ? argv[1] : "documents";
    BOOL layered = argc == 3 && strcmp(argv[2], "layered") == 0;

    if (argc > 3 || (argc == 3 && !layered))
        return NULL;
    if (strcmp(expect, "documents") == 0)
        return layered ? LB_WINE_DEPARTURE " " LB_PORT_AWARE
                       : LB_WINE_DEPARTURE " " LB_LAYERED_DEPARTURE;
    if (strcmp(expect, "wine") == 0)
        return layered ? LB_DOCUMENTED " " LB_PORT_AWARE
                       : LB_DOCUMENTED " " LB_LAYERED_DEPARTURE;
    return NULL;
}

/* With the `layered` argument, a TCP socket must come from a layered chain
 * (ChainLen > 1): otherwise the run would pass without the provider it is
 * meant to test. */
static BOOL layered_provider_in_path(void)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info);
    WSADATA data;
    SOCKET s;
    BOOL layered = FALSE;

    if (WSAStartup(MAKEWORD(2, 2), &data))
        return FALSE;
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s != INVALID_SOCKET
        && !getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len))
        layered = info.ProtocolChain.ChainLen > 1;
    if (s != INVALID_SOCKET)
        closesocket(s);
    WSACleanup();
    return layered;
}

int main(int argc, char **argv)
{
    /* Unbuffered output, so that what a hung program printed is not lost. */
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *exclude = excluded_tags(argc, argv);
    if (!exclude) {
        fprintf(stderr, "usage: %s [documents|wine [layered]]\n"
                "  documents  expect the documented behaviour everywhere (default)\n"
                "  wine       expect Wine's ws2_32 where it departs (tests *_wine_departure_*)\n"
                "  layered    a non-IFS layered provider is in the path (tests *_layered_departure_*)\n",
                argv[0]);
        return 2;
    }
    if (argc == 3 && !layered_provider_in_path()) {
        fprintf(stderr, "layered: TCP sockets do not come from a layered chain\n");
        return 2;
    }
    HANDLE dog = CreateThread(NULL, 0, watchdog_main, NULL, 0, NULL);
    if (!dog) {
        fprintf(stderr, "cannot start the watchdog thread\n");
        return 2;
    }
    SRunner *sr = srunner_create(lb_suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_tagged(sr, NULL, NULL, NULL, exclude, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
