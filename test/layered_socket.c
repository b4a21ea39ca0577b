/* SPDX-License-Identifier: MIT */
/* layered_socket.c: provider sockets beyond the plain case - duplicated
 * with WSADuplicateSocket (the lower provider's duplicate travels with our
 * chain entry's info), and created without the overlapped attribute (every
 * call goes straight to the lower socket, so overlapped arguments get the
 * base provider's treatment). Both are held to what a base socket does. */
#include "layered_test.h"

#include <string.h>

/* A connected pair whose first socket is duplicated into this very
 * process and then closed: what a send on the copy does. */
struct copy_outcome {
    int result, error;
};

static struct copy_outcome send_on_copy(SOCKET c, SOCKET s, BOOL provider)
{
    WSAPROTOCOL_INFOW info;
    struct copy_outcome o;
    SOCKET copy;
    char in[4];

    ck_assert_int_eq(WSADuplicateSocketW(c, GetCurrentProcessId(), &info), 0);
    copy = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0,
                      WSA_FLAG_OVERLAPPED);
    ck_assert_msg(copy != INVALID_SOCKET, "WSASocket(duplicate): %d", WSAGetLastError());
    ck_assert_uint_ne(copy, c);
    if (provider)
        layered_assert_through_lsp(copy);
    ck_assert_int_eq(closesocket(c), 0);
    o.result = send(copy, "copy", 4, 0);
    o.error = o.result == SOCKET_ERROR ? WSAGetLastError() : 0;
    if (o.result == 4) {
        ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
        ck_assert_int_eq(memcmp(in, "copy", 4), 0);
    }
    closesocket(copy);
    closesocket(s);
    return o;
}

/* WSADuplicateSocket: the copy of a provider socket is a provider socket
 * of the same chain entry, and outlives the original as the copy of a base
 * socket does (the lower provider's duplicate travels inside ours). */
START_TEST(test_duplicate_socket_like_base)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    struct copy_outcome mine, theirs;
    SOCKET c, s, l, base;
    int len;

    sock_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    mine = send_on_copy(c, s, TRUE);
    l = sock_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    base = layered_base_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    ck_assert_int_eq(connect(base, (struct sockaddr *)&addr, len), 0);
    s = accept(l, NULL, NULL);
    ck_assert_uint_ne(s, INVALID_SOCKET);
    closesocket(l);
    theirs = send_on_copy(base, s, FALSE);
    ck_assert_int_eq(mine.result, theirs.result);
    ck_assert_int_eq(mine.error, theirs.error);
}
END_TEST

/* What an overlapped send does on a socket made without the overlapped
 * attribute: its return, its error, and whether its event is set. */
struct outcome {
    int result, error;
    DWORD sent, signalled;
};

static struct outcome send_overlapped(SOCKET s)
{
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 4, "sync" };
    struct outcome o = { 0, 0, 0, 0 };

    ov.hEvent = WSACreateEvent();
    o.result = WSASend(s, &buf, 1, &o.sent, 0, &ov, NULL);
    o.error = o.result ? WSAGetLastError() : 0;
    o.signalled = WaitForSingleObject(ov.hEvent, 500);
    WSACloseEvent(ov.hEvent);
    return o;
}

/* A provider socket without WSA_FLAG_OVERLAPPED: blocking calls work, and
 * an overlapped call gets the same answer as on a base socket like it. */
START_TEST(test_non_overlapped_socket_like_base)
{
    struct sockaddr_storage addr;
    int family = lb_family(_i), len;
    SOCKET l = sock_listener(family, 0, 0, &addr, &len), c, s, base, base_peer;
    struct outcome mine, theirs;
    char in[4];

    c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
    layered_assert_through_lsp(c);
    ck_assert_int_eq(connect(c, (struct sockaddr *)&addr, len), 0);
    s = accept(l, NULL, NULL);
    ck_assert_uint_ne(s, INVALID_SOCKET);
    ck_assert_int_eq(send(c, "sync", 4, 0), 4);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);

    base = layered_base_socket(family, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(base, (struct sockaddr *)&addr, len), 0);
    base_peer = accept(l, NULL, NULL);
    ck_assert_uint_ne(base_peer, INVALID_SOCKET);

    mine = send_overlapped(c);
    theirs = send_overlapped(base);
    ck_assert_int_eq(mine.result, theirs.result);
    ck_assert_int_eq(mine.error, theirs.error);
    ck_assert_uint_eq(mine.sent, theirs.sent);
    ck_assert_uint_eq(mine.signalled, theirs.signalled);
    closesocket(base);
    closesocket(base_peer);
    closesocket(c);
    closesocket(s);
    closesocket(l);
}
END_TEST

TCase *layered_socket_tcase(void)
{
    TCase *tc = layered_tcase("sockets");
    tcase_add_loop_test(tc, test_duplicate_socket_like_base, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_non_overlapped_socket_like_base, 0, LB_FAMILIES);
    return tc;
}
