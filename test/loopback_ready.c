/* SPDX-License-Identifier: MIT */
/* loopback_ready.c: L07's one Wine departure, over loopback TCP (IPv4 and
 * IPv6): the FD_CLOSE that WSAEventSelect records after the peer's
 * abortive close, as documented and as Wine gives it. The rest of L07 is
 * spicheck's (t_L07 in spicheck/t_layered.c). */
#include "loopback_util.h"

/* A connected pair whose client end closes abortively (SO_LINGER {1, 0});
 * returns the server end's FD_CLOSE record; *S is the server end. */
static WSANETWORKEVENTS fd_close_after_reset(int family, SOCKET *s)
{
    SOCKET c;
    sock_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, s);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_int_eq(WSAEventSelect(*s, ev, FD_CLOSE), 0);
    struct linger lg = { 1, 0 };
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)), 0);
    closesocket(c);
    /* FD_CLOSE is the one event selected: its record is the first signal. */
    WSANETWORKEVENTS ne;
    ck_assert_uint_eq(WaitForSingleObject(ev, 4 * LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(WSAEnumNetworkEvents(*s, ev, &ne), 0);
    ck_assert_msg(ne.lNetworkEvents & FD_CLOSE, "events 0x%lx recorded, no FD_CLOSE",
                  ne.lNetworkEvents);
    ck_assert_int_eq(WSAEventSelect(*s, NULL, 0), 0);
    WSACloseEvent(ev);
    return ne;
}

/* L07: the peer's abortive close reports FD_CLOSE with WSAECONNRESET. */
START_TEST(test_L07_eventselect_close_after_reset)
{
    SOCKET s;
    WSANETWORKEVENTS ne = fd_close_after_reset(lb_family(_i), &s);
    ck_assert_int_eq(ne.iErrorCode[FD_CLOSE_BIT], WSAECONNRESET);
    closesocket(s);
}
END_TEST

/* L07 departure: Wine records FD_CLOSE after the peer's abortive close with
 * iErrorCode 0, as for a graceful close (a send afterwards does fail with
 * WSAECONNRESET). */
START_TEST(test_L07_wine_departure_fd_close_after_reset_no_error)
{
    SOCKET s;
    WSANETWORKEVENTS ne = fd_close_after_reset(lb_family(_i), &s);
    ck_assert_int_eq(ne.iErrorCode[FD_CLOSE_BIT], 0);
    lb_assert_wsa_error(send(s, "x", 1, 0), WSAECONNRESET);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_ready");
    TCase *tc = lb_tcase_tagged("close_after_reset", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_L07_eventselect_close_after_reset, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_L07_wine_departure_fd_close_after_reset_no_error, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
