/* SPDX-License-Identifier: MIT */
/* t_layered.c: the layered provider's own duties seen through ws2_32
 * (L02 L05 L06 L07 L08). L06-L08 hold for any Winsock, so they run in
 * every arrangement: the host's answers are the baseline the others must
 * give. Adapted from test/loopback_ext.c, loopback_ready.c and
 * layered_chain*.c. */
#include "sc.h"
#include "layered_install.h"

#include <stdlib.h>
#include <string.h>

/* L02's second layer: the provider under test once more, over its own
 * chains. */
static const GUID layer2_guid = { 0x5c1c0003, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };
static const GUID layer2_chain_guid = { 0x5c1c0004, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };

void sc_remove_second_layer(void)
{
    struct layered_install stale = { 0 };

    stale.layered_guid = layer2_guid;
    stale.chain_guid = layer2_chain_guid;
    layered_uninstall(&stale);
}

/* The catalog, allocated. */
static WSAPROTOCOL_INFOW *catalog(int *count)
{
    WSAPROTOCOL_INFOW *all = sc_read_catalog(count);

    sc_check(all != NULL, "WSCEnumProtocols failed");
    return all;
}

/* The provider's chain entry of FAMILY and TYPE, -1 when it has none. */
static int chain_of(const WSAPROTOCOL_INFOW *all, int n, DWORD layered_id, int family, int type)
{
    for (int i = 0; i < n; i++)
        if (sc_is_provider_chain(&all[i], layered_id) && all[i].iAddressFamily == family &&
            all[i].iSocketType == type)
            return i;
    return -1;
}

static WSAPROTOCOL_INFOW protocol_info(SOCKET s)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info), rc = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);

    sc_check(rc == 0, "SO_PROTOCOL_INFOW: %d", WSAGetLastError());
    return info;
}

/* L02: the provider finds its next link from its chain entry: installed
 * a second time over its own chains, a socket of the three-link chain
 * carries a stream both ways and an overlapped send. */
void t_L02(void)
{
    WSAPROTOCOL_INFOW *all, info;
    struct layered_install second;
    struct sockaddr_storage addr;
    DWORD over[1];
    SOCKET l, c, s;
    int n, i, len, err;
    unsigned char *out = sc_pattern(300000, 2), in[16];
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 300000, (char *)out };
    struct sc_drain d;
    DWORD bytes = 0, flags = 0;

    sc_require_arrangement(SC_IN(SC_LAYERED), "a duty of the layered provider");
    sc_require_over(SC_OVER_TCP);
    all = catalog(&n);
    i = chain_of(all, n, sc_provider_layered_id(all, n), AF_INET, SOCK_STREAM);
    sc_check(i >= 0, "no IPv4 TCP chain entry of the provider");
    over[0] = all[i].dwCatalogEntryId;
    free(all);
    err = layered_install(sc_env.provider, &layer2_guid, &layer2_chain_guid, over, 1, &second);
    sc_check(err == 0, "installing the provider over itself: WSC error %d", err);
    /* Winsock reads the catalog at WSAStartup: start it with the new chain. */
    sc_startup();

    l = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    sc_check(l != INVALID_SOCKET, "socket over the three-link chain: %d", WSAGetLastError());
    info = protocol_info(l);
    sc_check(IsEqualGUID(&info.ProviderId, &layer2_chain_guid) && info.ProtocolChain.ChainLen == 3,
             "a new socket has chain length %d, not the three-link chain",
             info.ProtocolChain.ChainLen);
    len = sc_loopback(AF_INET, &addr);
    sc_check(bind(l, (struct sockaddr *)&addr, len) == 0 && listen(l, 4) == 0, "bind/listen: %d",
             WSAGetLastError());
    len = sizeof(addr);
    getsockname(l, (struct sockaddr *)&addr, &len);
    c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    sc_check(c != INVALID_SOCKET && connect(c, (struct sockaddr *)&addr, len) == 0,
             "connect over the three-link chain: %d", WSAGetLastError());
    s = accept(l, NULL, NULL);
    sc_check(s != INVALID_SOCKET, "accept over the three-link chain: %d", WSAGetLastError());
    ov.hEvent = WSACreateEvent();
    sc_drain_start(&d, s, 300000, 0);
    if (WSASend(c, &buf, 1, &bytes, 0, &ov, NULL))
        sc_check(WSAGetLastError() == WSA_IO_PENDING, "overlapped WSASend: %d", WSAGetLastError());
    sc_check(WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags) && bytes == 300000,
             "overlapped send over three links: %lu bytes (error %d)", bytes, WSAGetLastError());
    sc_drain_check(&d, 2, 0);
    sc_check(send(s, "back", 4, 0) == 4, "send back: %d", WSAGetLastError());
    sc_check(sock_recv_exact(c, in, 4, SC_WAIT_MS) == 4 && !memcmp(in, "back", 4), "reply lost");
    closesocket(c);
    closesocket(s);
    closesocket(l);
    WSACloseEvent(ov.hEvent);
    free(out);
    layered_uninstall(&second);
}

