/* SPDX-License-Identifier: MIT */
/* loopback_ext.c: Microsoft extension functions fetched through
 * SIO_GET_EXTENSION_FUNCTION_POINTER (L06): ConnectEx, AcceptEx,
 * GetAcceptExSockaddrs, DisconnectEx, TransmitFile, WSASendMsg and
 * WSARecvMsg, over loopback TCP/UDP, IPv4 and IPv6. */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

static const GUID guid_connectex = WSAID_CONNECTEX;
static const GUID guid_acceptex = WSAID_ACCEPTEX;
static const GUID guid_sockaddrs = WSAID_GETACCEPTEXSOCKADDRS;
static const GUID guid_disconnectex = WSAID_DISCONNECTEX;
static const GUID guid_transmitfile = WSAID_TRANSMITFILE;
static const GUID guid_sendmsg = WSAID_WSASENDMSG;
static const GUID guid_recvmsg = WSAID_WSARECVMSG;

/* Address + port equality, whatever the family. */
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

static SOCKET tcp_socket(int family)
{
    SOCKET s = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert_msg(s != INVALID_SOCKET, "WSASocket: %d", WSAGetLastError());
    return s;
}

static void bind_loopback(SOCKET s, int family)
{
    struct sockaddr_storage any;
    int len = lb_loopback(family, &any);
    ck_assert_msg(bind(s, (struct sockaddr *)&any, len) == 0, "bind: %d", WSAGetLastError());
}

/* An extension call returned OK, or FALSE with error ERR (read right after
 * the call) == WSA_IO_PENDING: waits for its completion and returns the
 * byte count. */
static DWORD finish(SOCKET s, BOOL ok, int err, WSAOVERLAPPED *ov)
{
    ck_assert_msg(ok || err == WSA_IO_PENDING, "extension call failed: %d", err);
    DWORD bytes = 0, flags = 0;
    BOOL done = WSAGetOverlappedResult(s, ov, &bytes, TRUE, &flags);
    err = WSAGetLastError();
    ck_assert_msg(done, "completion failed: %d", err);
    return bytes;
}

/* L06 ConnectEx: connects a bound socket and sends the initial data; after
 * SO_UPDATE_CONNECT_CONTEXT the socket has its peer name and works with
 * plain send. */
START_TEST(test_L06_connectex_with_data)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr, peer;
    int len, plen = sizeof(peer);
    char in[16];
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    SOCKET c = tcp_socket(family);
    LPFN_CONNECTEX connectex = (LPFN_CONNECTEX)lb_extension(c, guid_connectex);
    bind_loopback(c, family);

    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    DWORD sent = 0;
    BOOL ok = connectex(c, (struct sockaddr *)&addr, len, "hello", 5, &sent, &ov);
    int err = WSAGetLastError();
    ck_assert_uint_eq(finish(c, ok, err, &ov), 5);
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    ck_assert_int_eq(getpeername(c, (struct sockaddr *)&peer, &plen), 0);
    ck_assert(same_endpoint((struct sockaddr *)&peer, (struct sockaddr *)&addr));

    SOCKET s = accept(l, NULL, NULL);
    ck_assert(s != INVALID_SOCKET);
    ck_assert_int_eq(send(c, " world", 6, 0), 6);
    ck_assert_uint_eq(sock_recv_exact(s, in, 11, LB_WAIT_MS), 11);
    ck_assert_int_eq(memcmp(in, "hello world", 11), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
    closesocket(l);
}
END_TEST

/* L06 ConnectEx on a socket that is not bound: WSAEINVAL, nothing started. */
START_TEST(test_L06_connectex_unbound_einval)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len;
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    SOCKET c = tcp_socket(family);
    LPFN_CONNECTEX connectex = (LPFN_CONNECTEX)lb_extension(c, guid_connectex);
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    DWORD sent = 0;
    lb_assert_fails(connectex(c, (struct sockaddr *)&addr, len, NULL, 0, &sent, &ov), FALSE, WSAEINVAL);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 100), WAIT_TIMEOUT);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(l);
}
END_TEST

