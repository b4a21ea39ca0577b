/* SPDX-License-Identifier: MIT */
/* t_layered.c: the layered provider's own duties seen through ws2_32
 * (L02 L05 L06 L07 L08). L06-L08 hold for any Winsock, so they run in
 * every arrangement: the host's answers are the baseline the others must
 * give. They hold every answer the loopback and layered Check programs
 * asked of the same clauses; those keep only what spicheck cannot see (the
 * provider's byte counts, base sockets beside provider sockets, chains of
 * several providers) and Wine's departures. */
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
    int err = WSAGetLastError();

    sc_check(rc == 0, "SO_PROTOCOL_INFOW: %d", err);
    sc_check(len == (int)sizeof(info), "SO_PROTOCOL_INFOW gave %d bytes, not %d", len,
             (int)sizeof(info));
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
    struct sock_drain d;
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
    len = sock_loopback(AF_INET, &addr);
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

/* L05: SO_PROTOCOL_INFOW of a provider socket is its chain entry
 * as the catalog lists it (TCP and UDP, IPv4 and IPv6), not the base entry. */
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
            sc_check(!memcmp(&info, &all[i], sizeof(info)),
                     "the socket's SO_PROTOCOL_INFOW is not byte for byte its chain entry");
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

/* ConnectEx on a socket that is not bound: FALSE with WSAEINVAL, nothing
 * started (its event stays unset). */
static void connectex_unbound(SOCKET c, LPFN_CONNECTEX connectex, const struct sockaddr_storage *addr,
                              int len)
{
    WSAOVERLAPPED ov = { 0 };
    DWORD sent = 0;
    BOOL ok;
    int err;

    ov.hEvent = WSACreateEvent();
    ok = connectex(c, (const struct sockaddr *)addr, len, NULL, 0, &sent, &ov);
    err = WSAGetLastError();
    sc_check(!ok && err == WSAEINVAL, "ConnectEx on an unbound socket: %d with error %d (%s); "
             "expected FALSE with WSAEINVAL", ok, err, sc_error_name(err));
    sc_check(WaitForSingleObject(ov.hEvent, 100) == WAIT_TIMEOUT,
             "the refused ConnectEx signalled its event");
    WSACloseEvent(ov.hEvent);
}

/* The name getpeername gives S is WANT. */
static void check_peer(SOCKET s, const struct sockaddr_storage *want, const char *what)
{
    struct sockaddr_storage peer;
    int plen = sizeof(peer), rc = getpeername(s, (struct sockaddr *)&peer, &plen);
    int err = WSAGetLastError();

    sc_check(rc == 0, "getpeername of the %s socket: error %d (%s)", what, err, sc_error_name(err));
    sc_check(same_endpoint((struct sockaddr *)&peer, (const struct sockaddr *)want),
             "getpeername of the %s socket names the wrong peer", what);
}

