/* SPDX-License-Identifier: MIT */
/* loopback_ready.c: readiness over loopback TCP (IPv4 and IPv6) through
 * select, WSAPoll and WSAEventSelect/WSAEnumNetworkEvents: accept, connect
 * (good and refused), write, read, and close (graceful and reset). L07
 * asks that these answers be the same in every arrangement. */
#include "loopback_util.h"

#include <string.h>

/* A loopback address nothing listens on: bind a socket for a free port,
 * then close it without listening. */
static int refused_addr(int family, struct sockaddr_storage *addr)
{
    int len = lb_loopback(family, addr);
    SOCKET t = socket(family, SOCK_STREAM, IPPROTO_TCP);
    ck_assert(t != INVALID_SOCKET);
    ck_assert_int_eq(bind(t, (struct sockaddr *)addr, len), 0);
    ck_assert_int_eq(getsockname(t, (struct sockaddr *)addr, &len), 0);
    closesocket(t);
    return len;
}

/* Starts a non-blocking connect of a new socket to ADDR. */
static SOCKET connect_nonblocking(int family, const struct sockaddr_storage *addr, int len)
{
    SOCKET c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert(c != INVALID_SOCKET);
    lb_set_nonblocking(c, 1);
    int rc = connect(c, (const struct sockaddr *)addr, len);
    int err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSAEWOULDBLOCK,
                  "non-blocking connect: %d, error %d (expected WSAEWOULDBLOCK)", rc, err);
    return c;
}

static int select_one(SOCKET s, int which, DWORD timeout_ms)
{
    fd_set set;
    struct timeval tv = { (long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000 };
    FD_ZERO(&set);
    FD_SET(s, &set);
    int n = select(0, which == 0 ? &set : NULL, which == 1 ? &set : NULL,
                   which == 2 ? &set : NULL, &tv);
    return n == 1 && FD_ISSET(s, &set);
}
#define SEL_READ 0
#define SEL_WRITE 1
#define SEL_EXCEPT 2

/* L07 select: the listener is readable when a connection is queued, a
 * non-blocking connect finishes as writable, data makes the peer readable,
 * and the peer's close makes it readable with recv() == 0. */
START_TEST(test_L07_select_accept_connect_read_close)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len;
    char in[16];
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    ck_assert(!select_one(l, SEL_READ, 0));
    SOCKET c = connect_nonblocking(family, &addr, len);
    ck_assert(select_one(c, SEL_WRITE, LB_WAIT_MS));
    ck_assert(!select_one(c, SEL_EXCEPT, 0));
    ck_assert(select_one(l, SEL_READ, LB_WAIT_MS));
    SOCKET s = accept(l, NULL, NULL);
    ck_assert(s != INVALID_SOCKET);
    ck_assert(!select_one(l, SEL_READ, 0));

    ck_assert(!select_one(s, SEL_READ, 0));
    ck_assert(select_one(s, SEL_WRITE, 0));
    ck_assert_int_eq(send(c, "ready", 5, 0), 5);
    ck_assert(select_one(s, SEL_READ, LB_WAIT_MS));
    ck_assert_int_eq(recv(s, in, sizeof(in), 0), 5);
    ck_assert(!select_one(s, SEL_READ, 0));

    closesocket(c);
    ck_assert(select_one(s, SEL_READ, LB_WAIT_MS));
    ck_assert_int_eq(recv(s, in, sizeof(in), 0), 0);
    closesocket(s);
    closesocket(l);
}
END_TEST

/* L07 select: a refused non-blocking connect shows in exceptfds, with
 * SO_ERROR == WSAECONNREFUSED. */
START_TEST(test_L07_select_connect_refused)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len = refused_addr(family, &addr);
    SOCKET c = connect_nonblocking(family, &addr, len);
    ck_assert(select_one(c, SEL_EXCEPT, 4 * LB_WAIT_MS));
    int soerr = 0, optlen = sizeof(soerr);
    ck_assert_int_eq(getsockopt(c, SOL_SOCKET, SO_ERROR, (char *)&soerr, &optlen), 0);
    ck_assert_int_eq(soerr, WSAECONNREFUSED);
    closesocket(c);
}
END_TEST