/* L05: SO_PROTOCOL_INFOW of a provider socket is its chain entry as the
 * catalog lists it (TCP and UDP, IPv4 and IPv6), not the base entry. */
void t_L05(void)
{
    static const int types[2] = { SOCK_STREAM, SOCK_DGRAM };
    WSAPROTOCOL_INFOW *all, info;
    DWORD layered;
    int n;

    sc_require_arrangement(SC_IN(SC_LAYERED), "a duty of the layered provider");
    all = catalog(&n);
    layered = sc_provider_layered_id(all, n);
    sc_check(layered != 0, "the provider's layered entry is not in the catalog");
    for (int f = 0; f < SC_FAMILIES; f++)
        for (int t = 0; t < 2; t++) {
            int i = chain_of(all, n, layered, sc_family(f), types[t]);
            if (i < 0)
                continue;
            SOCKET s = sc_socket(sc_family(f), types[t], WSA_FLAG_OVERLAPPED);
            info = protocol_info(s);
            sc_check(info.dwCatalogEntryId == all[i].dwCatalogEntryId &&
                     IsEqualGUID(&info.ProviderId, &all[i].ProviderId),
                     "%s %s socket: entry %lu, the chain entry is %lu", sc_family_name(sc_family(f)),
                     t ? "UDP" : "TCP", (unsigned long)info.dwCatalogEntryId,
                     (unsigned long)all[i].dwCatalogEntryId);
            sc_check(!memcmp(&info.ProtocolChain, &all[i].ProtocolChain, sizeof(info.ProtocolChain)) &&
                     info.ProtocolChain.ChainEntries[0] == layered,
                     "the socket's protocol chain is not its chain entry's");
            sc_check(info.iAddressFamily == all[i].iAddressFamily &&
                     info.iSocketType == all[i].iSocketType &&
                     info.iProtocol == all[i].iProtocol &&
                     !wcscmp(info.szProtocol, all[i].szProtocol),
                     "the socket's protocol info differs from its chain entry (\"%ls\")",
                     info.szProtocol);
            closesocket(s);
        }
    free(all);
}

/* --- L06 ---------------------------------------------------------------- */