static void connectex_acceptex(int family)
{
    struct sockaddr_storage addr, any, cname;
    int len, anylen = sock_loopback(family, &any), clen = sizeof(cname), llen = 0, rlen = 0, err;
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    SOCKET a = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    SOCKET c = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    struct sock_connect_extensions ext;
    char abuf[16 + 2 * ADDR_SPACE], in[8];
    WSAOVERLAPPED aov = { 0 }, cov = { 0 }, dov = { 0 };
    struct sockaddr *local = NULL, *remote = NULL;
    DWORD got = 0, sent = 0;
    BOOL ok;

    sock_connect_extensions(l, c, &ext);
    connectex_unbound(c, ext.connectex, &addr, len);
    aov.hEvent = WSACreateEvent();
    cov.hEvent = WSACreateEvent();
    dov.hEvent = WSACreateEvent();
    ok = ext.acceptex(l, a, abuf, 16, ADDR_SPACE, ADDR_SPACE, &got, &aov);
    err = WSAGetLastError();
    sc_check(!ok && err == WSA_IO_PENDING, "AcceptEx before any client: %d, error %d", ok, err);
    sc_check(bind(c, (struct sockaddr *)&any, anylen) == 0, "bind: %d", WSAGetLastError());
    ok = ext.connectex(c, (struct sockaddr *)&addr, len, "sixteen bytes!!!", 16, &sent, &cov);
    err = WSAGetLastError();
    sc_check(finish("ConnectEx", c, ok, err, &cov) == 16, "ConnectEx sent the wrong count");
    sc_check(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0) == 0,
             "SO_UPDATE_CONNECT_CONTEXT: %d", WSAGetLastError());
    check_peer(c, &addr, "ConnectEx");
    sc_check(getsockname(c, (struct sockaddr *)&cname, &clen) == 0, "getsockname");
    sc_check(finish("AcceptEx", l, FALSE, WSA_IO_PENDING, &aov) == 16, "AcceptEx count");
    sc_check(!memcmp(abuf, "sixteen bytes!!!", 16), "AcceptEx got the wrong first bytes");
    ext.sockaddrs(abuf, 16, ADDR_SPACE, ADDR_SPACE, &local, &llen, &remote, &rlen);
    sc_check(local && remote && same_endpoint(local, (struct sockaddr *)&addr) &&
             same_endpoint(remote, (struct sockaddr *)&cname),
             "GetAcceptExSockaddrs gave the wrong addresses");
    sc_check(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)) == 0,
             "SO_UPDATE_ACCEPT_CONTEXT: %d", WSAGetLastError());
    check_peer(a, &cname, "AcceptEx");
    sc_check(send(a, "ack", 3, 0) == 3, "send on the accepted socket: %d", WSAGetLastError());
    sc_check(sock_recv_exact(c, in, 3, SC_WAIT_MS) == 3 && !memcmp(in, "ack", 3), "reply lost");
    /* The ConnectEx socket works with plain send; what it sends before
     * DisconnectEx arrives before the end of the stream. */
    sc_check(send(c, "more", 4, 0) == 4, "send on the ConnectEx socket: %d", WSAGetLastError());
    sc_check(sock_recv_exact(a, in, 4, SC_WAIT_MS) == 4 && !memcmp(in, "more", 4),
             "a plain send after ConnectEx was lost");
    sc_check(send(c, "bye", 3, 0) == 3, "send before DisconnectEx: %d", WSAGetLastError());
    ok = ext.disconnectex(c, &dov, 0, 0);
    err = WSAGetLastError();
    finish("DisconnectEx", c, ok, err, &dov);
    sc_check(sock_recv_exact(a, in, 3, SC_WAIT_MS) == 3 && !memcmp(in, "bye", 3),
             "the bytes sent before DisconnectEx were lost");
    sc_check(sock_wait_readable(a, SC_WAIT_MS) == 1 && recv(a, in, sizeof(in), 0) == 0,
             "the peer did not see the disconnect");
    WSACloseEvent(aov.hEvent);
    WSACloseEvent(cov.hEvent);
    WSACloseEvent(dov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

/* AcceptEx with no receive buffer completes on the connection itself, with
 * 0 bytes. */
static void acceptex_without_data(int family)
{
    static const GUID g_acceptex = WSAID_ACCEPTEX;
    struct sockaddr_storage addr;
    int len, err;
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    SOCKET a = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED), c;
    LPFN_ACCEPTEX acceptex = (LPFN_ACCEPTEX)sock_extension(l, g_acceptex);
    char abuf[2 * ADDR_SPACE];
    WSAOVERLAPPED ov = { 0 };
    DWORD got = 0, n;
    BOOL ok;

    ov.hEvent = WSACreateEvent();
    ok = acceptex(l, a, abuf, 0, ADDR_SPACE, ADDR_SPACE, &got, &ov);
    err = WSAGetLastError();
    c = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    sc_check(connect(c, (struct sockaddr *)&addr, len) == 0, "connect: %d", WSAGetLastError());
    n = finish("AcceptEx without a receive buffer", l, ok, err, &ov);
    sc_check(n == 0, "AcceptEx without a receive buffer completed with %lu bytes, not 0",
             (unsigned long)n);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

static void transmitfile(int family)
{
    static const GUID g_transmitfile = WSAID_TRANSMITFILE;
    const DWORD size = 200000;
    SOCKET c, s;
    HANDLE file;
    unsigned char *data = sc_pattern(size + 8, 67);
    WSAOVERLAPPED ov = { 0 };
    struct sock_drain d;
    LPFN_TRANSMITFILE tf;
    BOOL ok;
    int err;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    tf = (LPFN_TRANSMITFILE)sock_extension(c, g_transmitfile);
    file = sock_temp_file(data + 4, size);
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
    sock_close_pair(c, s);
}

/* The destination address of MSG's packet-info control message is the
 * loopback address of FAMILY. */
static int pktinfo_is_loopback(WSAMSG *msg, int family)
{
    for (WSACMSGHDR *cm = WSA_CMSG_FIRSTHDR(msg); cm; cm = WSA_CMSG_NXTHDR(msg, cm)) {
        if (family == AF_INET && cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
            return ((IN_PKTINFO *)WSA_CMSG_DATA(cm))->ipi_addr.s_addr == htonl(INADDR_LOOPBACK);
        if (family == AF_INET6 && cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO)
            return !memcmp(&((IN6_PKTINFO *)WSA_CMSG_DATA(cm))->ipi6_addr, &in6addr_loopback,
                           sizeof(in6addr_loopback));
    }
    return 0;
}

/* WSASendMsg sends two buffers as one datagram; WSARecvMsg returns it with
 * the sender's name, no truncation flag and a packet-info control message
 * naming the loopback destination. */
static void sendmsg_recvmsg(int family)
{
    static const GUID g_sendmsg = WSAID_WSASENDMSG, g_recvmsg = WSAID_WSARECVMSG;
    SOCKET a, b;
    struct sockaddr_storage bname, aname, from;
    int blen, alen = sizeof(aname), rc, err;
    unsigned char out[300], in[400];
    char control[256];
    WSABUF bufs[2] = { { 100, (char *)out }, { 200, (char *)out + 100 } }, rbuf = { sizeof(in), (char *)in };
    WSAMSG msg, rmsg;
    DWORD sent = 0, got = 0, on = 1;
    LPFN_WSASENDMSG sendmsg;
    LPFN_WSARECVMSG recvmsg;

    sc_udp_pair(family, &a, &b, &bname, &blen);
    getsockname(a, (struct sockaddr *)&aname, &alen);
    sendmsg = (LPFN_WSASENDMSG)sock_extension(a, g_sendmsg);
    recvmsg = (LPFN_WSARECVMSG)sock_extension(b, g_recvmsg);
    rc = family == AF_INET ? setsockopt(b, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on))
                           : setsockopt(b, IPPROTO_IPV6, IPV6_PKTINFO, (char *)&on, sizeof(on));
    err = WSAGetLastError();
    sc_check(rc == 0, "%s_PKTINFO: error %d (%s)", family == AF_INET ? "IP" : "IPV6", err,
             sc_error_name(err));
    pattern_fill(out, sizeof(out), 68, 0);
    msg = sock_message(&bname, blen, bufs, 2);
    rc = sendmsg(a, &msg, 0, &sent, NULL, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0 && sent == 300, "WSASendMsg: %d (error %d), %lu bytes", rc, err, sent);
    rmsg = sock_message(&from, sizeof(from), &rbuf, 1);
    rmsg.Control.buf = control;
    rmsg.Control.len = sizeof(control);
    sc_check(sock_wait_readable(b, SC_WAIT_MS) == 1, "no datagram");
    rc = recvmsg(b, &rmsg, &got, NULL, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0 && got == 300, "WSARecvMsg: %d (error %d), %lu bytes", rc, err, got);
    sc_check(pattern_mismatch(in, 300, 68, 0) == 300, "WSARecvMsg bytes differ");
    sc_check(same_endpoint((struct sockaddr *)&from, (struct sockaddr *)&aname),
             "WSARecvMsg names the wrong sender");
    sc_check(!(rmsg.dwFlags & (MSG_TRUNC | MSG_CTRUNC)),
             "WSARecvMsg of a whole datagram set flags 0x%lx (MSG_TRUNC or MSG_CTRUNC)",
             (unsigned long)rmsg.dwFlags);
    sc_check(pktinfo_is_loopback(&rmsg, family),
             "WSARecvMsg gave no packet-info control message naming the loopback address "
             "(%lu control bytes)", (unsigned long)rmsg.Control.len);
    closesocket(a);
    closesocket(b);
}

/* WSARecvMsg with a buffer shorter than the datagram: WSAEMSGSIZE, the
 * buffer holding the datagram's start, the rest discarded. (Whether
 * MSG_TRUNC comes with WSAEMSGSIZE is not checked: Wine leaves it out.) */
static void recvmsg_truncated(int family)
{
    static const GUID g_recvmsg = WSAID_WSARECVMSG;
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen, rc, err;
    char in[4];
    WSABUF rbuf = { sizeof(in), in };
    WSAMSG rmsg;
    DWORD got = 0;
    LPFN_WSARECVMSG recvmsg;

    sc_udp_pair(family, &a, &b, &bname, &blen);
    recvmsg = (LPFN_WSARECVMSG)sock_extension(b, g_recvmsg);
    sc_check(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&bname, blen) == 10, "sendto: %d",
             WSAGetLastError());
    rmsg = sock_message(NULL, 0, &rbuf, 1);
    sc_check(sock_wait_readable(b, SC_WAIT_MS) == 1, "no datagram");
    rc = recvmsg(b, &rmsg, &got, NULL, NULL);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSAEMSGSIZE,
             "WSARecvMsg of 10 bytes into 4: %d with error %d (%s); expected SOCKET_ERROR with "
             "WSAEMSGSIZE", rc, err, sc_error_name(err));
    sc_check(!memcmp(in, "0123", 4), "the truncated datagram's first bytes are not in the buffer");
    sc_check(sock_wait_readable(b, 100) == 0, "the rest of the truncated datagram was kept");
    closesocket(a);
    closesocket(b);
}

