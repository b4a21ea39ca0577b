/* SPDX-License-Identifier: MIT */
/* util.c: sockets, patterns and waits of the clause tests (see sc.h).
 * Adapted from test/loopback_util.c, without Check: a failed step ends
 * the child process with its reason. */
#include "sc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sc_family(int index)
{
    return index == 0 ? AF_INET : AF_INET6;
}

const char *sc_family_name(int family)
{
    return family == AF_INET6 ? "IPv6" : "IPv4";
}

void sc_require_arrangement(unsigned mask, const char *why)
{
    if (!(mask & SC_IN(sc_env.arrangement)))
        sc_skip("%s", why);
}

void sc_require_over(unsigned proto)
{
    if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & proto))
        sc_skip("the provider under test is not installed over %s (--over)",
                proto == SC_OVER_TCP ? "tcp" : "udp");
}

void sc_startup(void)
{
    WSADATA data;
    int rc = WSAStartup(MAKEWORD(2, 2), &data);

    sc_check(rc == 0, "WSAStartup(2.2) failed: %d", rc);
    sc_check(data.wVersion == MAKEWORD(2, 2), "WSAStartup negotiated %u.%u",
             LOBYTE(data.wVersion), HIBYTE(data.wVersion));
}

WSAPROTOCOL_INFOW *sc_read_catalog(int *count)
{
    return sc_read_catalog_with(WSCEnumProtocols, count);
}

WSAPROTOCOL_INFOW *sc_read_catalog_with(sc_enum_protocols enumerate, int *count)
{
    WSAPROTOCOL_INFOW *all = NULL;
    DWORD size = 0;
    int err = 0;

    for (;;) {
        *count = enumerate(NULL, all, &size, &err);
        if (*count != SOCKET_ERROR)
            return all;
        free(all);
        if (err != WSAENOBUFS || !(all = malloc(size)))
            return NULL;
    }
}

DWORD sc_provider_layered_id(const WSAPROTOCOL_INFOW *catalog, int count)
{
    for (int i = 0; i < count; i++)
        if (IsEqualGUID(&catalog[i].ProviderId, &sc_env.layered_guid) &&
            catalog[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL)
            return catalog[i].dwCatalogEntryId;
    return 0;
}

BOOL sc_is_provider_chain(const WSAPROTOCOL_INFOW *info, DWORD layered_id)
{
    return layered_id && info->ProtocolChain.ChainLen >= 2 &&
           info->ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN &&
           info->ProtocolChain.ChainEntries[0] == layered_id;
}

/* The provider's layered entry id, read once per child. */
static DWORD layered_id(void)
{
    static DWORD id;
    WSAPROTOCOL_INFOW *all;
    int n;

    if (!id) {
        all = sc_read_catalog(&n);
        sc_check(all != NULL, "WSCEnumProtocols failed");
        id = sc_provider_layered_id(all, n);
        free(all);
    }
    return id;
}

void sc_check_socket_route(SOCKET s, int type)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info), rc, err;
    BOOL ours;

    if (sc_env.arrangement == SC_HOST)
        return;
    rc = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);
    err = WSAGetLastError();
    sc_check(rc == 0, "SO_PROTOCOL_INFOW: error %d", err);
    ours = sc_env.arrangement == SC_LAYERED && sc_is_provider_chain(&info, layered_id());
    if (sc_env.arrangement == SC_FRONTEND) {
        sc_check(info.ProtocolChain.ChainLen == BASE_PROTOCOL,
                 "socket of catalog entry %lu (chain length %d), not a base entry: "
                 "is a layered provider installed?", (unsigned long)info.dwCatalogEntryId,
                 info.ProtocolChain.ChainLen);
        return;
    }
    if (sc_env.over & (type == SOCK_DGRAM ? SC_OVER_UDP : SC_OVER_TCP))
        sc_check(ours, "socket of catalog entry %lu (\"%ls\"), not of the provider under test",
                 (unsigned long)info.dwCatalogEntryId, info.szProtocol);
}