#define ADDR_SPACE (sizeof(struct sockaddr_in6) + 16)

/* L06 AcceptEx + GetAcceptExSockaddrs: the accept completes with the first
 * data; the buffer yields the listener's name as local address and the
 * client's name as remote address; after SO_UPDATE_ACCEPT_CONTEXT the
 * accepted socket knows its peer. */
START_TEST(test_L06_acceptex_and_sockaddrs)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr, cname, peer;
    int len, clen = sizeof(cname), plen = sizeof(peer);
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    LPFN_ACCEPTEX acceptex = (LPFN_ACCEPTEX)lb_extension(l, guid_acceptex);
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs = (LPFN_GETACCEPTEXSOCKADDRS)lb_extension(l, guid_sockaddrs);
    SOCKET a = tcp_socket(family);
    char buf[16 + 2 * ADDR_SPACE];
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    DWORD got = 0;
    BOOL ok = acceptex(l, a, buf, 16, ADDR_SPACE, ADDR_SPACE, &got, &ov);
    int err = WSAGetLastError();
    ck_assert_msg(!ok && err == WSA_IO_PENDING, "AcceptEx before any client: %d, error %d", ok, err);

    SOCKET c = tcp_socket(family);
    ck_assert_int_eq(connect(c, (struct sockaddr *)&addr, len), 0);
    ck_assert_int_eq(getsockname(c, (struct sockaddr *)&cname, &clen), 0);
    unsigned char out[16];
    lb_fill(out, sizeof(out), 66, 0);
    ck_assert_int_eq(send(c, (char *)out, 16, 0), 16);
    ck_assert_uint_eq(finish(l, FALSE, WSA_IO_PENDING, &ov), 16);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)buf, 16, 66, 0), 16);

    struct sockaddr *local = NULL, *remote = NULL;
    int llen = 0, rlen = 0;
    sockaddrs(buf, 16, ADDR_SPACE, ADDR_SPACE, &local, &llen, &remote, &rlen);
    ck_assert_ptr_nonnull(local);
    ck_assert_ptr_nonnull(remote);
    ck_assert(same_endpoint(local, (struct sockaddr *)&addr));
    ck_assert(same_endpoint(remote, (struct sockaddr *)&cname));

    ck_assert_int_eq(setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)), 0);
    ck_assert_int_eq(getpeername(a, (struct sockaddr *)&peer, &plen), 0);
    ck_assert(same_endpoint((struct sockaddr *)&peer, (struct sockaddr *)&cname));
    ck_assert_int_eq(send(a, "ack", 3, 0), 3);
    char in[4];
    ck_assert_uint_eq(sock_recv_exact(c, in, 3, LB_WAIT_MS), 3);
    ck_assert_int_eq(memcmp(in, "ack", 3), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}
END_TEST

/* L06 AcceptEx with no receive buffer completes on the connection itself,
 * with 0 bytes. */
START_TEST(test_L06_acceptex_without_data)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len;
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    LPFN_ACCEPTEX acceptex = (LPFN_ACCEPTEX)lb_extension(l, guid_acceptex);
    SOCKET a = tcp_socket(family);
    char buf[2 * ADDR_SPACE];
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    DWORD got = 0;
    BOOL ok = acceptex(l, a, buf, 0, ADDR_SPACE, ADDR_SPACE, &got, &ov);
    int err = WSAGetLastError();
    SOCKET c = tcp_socket(family);
    ck_assert_int_eq(connect(c, (struct sockaddr *)&addr, len), 0);
    ck_assert_uint_eq(finish(l, ok, err, &ov), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}
END_TEST