/* L06: ConnectEx (with data; refused on an unbound socket), AcceptEx (with
 * and without data), GetAcceptExSockaddrs, DisconnectEx, TransmitFile,
 * WSASendMsg and WSARecvMsg (whole and truncated), fetched through
 * SIO_GET_EXTENSION_FUNCTION_POINTER from the sockets they act on, work. */
void t_L06(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        connectex_acceptex(sc_family(f));
        acceptex_without_data(sc_family(f));
        transmitfile(sc_family(f));
        if (sc_env.arrangement != SC_LAYERED || (sc_env.over & SC_OVER_UDP)) {
            sendmsg_recvmsg(sc_family(f));
            recvmsg_truncated(sc_family(f));
        }
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

/* Whether select reports S in the set WHICH (0 read, 1 write, 2 except)
 * within TIMEOUT_MS. */
static BOOL select_one(SOCKET s, int which, DWORD timeout_ms)
{
    struct timeval tv = { (long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000 };
    fd_set sets[3];

    for (int k = 0; k < 3; k++)
        FD_ZERO(&sets[k]);
    FD_SET(s, &sets[which]);
    return select(0, &sets[0], &sets[1], &sets[2], &tv) == 1 && FD_ISSET(s, &sets[which]);
}

/* A new socket of FAMILY connecting to ADDR without blocking: connect
 * answers WSAEWOULDBLOCK. EV, when given, is selected for EVENTS first. */
static SOCKET connect_started(int family, const struct sockaddr_storage *addr, int len,
                              WSAEVENT ev, long events)
{
    SOCKET c = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    int rc, err;

    if (ev)
        sc_check(WSAEventSelect(c, ev, events) == 0, "WSAEventSelect: %d", WSAGetLastError());
    else
        sc_set_nonblocking(c, 1);
    rc = connect(c, (const struct sockaddr *)addr, len);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSAEWOULDBLOCK,
             "non-blocking connect: %d with error %d (%s); expected WSAEWOULDBLOCK", rc, err,
             sc_error_name(err));
    return c;
}

/* Every event of WANT recorded for S through EV within 4 * SC_WAIT_MS (they
 * may come with several signals): what was seen, error codes included. */
static WSANETWORKEVENTS events_seen(SOCKET s, WSAEVENT ev, long want, const char *what)
{
    ULONGLONG end = GetTickCount64() + 4 * SC_WAIT_MS;
    WSANETWORKEVENTS seen = { 0 }, ne;

    while ((seen.lNetworkEvents & want) != want && GetTickCount64() < end) {
        if (WaitForSingleObject(ev, 100) != WAIT_OBJECT_0)
            continue;
        sc_check(WSAEnumNetworkEvents(s, ev, &ne) == 0, "WSAEnumNetworkEvents: %d",
                 WSAGetLastError());
        seen.lNetworkEvents |= ne.lNetworkEvents;
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
            if (ne.lNetworkEvents & (1L << bit))
                seen.iErrorCode[bit] = ne.iErrorCode[bit];
    }
    sc_check((seen.lNetworkEvents & want) == want, "WSAEventSelect, %s: events 0x%lx recorded, "
             "0x%lx expected", what, seen.lNetworkEvents, want);
    return seen;
}

/* Nothing recorded for S through EV within 100 ms. */
static void no_event(SOCKET s, WSAEVENT ev, const char *what)
{
    WSANETWORKEVENTS ne = { 0 };

    sc_check(WaitForSingleObject(ev, 100) == WAIT_TIMEOUT &&
             WSAEnumNetworkEvents(s, ev, &ne) == 0 && ne.lNetworkEvents == 0,
             "WSAEventSelect: events 0x%lx recorded %s", ne.lNetworkEvents, what);
}

/* A loopback address of FAMILY nothing listens on: the name of a socket
 * bound and closed without listening. */
static int refused_address(int family, struct sockaddr_storage *addr)
{
    int len = sock_loopback(family, addr);
    SOCKET t = sc_socket(family, SOCK_STREAM, 0);

    sc_check(bind(t, (struct sockaddr *)addr, len) == 0 &&
             getsockname(t, (struct sockaddr *)addr, &len) == 0, "bind/getsockname: %d",
             WSAGetLastError());
    closesocket(t);
    return len;
}

/* select: a queued connection makes the listener readable (and accept
 * clears it), a non-blocking connect ends writable and not in exceptfds,
 * data makes the peer readable (and recv clears it), the peer's close makes
 * it readable with recv() == 0; over several sockets, only the ready ones
 * come back. */
static void l07_select(int family)
{
    struct sockaddr_storage addr;
    int len, soerr = 0, optlen = sizeof(soerr);
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len), c, s;
    struct timeval zero = { 0, 0 };
    fd_set rd, wr;
    char in[16];

    c = connect_started(family, &addr, len, NULL, 0);
    sc_check(select_one(c, 1, SC_WAIT_MS), "select: the connecting socket never became writable");
    sc_check(!select_one(c, 2, 0), "select: the connected socket is in exceptfds");
    sc_check(select_one(l, 0, SC_WAIT_MS), "select: listener not readable with a client queued");
    s = accept(l, NULL, NULL);
    sc_check(s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    sc_check(!select_one(l, 0, 0), "select: listener still readable after accept");
    sc_check(!select_one(s, 0, 0), "select: accepted socket readable before any data");
    sc_check(select_one(s, 1, 0), "select: accepted socket not writable");
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(s, &rd);
    FD_SET(c, &rd);
    FD_SET(c, &wr);
    sc_check(select(0, &rd, &wr, NULL, &zero) == 1 && rd.fd_count == 0 && wr.fd_count == 1 &&
             wr.fd_array[0] == c, "select over two idle sockets: %u readable, %u writable "
             "(expected only the client writable)", rd.fd_count, wr.fd_count);
    sc_check(send(c, "ready", 5, 0) == 5, "send: %d", WSAGetLastError());
    sc_check(select_one(s, 0, SC_WAIT_MS), "select: not readable with data queued");
    FD_ZERO(&rd);
    FD_SET(c, &rd);
    FD_SET(s, &rd);
    sc_check(select(0, &rd, NULL, NULL, &zero) == 1 && rd.fd_array[0] == s,
             "select over both ends: %u readable, expected only the receiver", rd.fd_count);
    sc_check(recv(s, in, sizeof(in), 0) == 5, "recv: %d", WSAGetLastError());
    sc_check(!select_one(s, 0, 0), "select: still readable after recv took the data");
    closesocket(c);
    sc_check(select_one(s, 0, SC_WAIT_MS) && recv(s, in, sizeof(in), 0) == 0,
             "select/recv after the peer's close");
    closesocket(s);
    closesocket(l);

    /* A refused non-blocking connect shows in exceptfds, SO_ERROR saying why. */
    len = refused_address(family, &addr);
    c = connect_started(family, &addr, len, NULL, 0);
    sc_check(select_one(c, 2, 4 * SC_WAIT_MS), "select: a refused connect not in exceptfds");
    sc_check(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&soerr, &optlen) == 0 &&
             soerr == WSAECONNREFUSED, "SO_ERROR after a refused connect: %d (%s), expected "
             "WSAECONNREFUSED", soerr, sc_error_name(soerr));
    closesocket(c);
}