static short poll_one(SOCKET s, short events, int timeout_ms)
{
    WSAPOLLFD fd = { s, events, 0 };
    int n = WSAPoll(&fd, 1, timeout_ms);
    ck_assert_msg(n >= 0, "WSAPoll failed: %d", WSAGetLastError());
    return n == 0 ? 0 : fd.revents;
}

/* L07 WSAPoll: POLLRDNORM on a listener with a queued connection,
 * POLLWRNORM on a connected socket, POLLRDNORM when data arrives, and
 * POLLHUP once the peer has closed (recv() then returns 0). */
START_TEST(test_L07_wsapoll_accept_write_read_hup)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len;
    char in[16];
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    ck_assert_int_eq(poll_one(l, POLLRDNORM, 0), 0);
    SOCKET c = connect_nonblocking(family, &addr, len);
    ck_assert_int_eq(poll_one(c, POLLWRNORM, LB_WAIT_MS), POLLWRNORM);
    ck_assert_int_eq(poll_one(l, POLLRDNORM, LB_WAIT_MS), POLLRDNORM);
    SOCKET s = accept(l, NULL, NULL);
    ck_assert(s != INVALID_SOCKET);

    ck_assert_int_eq(poll_one(s, POLLRDNORM, 0), 0);
    ck_assert_int_eq(poll_one(s, POLLWRNORM, 0), POLLWRNORM);
    ck_assert_int_eq(send(c, "poll", 4, 0), 4);
    ck_assert_int_eq(poll_one(s, POLLRDNORM, LB_WAIT_MS), POLLRDNORM);
    ck_assert_int_eq(recv(s, in, sizeof(in), 0), 4);

    closesocket(c);
    short ev = poll_one(s, POLLRDNORM, LB_WAIT_MS);
    ck_assert_msg(ev & POLLHUP, "revents 0x%x after the peer's close: no POLLHUP", ev);
    ck_assert_int_eq(recv(s, in, sizeof(in), 0), 0);
    closesocket(s);
    closesocket(l);
}
END_TEST

/* Waits on EV until every event of WANT has been recorded for S (they may
 * come in several signals); returns what was seen, error codes included. */
static WSANETWORKEVENTS wait_events(SOCKET s, WSAEVENT ev, long want)
{
    WSANETWORKEVENTS all = { 0 };
    DWORD start = GetTickCount();
    while ((all.lNetworkEvents & want) != want && GetTickCount() - start < 4 * LB_WAIT_MS) {
        if (WaitForSingleObject(ev, 100) != WAIT_OBJECT_0)
            continue;
        WSANETWORKEVENTS ne;
        ck_assert_int_eq(WSAEnumNetworkEvents(s, ev, &ne), 0);
        for (int bit = 0; bit < FD_MAX_EVENTS; bit++)
            if (ne.lNetworkEvents & (1L << bit))
                all.iErrorCode[bit] = ne.iErrorCode[bit];
        all.lNetworkEvents |= ne.lNetworkEvents;
    }
    ck_assert_msg((all.lNetworkEvents & want) == want,
                  "events 0x%lx seen, 0x%lx wanted", all.lNetworkEvents, want);
    return all;
}

/* Nothing new recorded for S within a short while. */
static void assert_no_event(SOCKET s, WSAEVENT ev)
{
    WSANETWORKEVENTS ne;
    ck_assert_uint_eq(WaitForSingleObject(ev, 100), WAIT_TIMEOUT);
    ck_assert_int_eq(WSAEnumNetworkEvents(s, ev, &ne), 0);
    ck_assert_int_eq(ne.lNetworkEvents, 0);
}

/* L07 WSAEventSelect: FD_ACCEPT on the listener, FD_CONNECT (no error) and
 * FD_WRITE on the connecting socket, FD_READ on data (once, until recv),
 * FD_CLOSE with no error on the peer's graceful close. */
