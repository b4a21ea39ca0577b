/* SPDX-License-Identifier: MIT */
/* loopback_uninit.c: Winsock calls outside WSAStartup/WSACleanup (S27).
 * A program of its own, because WSAStartup is process state: the first
 * tests must run before anything in the process has initialised Winsock.
 *
 * socket() answers WSANOTINITIALISED there, everywhere. Wine departs on
 * sends: send() and WSASend() outside WSAStartup/WSACleanup fail with
 * WSAENOTSOCK, not WSANOTINITIALISED. The wine_departure tests pin Wine's
 * answer; they fail on a conforming Winsock. The documented answer of
 * sends is spicheck's t_S27 (spicheck/t_errors.c). */
#include "loopback_util.h"

static void assert_sends_fail(SOCKET s, int code)
{
    lb_assert_wsa_error(send(s, "x", 1, 0), code);
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASend(s, &buf, 1, &sent, 0, NULL, NULL), code);
}

/* S27: before any WSAStartup, socket() fails with WSANOTINITIALISED. */
START_TEST(test_S27_socket_before_startup)
{
    lb_assert_fails(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET, WSANOTINITIALISED);
}
END_TEST

/* S27 departure: before any WSAStartup, send and WSASend fail with
 * WSAENOTSOCK (documents: WSANOTINITIALISED). */
START_TEST(test_S27_wine_departure_send_before_startup)
{
    assert_sends_fail(INVALID_SOCKET, WSAENOTSOCK);
    assert_sends_fail((SOCKET)0x104, WSAENOTSOCK);
}
END_TEST

/* Two WSAStartups, a connected UDP socket, then one WSACleanup: Winsock
 * must stay usable until the last WSACleanup. Returns the socket. */
static SOCKET startup_twice_cleanup_once(void)
{
    WSADATA data;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    sock_udp_pair(AF_INET, &a, &b, &bname, &blen);
    ck_assert_int_eq(connect(a, (struct sockaddr *)&bname, blen), 0);
    ck_assert_int_eq(WSACleanup(), 0);
    ck_assert_int_eq(send(a, "x", 1, 0), 1);
    ck_assert_int_eq(WSACleanup(), 0);
    return a;
}

/* S27 departure: after the last WSACleanup, send and WSASend on a socket
 * made while initialised fail with WSAENOTSOCK (documents:
 * WSANOTINITIALISED). */
START_TEST(test_S27_wine_departure_send_after_last_cleanup)
{
    SOCKET a = startup_twice_cleanup_once();
    assert_sends_fail(a, WSAENOTSOCK);
}
END_TEST

/* S27: after the last WSACleanup, socket() fails with WSANOTINITIALISED. */
START_TEST(test_S27_socket_after_last_cleanup)
{
    startup_twice_cleanup_once();
    lb_assert_fails(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET, WSANOTINITIALISED);
}
END_TEST

/* A test case without the Winsock fixture: these tests manage WSAStartup
 * themselves. */
static TCase *bare_tcase(Suite *suite, const char *name, const char *tag)
{
    TCase *tc = tcase_create(name);
    if (tag)
        tcase_set_tags(tc, tag);
    suite_add_tcase(suite, tc);
    return tc;
}

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_uninit");
    /* Test cases run in the order added: the "before startup" ones first. */
    tcase_add_test(bare_tcase(suite, "before_startup", NULL), test_S27_socket_before_startup);
    tcase_add_test(bare_tcase(suite, "before_startup_wine", LB_WINE_DEPARTURE),
                   test_S27_wine_departure_send_before_startup);
    tcase_add_test(bare_tcase(suite, "after_cleanup_wine", LB_WINE_DEPARTURE),
                   test_S27_wine_departure_send_after_last_cleanup);
    tcase_add_test(bare_tcase(suite, "after_cleanup", NULL), test_S27_socket_after_last_cleanup);
    return suite;
}