/* revents of S for EVENTS after WSAPoll waited up to TIMEOUT_MS (0 when
 * nothing came). */
static short poll_one(SOCKET s, short events, int timeout_ms)
{
    WSAPOLLFD fd = { s, events, 0 };
    int n = WSAPoll(&fd, 1, timeout_ms), err = WSAGetLastError();

    sc_check(n >= 0, "WSAPoll: error %d (%s)", err, sc_error_name(err));
    return n ? fd.revents : 0;
}

/* WSAPoll: POLLRDNORM on a listener with a connection queued, POLLWRNORM
 * for a connected socket (and only that, asked for both), POLLRDNORM when
 * data came, POLLHUP once the peer closed. */
static void l07_poll(int family)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len), c, s;
    WSAPOLLFD fds[2];
    short ev;
    char in[16];

    sc_check(poll_one(l, POLLRDNORM, 0) == 0, "WSAPoll: listener readable before any client");
    c = connect_started(family, &addr, len, NULL, 0);
    ev = poll_one(c, POLLWRNORM, SC_WAIT_MS);
    sc_check(ev == POLLWRNORM, "WSAPoll: connecting socket revents 0x%x, expected POLLWRNORM", ev);
    ev = poll_one(l, POLLRDNORM, SC_WAIT_MS);
    sc_check(ev == POLLRDNORM, "WSAPoll: listener revents 0x%x with a client queued", ev);
    s = accept(l, NULL, NULL);
    sc_check(s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    sc_check(poll_one(s, POLLRDNORM, 0) == 0, "WSAPoll: readable before any data");
    ev = poll_one(s, POLLWRNORM, 0);
    sc_check(ev == POLLWRNORM, "WSAPoll: accepted socket revents 0x%x, expected POLLWRNORM", ev);
    memset(fds, 0, sizeof(fds));
    fds[0].fd = c;
    fds[0].events = POLLRDNORM | POLLWRNORM;
    fds[1].fd = s;
    fds[1].events = POLLRDNORM;
    sc_check(WSAPoll(fds, 2, 0) == 1 && fds[0].revents == POLLWRNORM && fds[1].revents == 0,
             "WSAPoll over two idle sockets: revents 0x%x and 0x%x, expected POLLWRNORM and 0",
             fds[0].revents, fds[1].revents);
    sc_check(send(c, "poll", 4, 0) == 4, "send: %d", WSAGetLastError());
    ev = poll_one(s, POLLRDNORM, SC_WAIT_MS);
    sc_check(ev == POLLRDNORM, "WSAPoll: revents 0x%x with data queued, expected POLLRDNORM", ev);
    sc_check(recv(s, in, sizeof(in), 0) == 4, "recv: %d", WSAGetLastError());
    closesocket(c);
    ev = poll_one(s, POLLRDNORM, SC_WAIT_MS);
    sc_check(ev & POLLHUP, "WSAPoll: revents 0x%x after the peer's close, no POLLHUP", ev);
    sc_check(recv(s, in, sizeof(in), 0) == 0, "recv after the peer's close: not 0");
    closesocket(s);
    closesocket(l);
}