static int same_endpoint(const struct sockaddr *a, const struct sockaddr *b)
{
    if (a->sa_family != b->sa_family)
        return 0;
    if (a->sa_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port && !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
}

/* An extension call returned OK, or FALSE with ERR == WSA_IO_PENDING:
 * waits for it and returns the byte count. */
static DWORD finish(const char *what, SOCKET s, BOOL ok, int err, WSAOVERLAPPED *ov)
{
    DWORD bytes = 0, flags = 0;
    BOOL done;

    sc_check(ok || err == WSA_IO_PENDING, "%s failed: %d (%s)", what, err, sc_error_name(err));
    done = WSAGetOverlappedResult(s, ov, &bytes, TRUE, &flags);
    err = WSAGetLastError();
    sc_check(done, "%s completed with error %d (%s)", what, err, sc_error_name(err));
    return bytes;
}

#define ADDR_SPACE (sizeof(struct sockaddr_in6) + 16)

static void connectex_acceptex(int family)
{
    static const GUID g_connectex = WSAID_CONNECTEX, g_acceptex = WSAID_ACCEPTEX,
                      g_sockaddrs = WSAID_GETACCEPTEXSOCKADDRS, g_disconnectex = WSAID_DISCONNECTEX;
    struct sockaddr_storage addr, any, cname;
    int len, anylen = sc_loopback(family, &any), clen = sizeof(cname), llen = 0, rlen = 0, err;
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    SOCKET a = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    SOCKET c = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    LPFN_ACCEPTEX acceptex = (LPFN_ACCEPTEX)sc_extension(l, g_acceptex);
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)sc_extension(l, g_sockaddrs);
    LPFN_CONNECTEX connectex = (LPFN_CONNECTEX)sc_extension(c, g_connectex);
    LPFN_DISCONNECTEX disconnectex = (LPFN_DISCONNECTEX)sc_extension(c, g_disconnectex);
    char abuf[16 + 2 * ADDR_SPACE], in[8];
    WSAOVERLAPPED aov = { 0 }, cov = { 0 }, dov = { 0 };
    struct sockaddr *local = NULL, *remote = NULL;
    DWORD got = 0, sent = 0;
    BOOL ok;

    aov.hEvent = WSACreateEvent();
    cov.hEvent = WSACreateEvent();
    dov.hEvent = WSACreateEvent();
    ok = acceptex(l, a, abuf, 16, ADDR_SPACE, ADDR_SPACE, &got, &aov);
    err = WSAGetLastError();
    sc_check(!ok && err == WSA_IO_PENDING, "AcceptEx before any client: %d, error %d", ok, err);
    sc_check(bind(c, (struct sockaddr *)&any, anylen) == 0, "bind: %d", WSAGetLastError());
    ok = connectex(c, (struct sockaddr *)&addr, len, "sixteen bytes!!!", 16, &sent, &cov);
    err = WSAGetLastError();
    sc_check(finish("ConnectEx", c, ok, err, &cov) == 16, "ConnectEx sent the wrong count");
    sc_check(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) == 0,
             "SO_UPDATE_CONNECT_CONTEXT: %d", WSAGetLastError());
    sc_check(getsockname(c, (struct sockaddr *)&cname, &clen) == 0, "getsockname");
    sc_check(finish("AcceptEx", l, FALSE, WSA_IO_PENDING, &aov) == 16, "AcceptEx count");
    sc_check(!memcmp(abuf, "sixteen bytes!!!", 16), "AcceptEx got the wrong first bytes");
    sockaddrs(abuf, 16, ADDR_SPACE, ADDR_SPACE, &local, &llen, &remote, &rlen);
    sc_check(local && remote && same_endpoint(local, (struct sockaddr *)&addr) &&
             same_endpoint(remote, (struct sockaddr *)&cname),
             "GetAcceptExSockaddrs gave the wrong addresses");
    sc_check(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)) == 0,
             "SO_UPDATE_ACCEPT_CONTEXT: %d", WSAGetLastError());
    sc_check(send(a, "ack", 3, 0) == 3, "send on the accepted socket: %d", WSAGetLastError());
    sc_check(sock_recv_exact(c, in, 3, SC_WAIT_MS) == 3 && !memcmp(in, "ack", 3), "reply lost");
    ok = disconnectex(c, &dov, 0, 0);
    err = WSAGetLastError();
    finish("DisconnectEx", c, ok, err, &dov);
    sc_check(sock_wait_readable(a, SC_WAIT_MS) == 1 && recv(a, in, sizeof(in), 0) == 0,
             "the peer did not see the disconnect");
    WSACloseEvent(aov.hEvent);
    WSACloseEvent(cov.hEvent);
    WSACloseEvent(dov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void transmitfile(int family)
{
    static const GUID g_transmitfile = WSAID_TRANSMITFILE;
    const DWORD size = 200000;
    SOCKET c, s;
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    HANDLE file;
    unsigned char *data = sc_pattern(size + 8, 67);
    DWORD written = 0;
    WSAOVERLAPPED ov = { 0 };
    struct sc_drain d;
    LPFN_TRANSMITFILE tf;
    BOOL ok;
    int err;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    tf = (LPFN_TRANSMITFILE)sc_extension(c, g_transmitfile);
    sc_check(GetTempPathW(MAX_PATH, dir) && GetTempFileNameW(dir, L"spc", 0, path), "temp file");
    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    sc_check(file != INVALID_HANDLE_VALUE, "CreateFile: %lu", GetLastError());
    sc_check(WriteFile(file, data + 4, size, &written, NULL) && written == size, "WriteFile");
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    TRANSMIT_FILE_BUFFERS tfb = { data, 4, data + 4 + size, 4 };
    sc_drain_start(&d, s, size + 8, 0);
    ov.hEvent = WSACreateEvent();
    ok = tf(c, file, 0, 0, &ov, &tfb, 0);
    err = WSAGetLastError();
    sc_check(finish("TransmitFile", c, ok, err, &ov) == size + 8, "TransmitFile count");
    sc_drain_check(&d, 67, 0);
    WSACloseEvent(ov.hEvent);
    CloseHandle(file);
    free(data);
    closesocket(c);
    closesocket(s);
}

static void sendmsg_recvmsg(int family)
{
    static const GUID g_sendmsg = WSAID_WSASENDMSG, g_recvmsg = WSAID_WSARECVMSG;
    SOCKET a, b;
    struct sockaddr_storage bname, aname, from;
    int blen, alen = sizeof(aname), rc, err;
    unsigned char out[300], in[400];
    WSABUF bufs[2] = { { 100, (char *)out }, { 200, (char *)out + 100 } }, rbuf = { sizeof(in), (char *)in };
    WSAMSG msg = { 0 }, rmsg = { 0 };
    DWORD sent = 0, got = 0;
    LPFN_WSASENDMSG sendmsg;
    LPFN_WSARECVMSG recvmsg;

    sc_udp_pair(family, &a, &b, &bname, &blen);
    getsockname(a, (struct sockaddr *)&aname, &alen);
    sendmsg = (LPFN_WSASENDMSG)sc_extension(a, g_sendmsg);
    recvmsg = (LPFN_WSARECVMSG)sc_extension(b, g_recvmsg);
    sc_fill(out, sizeof(out), 68, 0);
    msg.name = (struct sockaddr *)&bname;
    msg.namelen = blen;
    msg.lpBuffers = bufs;
    msg.dwBufferCount = 2;
    rc = sendmsg(a, &msg, 0, &sent, NULL, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0 && sent == 300, "WSASendMsg: %d (error %d), %lu bytes", rc, err, sent);
    rmsg.name = (struct sockaddr *)&from;
    rmsg.namelen = sizeof(from);
    rmsg.lpBuffers = &rbuf;
    rmsg.dwBufferCount = 1;
    sc_check(sock_wait_readable(b, SC_WAIT_MS) == 1, "no datagram");
    rc = recvmsg(b, &rmsg, &got, NULL, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0 && got == 300, "WSARecvMsg: %d (error %d), %lu bytes", rc, err, got);
    sc_check(sc_mismatch(in, 300, 68, 0) == 300, "WSARecvMsg bytes differ");
    sc_check(same_endpoint((struct sockaddr *)&from, (struct sockaddr *)&aname),
             "WSARecvMsg names the wrong sender");
    closesocket(a);
    closesocket(b);
}

/* L06: ConnectEx (with data), AcceptEx, GetAcceptExSockaddrs,
 * DisconnectEx, TransmitFile, WSASendMsg and WSARecvMsg, fetched through
 * SIO_GET_EXTENSION_FUNCTION_POINTER from the sockets they act on, work. */
void t_L06(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        connectex_acceptex(sc_family(f));
        transmitfile(sc_family(f));
        if (sc_env.arrangement != SC_LAYERED || (sc_env.over & SC_OVER_UDP))
            sendmsg_recvmsg(sc_family(f));
    }
}

