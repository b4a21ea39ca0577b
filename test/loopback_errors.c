/* SPDX-License-Identifier: MIT */
/* loopback_errors.c: send error paths over loopback TCP (IPv4 and IPv6).
 * Each error is checked through send() and WSASend(), and, where the
 * clause says so, nothing may be transmitted. */
#include "loopback_util.h"

#include <string.h>

/* Both send() and WSASend() of one byte on S fail with CODE. */
static void assert_sends_fail(SOCKET s, int code)
{
    lb_assert_wsa_error(send(s, "x", 1, 0), code);
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASend(s, &buf, 1, &sent, 0, NULL, NULL), code);
}

/* S23: a stream socket that is not connected, unbound or bound:
 * WSAENOTCONN. */
START_TEST(test_S23_send_not_connected)
{
    SOCKET s = WSASocketW(lb_family(_i), SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert(s != INVALID_SOCKET);
    assert_sends_fail(s, WSAENOTCONN);
    struct sockaddr_storage any;
    int len = lb_loopback(lb_family(_i), &any);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&any, len), 0);
    assert_sends_fail(s, WSAENOTCONN);
    closesocket(s);
}
END_TEST

/* S23 departure: on a stream socket that is not connected, the documents
 * say WSAENOTCONN; Wine's ws2_32 answers WSAECONNRESET for send() and
 * WSASend(), unbound or bound (recv() does give WSAENOTCONN). This pins
 * Wine's answer so that every arrangement is held to the same one; it fails
 * on a conforming Winsock. (Not tested: a blocking send on a *listening*
 * socket, which never returns under Wine 8.) */
START_TEST(test_S23_wine_departure_not_connected_gives_connreset)
{
    SOCKET s = WSASocketW(lb_family(_i), SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert(s != INVALID_SOCKET);
    assert_sends_fail(s, WSAECONNRESET);
    struct sockaddr_storage any;
    int len = lb_loopback(lb_family(_i), &any);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&any, len), 0);
    assert_sends_fail(s, WSAECONNRESET);
    closesocket(s);
}
END_TEST

/* S24: INVALID_SOCKET, a socket already closed, and a file handle are not
 * sockets: WSAENOTSOCK. */
START_TEST(test_S24_send_not_a_socket)
{
    assert_sends_fail(INVALID_SOCKET, WSAENOTSOCK);

    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(closesocket(c), 0);
    assert_sends_fail(c, WSAENOTSOCK);
    closesocket(s);

    WCHAR dir[MAX_PATH], path[MAX_PATH];
    ck_assert_uint_gt(GetTempPathW(MAX_PATH, dir), 0);
    ck_assert_uint_ne(GetTempFileNameW(dir, L"lsp", 0, path), 0);
    HANDLE file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    ck_assert(file != INVALID_HANDLE_VALUE);
    assert_sends_fail((SOCKET)file, WSAENOTSOCK);
    CloseHandle(file);
}
END_TEST

/* S22: after shutdown(SD_SEND) or shutdown(SD_BOTH): WSAESHUTDOWN, and the
 * peer sees only the end of the stream. */
START_TEST(test_S22_send_after_shutdown)
{
    static const int how[2] = { SD_SEND, SD_BOTH };
    for (int h = 0; h < 2; h++) {
        SOCKET c, s;
        char in[4];
        lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        ck_assert_int_eq(shutdown(c, how[h]), 0);
        assert_sends_fail(c, WSAESHUTDOWN);
        ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
        ck_assert_int_eq(recv(s, in, sizeof(in), 0), 0);
        closesocket(c);
        closesocket(s);
    }
}
END_TEST

/* S26: lpNumberOfBytesSent may be NULL only with an overlapped structure:
 * WSASend(NULL count, no overlapped) fails with WSAEFAULT and sends nothing;
 * with an overlapped structure it is accepted. */
START_TEST(test_S26_null_count_without_overlapped)
{
    SOCKET c, s;
    char in[8];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    WSABUF buf = { 4, "fail" };
    lb_assert_wsa_error(WSASend(c, &buf, 1, NULL, 0, NULL, NULL), WSAEFAULT);
    ck_assert_int_eq(sock_wait_readable(s, 100), 0);

    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    WSABUF ok = { 4, "good" };
    int rc = WSASend(c, &ok, 1, NULL, 0, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "overlapped WSASend, NULL count: error %d", err);
    DWORD bytes = 0, flags = 0;
    ck_assert(WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags));
    ck_assert_uint_eq(bytes, 4);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "good", 4), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S28: the peer resets the connection (SO_LINGER {1, 0} then close): a send
 * fails with WSAECONNRESET and the socket still closes cleanly. */
START_TEST(test_S28_send_after_peer_reset)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    struct linger lg = { 1, 0 };
    ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)), 0);
    ck_assert_int_eq(closesocket(s), 0);
    /* The RST makes the socket readable; wait for it rather than sleep. */
    ck_assert_int_eq(sock_wait_readable(c, LB_WAIT_MS), 1);
    lb_assert_wsa_error(send(c, "x", 1, 0), WSAECONNRESET);
    ck_assert_int_eq(closesocket(c), 0);
}
END_TEST

/* S28, S05 through WSASend, overlapped with an event: the failure is
 * reported at once, and no completion indication follows (the event stays
 * unsignalled). */
START_TEST(test_S05_S28_wsasend_after_peer_reset)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    struct linger lg = { 1, 0 };
    ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)), 0);
    ck_assert_int_eq(closesocket(s), 0);
    ck_assert_int_eq(sock_wait_readable(c, LB_WAIT_MS), 1);
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASend(c, &buf, 1, &sent, 0, &ov, NULL), WSAECONNRESET);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 200), WAIT_TIMEOUT);
    ck_assert_int_eq(closesocket(c), 0);
    WSACloseEvent(ov.hEvent);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_errors");
    TCase *tc = lb_tcase("errors");
    tcase_add_loop_test(tc, test_S24_send_not_a_socket, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S22_send_after_shutdown, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S26_null_count_without_overlapped, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S28_send_after_peer_reset, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S05_S28_wsasend_after_peer_reset, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("not_connected", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_S23_send_not_connected, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_S23_wine_departure_not_connected_gives_connreset, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