/* L06 DisconnectEx: a graceful disconnect; the peer reads end of stream. */
START_TEST(test_L06_disconnectex_graceful)
{
    SOCKET c, s;
    char in[8];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    LPFN_DISCONNECTEX disconnectex = (LPFN_DISCONNECTEX)lb_extension(c, guid_disconnectex);
    ck_assert_int_eq(send(c, "bye", 3, 0), 3);
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    BOOL ok = disconnectex(c, &ov, 0, 0);
    int err = WSAGetLastError();
    finish(c, ok, err, &ov);
    ck_assert_uint_eq(sock_recv_exact(s, in, 3, LB_WAIT_MS), 3);
    ck_assert_int_eq(memcmp(in, "bye", 3), 0);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(s, in, sizeof(in), 0), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* L06 TransmitFile: head buffer, file contents, tail buffer arrive in that
 * order. */
START_TEST(test_L06_transmitfile_head_file_tail)
{
    const DWORD size = 200000;
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    LPFN_TRANSMITFILE transmitfile = (LPFN_TRANSMITFILE)lb_extension(c, guid_transmitfile);

    WCHAR dir[MAX_PATH], path[MAX_PATH];
    ck_assert_uint_gt(GetTempPathW(MAX_PATH, dir), 0);
    ck_assert_uint_ne(GetTempFileNameW(dir, L"lsp", 0, path), 0);
    HANDLE file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    ck_assert(file != INVALID_HANDLE_VALUE);
    unsigned char *data = malloc(size + 8);
    ck_assert_ptr_nonnull(data);
    lb_fill(data, size + 8, 67, 0);
    DWORD written = 0;
    ck_assert(WriteFile(file, data + 4, size, &written, NULL));
    ck_assert_uint_eq(written, size);
    ck_assert_uint_eq(SetFilePointer(file, 0, NULL, FILE_BEGIN), 0);

    TRANSMIT_FILE_BUFFERS tfb = { data, 4, data + 4 + size, 4 };
    struct lb_drain d;
    lb_drain_start(&d, s, size + 8, 0);
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    BOOL ok = transmitfile(c, file, 0, 0, &ov, &tfb, 0);
    int err = WSAGetLastError();
    ck_assert_uint_eq(finish(c, ok, err, &ov), size + 8);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, size + 8, 67, 0), size + 8);
    lb_drain_free(&d);
    WSACloseEvent(ov.hEvent);
    CloseHandle(file);
    free(data);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* Turns on the packet-info control message of a UDP socket. */
static void want_pktinfo(SOCKET s, int family)
{
    DWORD on = 1;
    int rc = family == AF_INET
        ? setsockopt(s, IPPROTO_IP, IP_PKTINFO, (char *)&on, sizeof(on))
        : setsockopt(s, IPPROTO_IPV6, IPV6_PKTINFO, (char *)&on, sizeof(on));
    ck_assert_msg(rc == 0, "PKTINFO: %d", WSAGetLastError());
}

/* The destination address in MSG's packet-info control message is the
 * loopback address of FAMILY. */
static int pktinfo_is_loopback(WSAMSG *msg, int family)
{
    for (WSACMSGHDR *cm = WSA_CMSG_FIRSTHDR(msg); cm; cm = WSA_CMSG_NXTHDR(msg, cm)) {
        if (family == AF_INET && cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
            IN_PKTINFO *pi = (IN_PKTINFO *)WSA_CMSG_DATA(cm);
            return pi->ipi_addr.s_addr == htonl(INADDR_LOOPBACK);
        }
        if (family == AF_INET6 && cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
            IN6_PKTINFO *pi = (IN6_PKTINFO *)WSA_CMSG_DATA(cm);
            return !memcmp(&pi->ipi6_addr, &in6addr_loopback, sizeof(pi->ipi6_addr));
        }
    }
    return 0;
}

/* L06 WSASendMsg/WSARecvMsg on UDP: two buffers go as one datagram;
 * WSARecvMsg returns it with the sender's name and a packet-info control
 * message naming the loopback destination, no truncation flags. */