START_TEST(test_L07_eventselect_accept_connect_write_read_close)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len;
    char in[16];
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    WSAEVENT lev = WSACreateEvent(), cev = WSACreateEvent(), sev = WSACreateEvent();
    ck_assert_int_eq(WSAEventSelect(l, lev, FD_ACCEPT), 0);
    SOCKET c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert(c != INVALID_SOCKET);
    ck_assert_int_eq(WSAEventSelect(c, cev, FD_CONNECT | FD_WRITE | FD_READ | FD_CLOSE), 0);
    lb_assert_wsa_error(connect(c, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);

    WSANETWORKEVENTS ne = wait_events(c, cev, FD_CONNECT | FD_WRITE);
    ck_assert_int_eq(ne.iErrorCode[FD_CONNECT_BIT], 0);
    ck_assert_int_eq(ne.iErrorCode[FD_WRITE_BIT], 0);
    ne = wait_events(l, lev, FD_ACCEPT);
    ck_assert_int_eq(ne.iErrorCode[FD_ACCEPT_BIT], 0);
    SOCKET s = accept(l, NULL, NULL);
    ck_assert(s != INVALID_SOCKET);
    ck_assert_int_eq(WSAEventSelect(s, sev, FD_READ | FD_CLOSE), 0);
    assert_no_event(s, sev);

    ck_assert_int_eq(send(c, "event", 5, 0), 5);
    ne = wait_events(s, sev, FD_READ);
    ck_assert_int_eq(ne.iErrorCode[FD_READ_BIT], 0);
    /* FD_READ is not recorded again until recv() re-enables it. */
    ck_assert_int_eq(send(c, "again", 5, 0), 5);
    assert_no_event(s, sev);
    ck_assert_int_eq(sock_recv_exact(s, in, 10, LB_WAIT_MS), 10);
    ck_assert_int_eq(memcmp(in, "eventagain", 10), 0);

    closesocket(c);
    ne = wait_events(s, sev, FD_CLOSE);
    ck_assert_int_eq(ne.iErrorCode[FD_CLOSE_BIT], 0);
    closesocket(s);
    closesocket(l);
    WSACloseEvent(lev);
    WSACloseEvent(cev);
    WSACloseEvent(sev);
}
END_TEST

/* L07 WSAEventSelect: a refused connect reports FD_CONNECT with
 * WSAECONNREFUSED. */
START_TEST(test_L07_eventselect_connect_refused)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    int len = refused_addr(family, &addr);
    SOCKET c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_int_eq(WSAEventSelect(c, ev, FD_CONNECT), 0);
    lb_assert_wsa_error(connect(c, (struct sockaddr *)&addr, len), WSAEWOULDBLOCK);
    WSANETWORKEVENTS ne = wait_events(c, ev, FD_CONNECT);
    ck_assert_int_eq(ne.iErrorCode[FD_CONNECT_BIT], WSAECONNREFUSED);
    closesocket(c);
    WSACloseEvent(ev);
}
END_TEST

/* A connected pair whose client end closes abortively (SO_LINGER {1, 0});
 * returns the server end's FD_CLOSE record; *S is the server end. */
static WSANETWORKEVENTS fd_close_after_reset(int family, SOCKET *s)
{
    SOCKET c;
    lb_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, s);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_int_eq(WSAEventSelect(*s, ev, FD_CLOSE), 0);
    struct linger lg = { 1, 0 };
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)), 0);
    closesocket(c);
    WSANETWORKEVENTS ne = wait_events(*s, ev, FD_CLOSE);
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
    TCase *tc = lb_tcase("select");
    tcase_add_loop_test(tc, test_L07_select_accept_connect_read_close, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_select_connect_refused, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("wsapoll");
    tcase_add_loop_test(tc, test_L07_wsapoll_accept_write_read_hup, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("eventselect");
    tcase_add_loop_test(tc, test_L07_eventselect_accept_connect_write_read_close, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_eventselect_connect_refused, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("close_after_reset", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_L07_eventselect_close_after_reset, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_L07_wine_departure_fd_close_after_reset_no_error, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
