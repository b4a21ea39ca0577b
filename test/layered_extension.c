/* SPDX-License-Identifier: MIT */
/* layered_extension.c: L06 - the extension functions fetched from a
 * provider socket take provider sockets and go through the provider: the
 * provider's counters see what ConnectEx, AcceptEx, TransmitFile,
 * WSASendMsg and WSARecvMsg move. */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

static const GUID transmitfile_id = WSAID_TRANSMITFILE;
static const GUID sendmsg_id = WSAID_WSASENDMSG;
static const GUID recvmsg_id = WSAID_WSARECVMSG;

#define ADDR_SPACE (sizeof(struct sockaddr_storage) + 16)

static void wait_done(SOCKET s, WSAOVERLAPPED *ov, DWORD expected)
{
    DWORD n = 0, f;

    ck_assert_uint_eq(WaitForSingleObject(ov->hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_msg(WSAGetOverlappedResult(s, ov, &n, FALSE, &f), "result: %d", WSAGetLastError());
    ck_assert_uint_eq(n, expected);
}

/* Takes COUNT completions from PORT, each within the wait: they must be
 * those of the COUNT operations in OVS, in any order, each for EXPECTED
 * bytes. */
static void port_done(HANDLE port, WSAOVERLAPPED *const *ovs, int count, DWORD expected)
{
    int taken, i, seen = 0;

    for (taken = 0; taken < count; taken++) {
        OVERLAPPED *got = NULL;
        ULONG_PTR key;
        DWORD n = 0;

        ck_assert_msg(GetQueuedCompletionStatus(port, &n, &key, &got, LB_WAIT_MS),
                      "completion %d of %d: %lu", taken + 1, count, GetLastError());
        for (i = 0; i < count && got != (OVERLAPPED *)ovs[i]; i++)
            ;
        ck_assert_msg(i < count && !(seen & (1 << i)), "a completion not expected, or twice");
        seen |= 1 << i;
        ck_assert_uint_eq(n, expected);
    }
}

/* ConnectEx with data, AcceptEx receiving it, then DisconnectEx, all
 * completing on a port: the provider counts the bytes on both ends. (What
 * the addresses and the update-context options give, completing through
 * events, is spicheck's L06 case in suite_layered.) */
START_TEST(test_L06_connectex_acceptex_disconnectex)
{
    static const char hello[] = "sixty-four bytes? no: twenty";
    int family = lb_family(_i), len, rc, err;
    struct sockaddr_storage addr, any;
    struct sock_connect_extensions ext;
    WSAOVERLAPPED aov = { 0 }, cov = { 0 }, dov = { 0 };
    char accept_buf[64 + 2 * ADDR_SPACE], byte;
    ULONGLONG sent, received;
    DWORD got = 0, sent_now = 0;
    SOCKET l, a, c;
    HANDLE port;

    l = sock_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    a = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    layered_assert_through_lsp(a);
    layered_assert_through_lsp(c);
    sock_connect_extensions(l, c, &ext);
    port = sock_port_for_pair(l, 0, c, 0);

    rc = ext.acceptex(l, a, accept_buf, 64, ADDR_SPACE, ADDR_SPACE, &got, &aov);
    err = WSAGetLastError();
    ck_assert_msg(!rc && err == ERROR_IO_PENDING, "AcceptEx: %d %d", rc, err);
    ck_assert_int_eq(bind(c, (struct sockaddr *)&any, sock_loopback(family, &any)), 0);
    rc = ext.connectex(c, (struct sockaddr *)&addr, len, (void *)hello, 28, &sent_now, &cov);
    err = WSAGetLastError();
    ck_assert_msg(rc || err == ERROR_IO_PENDING, "ConnectEx: %d", err);
    port_done(port, (WSAOVERLAPPED *const[]){ &cov, &aov }, 2, 28);
    ck_assert_int_eq(memcmp(accept_buf, hello, 28), 0);
    layered_counts(c, &sent, &received);
    ck_assert_uint_eq(sent, 28);
    layered_counts(a, &sent, &received);
    ck_assert_uint_eq(received, 28);

    rc = ext.disconnectex(c, &dov, 0, 0);
    err = WSAGetLastError();
    ck_assert_msg(rc || err == ERROR_IO_PENDING, "DisconnectEx: %d", err);
    port_done(port, (WSAOVERLAPPED *const[]){ &dov }, 1, 0);
    ck_assert_int_eq(sock_wait_readable(a, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(a, &byte, 1, 0), 0);

    CloseHandle(port);
    closesocket(l);
    closesocket(a);
    closesocket(c);
}
END_TEST

/* TransmitFile, overlapped: the file's bytes reach the peer, counted. */
START_TEST(test_L06_transmitfile)
{
    enum { SIZE = 200 * 1024 };
    unsigned char *data = malloc(SIZE);
    LPFN_TRANSMITFILE transmitfile;
    WSAOVERLAPPED ov = { 0 };
    struct sock_drain drain;
    ULONGLONG sent, received;
    HANDLE file;
    SOCKET c, s;
    int rc, err;

    ck_assert_ptr_nonnull(data);
    pattern_fill(data, SIZE, 40, 0);
    file = sock_temp_file(data, SIZE);
    free(data);

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    transmitfile = (LPFN_TRANSMITFILE)sock_extension(c, transmitfile_id);
    ov.hEvent = WSACreateEvent();
    lb_drain_start(&drain, s, SIZE, 0);
    rc = transmitfile(c, file, 0, 0, &ov, NULL, 0);
    err = WSAGetLastError();
    ck_assert_msg(rc || err == ERROR_IO_PENDING, "TransmitFile: %d", err);
    wait_done(c, &ov, SIZE);
    lb_drain_join(&drain);
    ck_assert_uint_eq(pattern_mismatch(drain.buf, SIZE, 40, 0), SIZE);
    layered_counts(c, &sent, &received);
    ck_assert_uint_eq(sent, SIZE);
    sock_drain_free(&drain);
    WSACloseEvent(ov.hEvent);
    CloseHandle(file);
    sock_close_pair(c, s);
}
END_TEST

/* WSASendMsg (two buffers, overlapped, the WSAMSG and its array on a stack
 * frame gone by completion) and WSARecvMsg (overlapped, sender's name). */
static void send_message(LPFN_WSASENDMSG sendmsg, SOCKET a, struct sockaddr_storage *to,
                         int tolen, WSAOVERLAPPED *ov)
{
    WSABUF bufs[2] = { { 4, "one," }, { 4, "two!" } };
    WSAMSG msg;
    DWORD sent = 0;
    int rc, err;

    msg = sock_message(to, tolen, bufs, 2);
    rc = sendmsg(a, &msg, 0, &sent, ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASendMsg: %d", err);
    memset(bufs, 0, sizeof(bufs));
    memset(&msg, 0, sizeof(msg));
}

START_TEST(test_L06_wsasendmsg_wsarecvmsg)
{
    struct sockaddr_storage bname, from, aname;
    int blen, alen = sizeof(aname), rc, err;
    LPFN_WSASENDMSG sendmsg;
    LPFN_WSARECVMSG recvmsg;
    WSAOVERLAPPED sov = { 0 }, rov = { 0 };
    char in[32];
    WSABUF rbuf = { sizeof(in), in };
    WSAMSG msg;
    ULONGLONG sent, received;
    DWORD got = 0;
    SOCKET a, b;

    sock_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    sendmsg = (LPFN_WSASENDMSG)sock_extension(a, sendmsg_id);
    recvmsg = (LPFN_WSARECVMSG)sock_extension(b, recvmsg_id);
    sov.hEvent = WSACreateEvent();
    rov.hEvent = WSACreateEvent();
    msg = sock_message(&from, sizeof(from), &rbuf, 1);
    rc = recvmsg(b, &msg, &got, &rov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvMsg: %d %d", rc, err);
    send_message(sendmsg, a, &bname, blen, &sov);
    wait_done(a, &sov, 8);
    wait_done(b, &rov, 8);
    ck_assert_int_eq(memcmp(in, "one,two!", 8), 0);
    ck_assert_int_eq(getsockname(a, (struct sockaddr *)&aname, &alen), 0);
    ck_assert_int_eq(msg.namelen, alen);
    ck_assert_int_eq(memcmp(&from, &aname, alen), 0);
    layered_counts(a, &sent, &received);
    ck_assert_uint_eq(sent, 8);
    layered_counts(b, &sent, &received);
    ck_assert_uint_eq(received, 8);
    WSACloseEvent(sov.hEvent);
    WSACloseEvent(rov.hEvent);
    closesocket(a);
    closesocket(b);
}
END_TEST

TCase *layered_extension_tcase(void)
{
    TCase *tc = layered_tcase("extension");
    tcase_add_loop_test(tc, test_L06_connectex_acceptex_disconnectex, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_transmitfile, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L06_wsasendmsg_wsarecvmsg, 0, LB_FAMILIES);
    return tc;
}