int sc_loopback(int family, struct sockaddr_storage *ss)
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

SOCKET sc_socket(int family, int type, DWORD flags)
{
    int proto = type == SOCK_DGRAM ? IPPROTO_UDP : IPPROTO_TCP;
    SOCKET s = WSASocketW(family, type, proto, NULL, 0, flags);
    int err = WSAGetLastError();

    sc_check(s != INVALID_SOCKET, "WSASocket(%s, %s) failed: %d (%s)", sc_family_name(family),
             type == SOCK_DGRAM ? "UDP" : "TCP", err, sc_error_name(err));
    sc_check_socket_route(s, type);
    return s;
}

void sc_set_bufs(SOCKET s, int bufsize)
{
    if (bufsize <= 0)
        return;
    sc_check(setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&bufsize, sizeof(bufsize)) == 0,
             "SO_SNDBUF: %d", WSAGetLastError());
    sc_check(setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&bufsize, sizeof(bufsize)) == 0,
             "SO_RCVBUF: %d", WSAGetLastError());
}

SOCKET sc_listener(int family, DWORD flags, int bufsize, struct sockaddr_storage *addr, int *len)
{
    struct sockaddr_storage any;
    int anylen = sc_loopback(family, &any);
    SOCKET l = sc_socket(family, SOCK_STREAM, flags);

    sc_set_bufs(l, bufsize);
    sc_check(bind(l, (struct sockaddr *)&any, anylen) == 0, "bind: %d", WSAGetLastError());
    sc_check(listen(l, 8) == 0, "listen: %d", WSAGetLastError());
    *len = sizeof(*addr);
    sc_check(getsockname(l, (struct sockaddr *)addr, len) == 0, "getsockname: %d",
             WSAGetLastError());
    return l;
}

void sc_tcp_pair(int family, DWORD flags, int bufsize, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sc_listener(family, flags, bufsize, &addr, &len);
    SOCKET c = sc_socket(family, SOCK_STREAM, flags), s;

    sc_set_bufs(c, bufsize);
    sc_check(connect(c, (struct sockaddr *)&addr, len) == 0, "connect: %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    sc_check(s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    sc_check_socket_route(s, SOCK_STREAM);
    closesocket(l);
    *client = c;
    *server = s;
}

static SOCKET udp_bound(int family, struct sockaddr_storage *name, int *len)
{
    struct sockaddr_storage any;
    int anylen = sc_loopback(family, &any);
    SOCKET s = sc_socket(family, SOCK_DGRAM, WSA_FLAG_OVERLAPPED);

    sc_check(bind(s, (struct sockaddr *)&any, anylen) == 0, "bind: %d", WSAGetLastError());
    *len = sizeof(*name);
    sc_check(getsockname(s, (struct sockaddr *)name, len) == 0, "getsockname: %d",
             WSAGetLastError());
    return s;
}

void sc_udp_pair(int family, SOCKET *a, SOCKET *b, struct sockaddr_storage *bname, int *blen)
{
    struct sockaddr_storage aname;
    int alen;

    *a = udp_bound(family, &aname, &alen);
    *b = udp_bound(family, bname, blen);
}

void sc_set_nonblocking(SOCKET s, int on)
{
    u_long arg = on ? 1 : 0;

    sc_check(ioctlsocket(s, FIONBIO, &arg) == 0, "FIONBIO: %d", WSAGetLastError());
}

/* xorshift of the position mixed with the seed: no short period, so a
 * reordered or duplicated chunk cannot match by accident. */
static unsigned char pattern_byte(unsigned seed, size_t i)
{
    unsigned long long x = (unsigned long long)i * 0x9E3779B97F4A7C15ull +
                           seed * 0xD1B54A32D192ED03ull + 1;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (unsigned char)x;
}

void sc_fill(unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern_byte(seed, offset + i);
}

size_t sc_mismatch(const unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pattern_byte(seed, offset + i))
            return i;
    return len;
}