START_TEST(test_L06_wsasendmsg_wsarecvmsg)
{
    int family = lb_family(_i);
    SOCKET a, b;
    struct sockaddr_storage bname, aname, from;
    int blen, alen = sizeof(aname);
    lb_udp_pair(family, &a, &b, &bname, &blen);
    ck_assert_int_eq(getsockname(a, (struct sockaddr *)&aname, &alen), 0);
    LPFN_WSASENDMSG sendmsg = (LPFN_WSASENDMSG)lb_extension(a, guid_sendmsg);
    LPFN_WSARECVMSG recvmsg = (LPFN_WSARECVMSG)lb_extension(b, guid_recvmsg);
    want_pktinfo(b, family);

    unsigned char out[300];
    lb_fill(out, sizeof(out), 68, 0);
    WSABUF bufs[2] = { { 100, (char *)out }, { 200, (char *)out + 100 } };
    WSAMSG msg = { 0 };
    msg.name = (struct sockaddr *)&bname;
    msg.namelen = blen;
    msg.lpBuffers = bufs;
    msg.dwBufferCount = 2;
    DWORD sent = 0;
    int rc = sendmsg(a, &msg, 0, &sent, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASendMsg: %d", err);
    ck_assert_uint_eq(sent, 300);

    unsigned char in[400];
    char control[256];
    WSABUF rbuf = { sizeof(in), (char *)in };
    WSAMSG rmsg = { 0 };
    rmsg.name = (struct sockaddr *)&from;
    rmsg.namelen = sizeof(from);
    rmsg.lpBuffers = &rbuf;
    rmsg.dwBufferCount = 1;
    rmsg.Control.buf = control;
    rmsg.Control.len = sizeof(control);
    DWORD got = 0;
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    rc = recvmsg(b, &rmsg, &got, NULL, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSARecvMsg: %d", err);
    ck_assert_uint_eq(got, 300);
    ck_assert_uint_eq(lb_mismatch(in, 300, 68, 0), 300);
    ck_assert(same_endpoint((struct sockaddr *)&from, (struct sockaddr *)&aname));
    ck_assert_uint_eq(rmsg.dwFlags & (MSG_TRUNC | MSG_CTRUNC), 0);
    ck_assert(pktinfo_is_loopback(&rmsg, family));
    closesocket(a);
    closesocket(b);
}
END_TEST

/* L06 WSARecvMsg with a buffer shorter than the datagram: WSAEMSGSIZE, the
 * buffer holding the datagram's start, and the rest discarded. (Wine
 * leaves MSG_TRUNC out of dwFlags here; whether Windows sets it along with
 * WSAEMSGSIZE is not checked, so neither is asserted.) */
START_TEST(test_L06_wsarecvmsg_truncated)
{
    int family = lb_family(_i);
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    lb_udp_pair(family, &a, &b, &bname, &blen);
    LPFN_WSARECVMSG recvmsg = (LPFN_WSARECVMSG)lb_extension(b, guid_recvmsg);
    ck_assert_int_eq(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&bname, blen), 10);
    char in[4];
    WSABUF rbuf = { sizeof(in), in };
    WSAMSG rmsg = { 0 };
    rmsg.lpBuffers = &rbuf;
    rmsg.dwBufferCount = 1;
    DWORD got = 0;
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    lb_assert_wsa_error(recvmsg(b, &rmsg, &got, NULL, NULL), WSAEMSGSIZE);
    ck_assert_int_eq(memcmp(in, "0123", 4), 0);
    ck_assert_int_eq(sock_wait_readable(b, 100), 0);
    closesocket(a);
    closesocket(b);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_ext");
    TCase *tc = lb_tcase("connect_accept");
    tcase_add_loop_test(tc, test_L06_connectex_with_data, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_connectex_unbound_einval, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_acceptex_and_sockaddrs, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_acceptex_without_data, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("stream");
    tcase_add_loop_test(tc, test_L06_disconnectex_graceful, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_transmitfile_head_file_tail, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("msg");
    tcase_add_loop_test(tc, test_L06_wsasendmsg_wsarecvmsg, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_wsarecvmsg_truncated, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