/* WSAEventSelect: FD_ACCEPT on the listener, FD_CONNECT and FD_WRITE (no
 * error) on the connecting socket, FD_READ alone on data and not again
 * until recv, FD_CLOSE with no error on the peer's graceful close; a
 * refused connect reports FD_CONNECT with WSAECONNREFUSED. */
static void l07_eventselect(int family)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len), c, s;
    WSAEVENT lev = WSACreateEvent(), cev = WSACreateEvent(), sev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char in[16];

    sc_check(WSAEventSelect(l, lev, FD_ACCEPT) == 0, "WSAEventSelect: %d", WSAGetLastError());
    c = connect_started(family, &addr, len, cev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE);
    ne = events_seen(c, cev, FD_CONNECT | FD_WRITE, "connecting");
    sc_check(ne.iErrorCode[FD_CONNECT_BIT] == 0 && ne.iErrorCode[FD_WRITE_BIT] == 0,
             "FD_CONNECT error %d, FD_WRITE error %d: expected none", ne.iErrorCode[FD_CONNECT_BIT],
             ne.iErrorCode[FD_WRITE_BIT]);
    ne = events_seen(l, lev, FD_ACCEPT, "listener");
    sc_check(ne.iErrorCode[FD_ACCEPT_BIT] == 0, "FD_ACCEPT error %d", ne.iErrorCode[FD_ACCEPT_BIT]);
    s = accept(l, NULL, NULL);
    sc_check(s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    sc_check(WSAEventSelect(s, sev, FD_READ | FD_CLOSE) == 0, "WSAEventSelect: %d",
             WSAGetLastError());
    no_event(s, sev, "before any data");
    sc_check(send(c, "event", 5, 0) == 5, "send: %d", WSAGetLastError());
    sc_check(WaitForSingleObject(sev, SC_WAIT_MS) == WAIT_OBJECT_0 &&
             WSAEnumNetworkEvents(s, sev, &ne) == 0, "WSAEventSelect: nothing for data");
    sc_check(ne.lNetworkEvents == FD_READ && ne.iErrorCode[FD_READ_BIT] == 0,
             "data recorded events 0x%lx (FD_READ error %d), expected FD_READ alone",
             ne.lNetworkEvents, ne.iErrorCode[FD_READ_BIT]);
    sc_check(send(c, "again", 5, 0) == 5, "send: %d", WSAGetLastError());
    no_event(s, sev, "for more data before recv");
    sc_check(sock_recv_exact(s, in, 10, SC_WAIT_MS) == 10 && !memcmp(in, "eventagain", 10),
             "the two sends did not arrive whole");
    closesocket(c);
    ne = events_seen(s, sev, FD_CLOSE, "after the peer's close");
    sc_check(ne.iErrorCode[FD_CLOSE_BIT] == 0, "FD_CLOSE error %d after a graceful close",
             ne.iErrorCode[FD_CLOSE_BIT]);
    closesocket(s);
    closesocket(l);

    len = refused_address(family, &addr);
    c = connect_started(family, &addr, len, cev, FD_CONNECT);
    ne = events_seen(c, cev, FD_CONNECT, "refused connect");
    sc_check(ne.iErrorCode[FD_CONNECT_BIT] == WSAECONNREFUSED,
             "FD_CONNECT of a refused connect: error %d (%s), expected WSAECONNREFUSED",
             ne.iErrorCode[FD_CONNECT_BIT], sc_error_name(ne.iErrorCode[FD_CONNECT_BIT]));
    closesocket(c);
    WSACloseEvent(lev);
    WSACloseEvent(cev);
    WSACloseEvent(sev);
}