unsigned char *sc_pattern(size_t len, unsigned seed)
{
    unsigned char *p = malloc(len ? len : 1);

    sc_check(p != NULL, "out of memory (%lu bytes)", (unsigned long)len);
    sc_fill(p, len, seed, 0);
    return p;
}

int sc_recv_datagram(SOCKET s, void *buf, int len)
{
    struct sockaddr_storage from;
    int fromlen = sizeof(from);

    if (sock_wait_readable(s, SC_WAIT_MS) != 1)
        return -1;
    return recvfrom(s, buf, len, 0, (struct sockaddr *)&from, &fromlen);
}

static DWORD WINAPI drain_main(void *arg)
{
    struct sc_drain *d = arg;

    Sleep(d->delay_ms);
    d->got = sock_recv_exact(d->s, d->buf, d->len, SC_WAIT_MS);
    return 0;
}

void sc_drain_start(struct sc_drain *d, SOCKET s, size_t len, DWORD delay_ms)
{
    d->s = s;
    d->len = len;
    d->delay_ms = delay_ms;
    d->got = 0;
    d->buf = malloc(len ? len : 1);
    sc_check(d->buf != NULL, "out of memory");
    d->thread = CreateThread(NULL, 0, drain_main, d, 0, NULL);
    sc_check(d->thread != NULL, "CreateThread: %lu", GetLastError());
}

void sc_drain_check(struct sc_drain *d, unsigned seed, size_t offset)
{
    DWORD w = WaitForSingleObject(d->thread, 4 * SC_WAIT_MS + d->delay_ms);
    size_t bad;

    sc_check(w == WAIT_OBJECT_0, "the receiving thread did not finish");
    CloseHandle(d->thread);
    sc_check(d->got == d->len, "the peer received %lu of %lu bytes", (unsigned long)d->got,
             (unsigned long)d->len);
    bad = sc_mismatch(d->buf, d->len, seed, offset);
    sc_check(bad == d->len, "the peer's bytes differ from what was sent at byte %lu of %lu",
             (unsigned long)bad, (unsigned long)d->len);
    free(d->buf);
    d->buf = NULL;
}

void CALLBACK sc_log_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    struct sc_routine_log *log = (struct sc_routine_log *)ov->hEvent;
    LONG depth = InterlockedIncrement(&log->depth);

    if (depth > log->max_depth)
        log->max_depth = depth;
    log->thread = GetCurrentThreadId();
    log->error = error;
    log->bytes = bytes;
    log->flags = flags;
    log->ov = ov;
    InterlockedIncrement(&log->calls);
    InterlockedDecrement(&log->depth);
}

void sc_wait_calls(struct sc_routine_log *log, LONG at_least, DWORD timeout_ms)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms;

    while (log->calls < at_least && GetTickCount64() < deadline)
        SleepEx(10, TRUE);
}

void sc_send_pending(SOCKET c, WSABUF *bufs, DWORD n, WSAOVERLAPPED *ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    DWORD sent = 0xdeadbeef;
    int rc = WSASend(c, bufs, n, &sent, 0, ov, routine);
    int err = WSAGetLastError();

    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING,
             "WSASend returned %d, error %d (%s): expected WSA_IO_PENDING", rc, err,
             sc_error_name(err));
    sc_check(sent == 0xdeadbeef, "lpNumberOfBytesSent changed to %lu while pending", sent);
}

void *sc_extension(SOCKET s, GUID guid)
{
    void *fn = NULL;
    DWORD bytes = 0;
    int rc = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid),
                      &fn, sizeof(fn), &bytes, NULL, NULL);
    int err = WSAGetLastError();

    sc_check(rc == 0 && fn != NULL, "SIO_GET_EXTENSION_FUNCTION_POINTER failed: %d", err);
    return fn;
}