/* --- L07 ---------------------------------------------------------------- */

#define READY_MESSAGE (WM_USER + 7)

static BOOL wait_message(HWND window, SOCKET s, long event)
{
    ULONGLONG end = GetTickCount64() + SC_WAIT_MS;
    MSG m;

    while (GetTickCount64() < end) {
        if (!PeekMessageW(&m, window, READY_MESSAGE, READY_MESSAGE, PM_REMOVE)) {
            MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_POSTMESSAGE);
            continue;
        }
        if ((SOCKET)m.wParam == s && WSAGETSELECTEVENT(m.lParam) == event &&
            !WSAGETSELECTERROR(m.lParam))
            return TRUE;
    }
    return FALSE;
}

static BOOL select_one(SOCKET s, int which, DWORD timeout_ms)
{
    fd_set set;
    struct timeval tv = { (long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000 };

    FD_ZERO(&set);
    FD_SET(s, &set);
    return select(0, which == 0 ? &set : NULL, which == 1 ? &set : NULL, NULL, &tv) == 1 &&
           FD_ISSET(s, &set);
}

/* L07: select, WSAPoll, WSAEventSelect and WSAAsyncSelect report
 * readiness: a queued connection on the listener, a connected socket
 * writable, data readable (and not before), the peer's close. */
void t_L07(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        int family = sc_family(f), len;
        struct sockaddr_storage addr;
        SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len), c, s;
        HWND window = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                      NULL, NULL);
        WSAEVENT ev = WSACreateEvent();
        WSANETWORKEVENTS ne;
        WSAPOLLFD pfd;
        char in[8];

        sc_check(window != NULL, "CreateWindowEx: %lu", GetLastError());
        sc_check(!select_one(l, 0, 0), "select: listener readable before any client");
        sc_check(WSAAsyncSelect(l, window, READY_MESSAGE, FD_ACCEPT) == 0, "WSAAsyncSelect: %d",
                 WSAGetLastError());
        c = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
        sc_check(connect(c, (struct sockaddr *)&addr, len) == 0, "connect: %d", WSAGetLastError());
        sc_check(wait_message(window, l, FD_ACCEPT), "WSAAsyncSelect: no FD_ACCEPT message");
        sc_check(select_one(l, 0, SC_WAIT_MS), "select: listener not readable with a client queued");
        s = accept(l, NULL, NULL);
        sc_check(s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
        sc_check_socket_route(s, SOCK_STREAM);
        WSAAsyncSelect(s, window, 0, 0);
        sc_check(select_one(c, 1, SC_WAIT_MS), "select: connected socket not writable");
        pfd.fd = s;
        pfd.events = POLLRDNORM;
        pfd.revents = 0;
        sc_check(WSAPoll(&pfd, 1, 0) == 0, "WSAPoll: readable before any data");
        sc_check(WSAEventSelect(s, ev, FD_READ | FD_CLOSE) == 0, "WSAEventSelect: %d",
                 WSAGetLastError());
        sc_check(WaitForSingleObject(ev, 100) == WAIT_TIMEOUT, "FD_READ before any data");
        sc_check(send(c, "ready", 5, 0) == 5, "send");
        sc_check(WaitForSingleObject(ev, SC_WAIT_MS) == WAIT_OBJECT_0 &&
                 WSAEnumNetworkEvents(s, ev, &ne) == 0 && (ne.lNetworkEvents & FD_READ) &&
                 ne.iErrorCode[FD_READ_BIT] == 0, "WSAEventSelect: no FD_READ for data");
        pfd.revents = 0;
        sc_check(WSAPoll(&pfd, 1, SC_WAIT_MS) == 1 && (pfd.revents & POLLRDNORM),
                 "WSAPoll: no POLLRDNORM with data queued (revents 0x%x)", pfd.revents);
        sc_check(select_one(s, 0, 0), "select: not readable with data queued");
        sc_check(recv(s, in, sizeof(in), 0) == 5, "recv");
        closesocket(c);
        sc_check(WaitForSingleObject(ev, SC_WAIT_MS) == WAIT_OBJECT_0 &&
                 WSAEnumNetworkEvents(s, ev, &ne) == 0 && (ne.lNetworkEvents & FD_CLOSE) &&
                 ne.iErrorCode[FD_CLOSE_BIT] == 0, "WSAEventSelect: no FD_CLOSE for the peer's close");
        sc_check(select_one(s, 0, SC_WAIT_MS) && recv(s, in, sizeof(in), 0) == 0,
                 "select/recv after the peer's close");
        WSAEventSelect(s, NULL, 0);
        WSACloseEvent(ev);
        closesocket(s);
        closesocket(l);
        DestroyWindow(window);
    }
}

