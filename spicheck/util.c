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

SOCKET sc_listener(int family, DWORD flags, int bufsize, struct sockaddr_storage *addr, int *len)
{
    SOCKET l = sock_listener(family, flags, bufsize, addr, len);

    sc_check_socket_route(l, SOCK_STREAM);
    return l;
}

void sc_tcp_pair(int family, DWORD flags, int bufsize, SOCKET *client, SOCKET *server)
{
    sock_tcp_pair(family, flags, bufsize, client, server);
    sc_check_socket_route(*client, SOCK_STREAM);
    sc_check_socket_route(*server, SOCK_STREAM);
}

void sc_udp_pair(int family, SOCKET *a, SOCKET *b, struct sockaddr_storage *bname, int *blen)
{
    sock_udp_pair(family, a, b, bname, blen);
    sc_check_socket_route(*a, SOCK_DGRAM);
    sc_check_socket_route(*b, SOCK_DGRAM);
}

void sc_set_nonblocking(SOCKET s, int on)
{
    u_long arg = on ? 1 : 0;

    sc_check(ioctlsocket(s, FIONBIO, &arg) == 0, "FIONBIO: %d", WSAGetLastError());
}

unsigned char *sc_pattern(size_t len, unsigned seed)
{
    unsigned char *p = malloc(len ? len : 1);

    sc_check(p != NULL, "out of memory (%lu bytes)", (unsigned long)len);
    pattern_fill(p, len, seed, 0);
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

void sc_drain_start(struct sock_drain *d, SOCKET s, size_t len, DWORD delay_ms)
{
    sc_check(sock_drain_start(d, s, len, delay_ms, SC_WAIT_MS),
             "cannot start a receiving thread: %lu", GetLastError());
}

void sc_drain_check(struct sock_drain *d, unsigned seed, size_t offset)
{
    size_t bad;

    sc_check(sock_drain_join(d), "the receiving thread did not finish");
    sc_check(d->got == d->len, "the peer received %lu of %lu bytes", (unsigned long)d->got,
             (unsigned long)d->len);
    bad = pattern_mismatch(d->buf, d->len, seed, offset);
    sc_check(bad == d->len, "the peer's bytes differ from what was sent at byte %lu of %lu",
             (unsigned long)bad, (unsigned long)d->len);
    sock_drain_free(d);
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

