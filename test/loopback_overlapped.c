/* SPDX-License-Identifier: MIT */
/* loopback_overlapped.c: what overlapped WSASend does beyond the clause
 * tests (spicheck/t_overlapped.c, which make check runs in every
 * arrangement), over loopback TCP (IPv4 and IPv6): the low bit of hEvent
 * that keeps a completion off the port, and S31 as each arrangement
 * answers it - the documents' WSAEINVAL where it is met, Wine's and a
 * non-IFS layered provider's departures where it is not. */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

static unsigned char *pattern(size_t len, unsigned seed)
{
    unsigned char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    pattern_fill(p, len, seed, 0);
    return p;
}

/* A routine that only counts its calls, for when hEvent cannot carry a log. */
static LONG counted_calls;
static void CALLBACK count_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    (void)error, (void)bytes, (void)ov, (void)flags;
    counted_calls++;
}

/* The port has no packet for TIMEOUT_MS. */
static void assert_no_packet(HANDLE port, DWORD timeout_ms)
{
    DWORD bytes = 0;
    ULONG_PTR key = 0;
    OVERLAPPED *ov = NULL;
    BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, timeout_ms);
    DWORD error = ok ? 0 : GetLastError();

    ck_assert_msg(!ok && ov == NULL && error == WAIT_TIMEOUT,
                  "unexpected packet (ov %p, %lu bytes, error %lu)", (void *)ov, bytes, error);
}

#define KEY_CLIENT ((ULONG_PTR)0xC11E)
#define KEY_SERVER ((ULONG_PTR)0x5E7E)

/* A set low bit in hEvent asks for no completion packet: the send completes
 * and signals the event (low bit cleared) but the port stays empty. */
START_TEST(test_iocp_hevent_low_bit_suppresses_packet)
{
    SOCKET c, s;
    char in[100];
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = sock_port_for_pair(c, KEY_CLIENT, s, KEY_SERVER);
    HANDLE ev = WSACreateEvent();
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    WSABUF buf = { 100, (char *)pattern(100, 42) };
    DWORD sent = 0;
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: error %d", err);
    ck_assert_uint_eq(WaitForSingleObject(ev, LB_WAIT_MS), WAIT_OBJECT_0);
    assert_no_packet(port, 200);
    ck_assert_uint_eq(sock_recv_exact(s, in, 100, LB_WAIT_MS), 100);
    ck_assert_uint_eq(pattern_mismatch((unsigned char *)in, 100, 42, 0), 100);
    WSACloseEvent(ev);
    free(buf.buf);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* S31: a completion routine on a socket bound to a completion port:
 * WSAEINVAL; the routine never runs and nothing is sent. */
START_TEST(test_S31_routine_on_iocp_socket_einval)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = sock_port_for_pair(c, KEY_CLIENT, s, KEY_SERVER);
    counted_calls = 0;
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 4, "oops" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASend(c, &buf, 1, &sent, 0, &ov, count_routine), WSAEINVAL);
    ck_assert_uint_eq(SleepEx(100, TRUE), 0);
    ck_assert_int_eq(counted_calls, 0);
    ck_assert_int_eq(sock_wait_readable(s, 100), 0);
    assert_no_packet(port, 0);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* S31 departure of a non-IFS layered provider: it cannot tell that the
 * handle is bound to a port, so the send is accepted and completes through
 * the routine (in an alertable wait), and the bytes arrive. */
START_TEST(test_S31_layered_departure_routine_on_iocp_socket_runs)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = sock_port_for_pair(c, KEY_CLIENT, s, KEY_SERVER);
    counted_calls = 0;
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 4, "oops" };
    DWORD sent = 0;
    char in[4];
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, count_routine);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d, error %d", rc, err);
    ck_assert_uint_eq(SleepEx(LB_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(counted_calls, 1);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "oops", 4), 0);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* An overlapped WSASend with an event on sockets made without
 * WSA_FLAG_OVERLAPPED: returns the call's result and error. */
static void overlapped_on_plain_socket(int family, int *rc, int *err, SOCKET *c, SOCKET *s,
                                       WSAOVERLAPPED *ov)
{
    sock_tcp_pair(family, 0, 0, c, s);
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = WSACreateEvent();
    WSABUF buf = { 4, "data" };
    DWORD sent = 0;
    *rc = WSASend(*c, &buf, 1, &sent, 0, ov, NULL);
    *err = WSAGetLastError();
}

/* S31: an overlapped op on a socket created without the overlapped
 * attribute: WSAEINVAL, nothing sent. */
START_TEST(test_S31_overlapped_on_nonoverlapped_socket_einval)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    int rc, err;
    overlapped_on_plain_socket(lb_family(_i), &rc, &err, &c, &s, &ov);
    ck_assert_msg(rc == SOCKET_ERROR && err == WSAEINVAL, "WSASend: %d, error %d", rc, err);
    ck_assert_int_eq(sock_wait_readable(s, 100), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S31 departure: Wine accepts the overlapped op on a socket made without
 * WSA_FLAG_OVERLAPPED, completes it at once and sends the bytes. */
START_TEST(test_S31_wine_departure_overlapped_on_nonoverlapped_socket_sent)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    int rc, err;
    char in[4];
    overlapped_on_plain_socket(lb_family(_i), &rc, &err, &c, &s, &ov);
    ck_assert_msg(rc == 0, "WSASend: %d, error %d", rc, err);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "data", 4), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_overlapped");
    TCase *tc = lb_tcase("iocp");
    tcase_add_loop_test(tc, test_iocp_hevent_low_bit_suppresses_packet, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("iocp_port_aware", LB_PORT_AWARE);
    tcase_add_loop_test(tc, test_S31_routine_on_iocp_socket_einval, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("layered_departures", LB_LAYERED_DEPARTURE);
    tcase_add_loop_test(tc, test_S31_layered_departure_routine_on_iocp_socket_runs, 0,
                        LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("plain_socket", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_S31_overlapped_on_nonoverlapped_socket_einval, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_S31_wine_departure_overlapped_on_nonoverlapped_socket_sent, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