/* L08: a stream sent in pieces of many sizes, single and gathered, blocking
 * and overlapped, arrives byte for byte; datagrams arrive one for one. */
void t_L08(void)
{
    const size_t total = 3u << 20;

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(total, 88);
        struct sc_drain d;
        size_t pos = 0, step = 1;
        WSAOVERLAPPED ov = { 0 };

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        ov.hEvent = WSACreateEvent();
        sc_drain_start(&d, s, total, 0);
        for (int k = 0; pos < total; k++) {
            size_t n = step < total - pos ? step : total - pos;
            WSABUF bufs[3] = { { (ULONG)(n / 3), (char *)out + pos },
                               { (ULONG)(n / 3), (char *)out + pos + n / 3 },
                               { (ULONG)(n - 2 * (n / 3)), (char *)out + pos + 2 * (n / 3) } };
            DWORD sent = 0, flags = 0;
            int rc = WSASend(c, bufs, 3, &sent, 0, (k & 1) ? &ov : NULL, NULL);
            int err = WSAGetLastError();
            if (rc && err == WSA_IO_PENDING && WSAGetOverlappedResult(c, &ov, &sent, TRUE, &flags))
                rc = 0;
            sc_check(rc == 0 && sent == n, "piece %d of %lu bytes: %d (error %d), %lu sent", k,
                     (unsigned long)n, rc, err, sent);
            pos += n;
            step = step * 3 + 7;
            if (step > (256u << 10))
                step = 1 + step % 4093;
        }
        sc_drain_check(&d, 88, 0);
        WSACloseEvent(ov.hEvent);
        free(out);
        closesocket(c);
        closesocket(s);

        if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
            continue;
        SOCKET a, b;
        struct sockaddr_storage bname;
        int blen;
        unsigned char dg[2000], in[2100];
        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        for (int k = 0; k < 20; k++) {
            int n = 1 + k * 97;
            sc_fill(dg, n, 800 + k, 0);
            sc_check(sendto(a, (char *)dg, n, 0, (struct sockaddr *)&bname, blen) == n, "sendto");
            sc_check(sc_recv_datagram(b, in, sizeof(in)) == n &&
                     sc_mismatch(in, n, 800 + k, 0) == (size_t)n, "datagram %d changed", k);
        }
        closesocket(a);
        closesocket(b);
    }
}
