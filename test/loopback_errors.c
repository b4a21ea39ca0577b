/* SPDX-License-Identifier: MIT */
/* loopback_errors.c: what Wine's ws2_32 answers where it departs from the
 * documents on a send error path (S23), IPv4 and IPv6, through send() and
 * WSASend(). The documented answers are spicheck's (spicheck/t_errors.c),
 * which the host arrangement fails on exactly this point. */
#include "loopback_util.h"

/* Both send() and WSASend() of one byte on S fail with CODE. */
static void assert_sends_fail(SOCKET s, int code)
{
    lb_assert_wsa_error(send(s, "x", 1, 0), code);
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASend(s, &buf, 1, &sent, 0, NULL, NULL), code);
}

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
    int len = sock_loopback(lb_family(_i), &any);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&any, len), 0);
    assert_sends_fail(s, WSAECONNRESET);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_errors");
    TCase *tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_S23_wine_departure_not_connected_gives_connreset, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