/* WSAAsyncSelect: the listener's FD_ACCEPT names the listener; the accepted
 * socket inherits the registration, and its FD_READ names it. */
static void l07_asyncselect(int family)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len), c, a;
    HWND window = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);

    sc_check(window != NULL, "CreateWindowEx: %lu", GetLastError());
    sc_check(WSAAsyncSelect(l, window, READY_MESSAGE, FD_ACCEPT | FD_READ) == 0,
             "WSAAsyncSelect: %d", WSAGetLastError());
    c = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    sc_check(connect(c, (struct sockaddr *)&addr, len) == 0, "connect: %d", WSAGetLastError());
    sc_check(wait_message(window, l, FD_ACCEPT), "WSAAsyncSelect: no FD_ACCEPT for the listener");
    a = accept(l, NULL, NULL);
    sc_check(a != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    sc_check_socket_route(a, SOCK_STREAM);
    sc_check(send(c, "m", 1, 0) == 1, "send: %d", WSAGetLastError());
    sc_check(wait_message(window, a, FD_READ),
             "WSAAsyncSelect: no FD_READ naming the accepted socket (registration inherited)");
    closesocket(a);
    closesocket(c);
    closesocket(l);
    DestroyWindow(window);
}

/* All four on the same sockets: a queued connection on the listener, a
 * connected socket writable, data readable (and not before), the peer's
 * close. */
static void l07_together(int family)
{
    int len;
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

/* L07: select, WSAPoll, WSAEventSelect and WSAAsyncSelect report
 * readiness as Winsock does, each alone and together. */
void t_L07(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        l07_together(sc_family(f));
        l07_select(sc_family(f));
        l07_poll(sc_family(f));
        l07_eventselect(sc_family(f));
        l07_asyncselect(sc_family(f));
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
        struct sock_drain d;
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
            pattern_fill(dg, n, 800 + k, 0);
            sc_check(sendto(a, (char *)dg, n, 0, (struct sockaddr *)&bname, blen) == n, "sendto");
            sc_check(sc_recv_datagram(b, in, sizeof(in)) == n &&
                     pattern_mismatch(in, n, 800 + k, 0) == (size_t)n, "datagram %d changed", k);
        }
        closesocket(a);
        closesocket(b);
    }
}
