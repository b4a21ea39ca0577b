/* SPDX-License-Identifier: MIT */
/* badargs.c: bad arguments to WSASend (and send) over loopback, IPv4 and
 * IPv6: bad pointers, counts, flags and sockets. Each must fail at once with
 * the documented error, start nothing (S05: an overlapped call that fails
 * leaves its event unsignalled), transmit nothing, and never crash the
 * process. The same binary runs on Wine's ws2_32 (host), through the front
 * end and through the layered provider: the last two must answer as the
 * host does, clause by clause (test/badargs.list).
 *
 * Bad memory is real: a page committed then made PAGE_NOACCESS, right after
 * a readable page, so that a buffer can also straddle the boundary. */
#include "loopback_util.h"

#include <string.h>

/* The last bytes of a readable page, then a page that cannot be touched. */
struct badmem {
    char *base;
    char *edge;           /* first byte of the PAGE_NOACCESS page */
    DWORD page;
};

static void badmem_init(struct badmem *m)
{
    SYSTEM_INFO si;
    DWORD old;
    GetSystemInfo(&si);
    m->page = si.dwPageSize;
    m->base = VirtualAlloc(NULL, 2 * m->page, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    ck_assert_ptr_nonnull(m->base);
    memset(m->base, 'a', m->page);
    m->edge = m->base + m->page;
    ck_assert(VirtualProtect(m->edge, m->page, PAGE_NOACCESS, &old));
}

static void badmem_free(struct badmem *m)
{
    ck_assert(VirtualFree(m->base, 0, MEM_RELEASE));
}

/* Nothing arrived at R (stream or datagram) within a short wait. */
static void assert_nothing_sent(SOCKET r)
{
    ck_assert_msg(sock_wait_readable(r, 100) == 0, "the failed call transmitted something");
}

/* WSASend(S, BUFS, COUNT, FLAGS) fails with CODE, both without an
 * overlapped structure and with one (then with no completion: S05). */
static void assert_wsasend_fails(SOCKET s, WSABUF *bufs, DWORD count, DWORD flags, int code)
{
    DWORD sent = 0x5eed;
    lb_assert_wsa_error(WSASend(s, bufs, count, &sent, flags, NULL, NULL), code);

    WSAOVERLAPPED ov;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ck_assert(ov.hEvent != WSA_INVALID_EVENT);
    lb_assert_wsa_error(WSASend(s, bufs, count, &sent, flags, &ov, NULL), code);
    ck_assert_msg(WaitForSingleObject(ov.hEvent, 100) == WAIT_TIMEOUT,
                  "a failed overlapped WSASend signalled its event (S05)");
    WSACloseEvent(ov.hEvent);
}

/* S25: lpBuffers NULL, lpBuffers in a page that cannot be read, and an
 * array whose second WSABUF lies in it: WSAEFAULT, nothing sent. */
START_TEST(test_S25_bad_lpbuffers)
{
    struct badmem m;
    SOCKET c, s;
    badmem_init(&m);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);

    assert_wsasend_fails(c, NULL, 1, 0, WSAEFAULT);
    assert_wsasend_fails(c, (WSABUF *)m.edge, 1, 0, WSAEFAULT);
    WSABUF *straddle = (WSABUF *)(m.edge - sizeof(WSABUF));
    straddle->len = 4;
    straddle->buf = "abcd";
    assert_wsasend_fails(c, straddle, 2, 0, WSAEFAULT);
    assert_nothing_sent(s);

    closesocket(c);
    closesocket(s);
    badmem_free(&m);
}
END_TEST

/* S25, B05: a data buffer that is not readable, NULL with a length, or
 * that runs into the unreadable page: WSAEFAULT through WSASend and send. */
START_TEST(test_S25_B05_bad_data_buffer)
{
    struct badmem m;
    SOCKET c, s;
    badmem_init(&m);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);

    WSABUF bad[3] = { { 16, m.edge }, { 16, NULL }, { 32, m.edge - 16 } };
    for (int i = 0; i < 3; i++) {
        assert_wsasend_fails(c, &bad[i], 1, 0, WSAEFAULT);
        lb_assert_wsa_error(send(c, bad[i].buf, (int)bad[i].len, 0), WSAEFAULT);
    }
    /* A good buffer before a bad one: still all-or-nothing. */
    WSABUF pair[2] = { { 4, "good" }, { 16, m.edge } };
    assert_wsasend_fails(c, pair, 2, 0, WSAEFAULT);
    assert_nothing_sent(s);

    closesocket(c);
    closesocket(s);
    badmem_free(&m);
}
END_TEST

/* S26: lpNumberOfBytesSent NULL without an overlapped structure:
 * WSAEFAULT, nothing sent. (Not tested: an lpNumberOfBytesSent pointing to
 * unwritable memory, or an lpOverlapped not in valid memory, both of which
 * WSASend's error list makes WSAEFAULT too: Wine 8's ws2_32 writes the
 * count and reads the overlapped structure unguarded, and the process dies
 * with a page fault on host and front end, so there is no answer to pin.) */
START_TEST(test_S26_null_count_pointer)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    WSABUF buf = { 4, "fail" };
    lb_assert_wsa_error(WSASend(c, &buf, 1, NULL, 0, NULL, NULL), WSAEFAULT);
    assert_nothing_sent(s);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* dwBufferCount 0 (no clause; the documents are silent): every arrangement
 * must give the host's answer, pinned here: the call succeeds, reports 0
 * bytes, and puts nothing on the stream. A later real send still works. */
START_TEST(test_zero_buffer_count)
{
    SOCKET c, s;
    char in[4];
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    WSABUF buf = { 4, "none" };
    DWORD sent = 0x5eed;
    int rc = WSASend(c, &buf, 0, &sent, 0, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend(dwBufferCount 0): error %d", err);
    ck_assert_uint_eq(sent, 0);
    assert_nothing_sent(s);
    WSABUF ok = { 4, "real" };
    ck_assert_int_eq(WSASend(c, &ok, 1, &sent, 0, NULL, NULL), 0);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "real", 4), 0);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* B04: a flag send() does not know: WSAEINVAL, nothing sent; WSASend
 * answers the same. */
START_TEST(test_B04_unknown_flag)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    lb_assert_wsa_error(send(c, "x", 1, 0x10000), WSAEINVAL);
    WSABUF buf = { 1, "x" };
    assert_wsasend_fails(c, &buf, 1, 0x10000, WSAEINVAL);
    assert_nothing_sent(s);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* B04: MSG_OOB on a socket with SO_OOBINLINE set: WSAEINVAL. */
START_TEST(test_B04_oob_with_oobinline)
{
    SOCKET c, s;
    BOOL on = TRUE;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), 0);
    lb_assert_wsa_error(send(c, "x", 1, MSG_OOB), WSAEINVAL);
    assert_nothing_sent(s);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S21: MSG_PARTIAL on a stream socket (which does not support it):
 * WSAEOPNOTSUPP. */
START_TEST(test_S21_msg_partial_on_stream)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    WSABUF buf = { 1, "x" };
    assert_wsasend_fails(c, &buf, 1, MSG_PARTIAL, WSAEOPNOTSUPP);
    assert_nothing_sent(s);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* Wine departures on flags: Wine's ws2_32 passes flags it does not know,
 * MSG_OOB with SO_OOBINLINE and MSG_PARTIAL on to the Linux send, which
 * ignores them or sends urgent data: the call succeeds and the byte goes
 * out. Pinned so that every arrangement is held to Wine's answer; each
 * fails on a conforming Winsock. */

/* The byte sent with the flag arrives, as ordinary data, at S. */
static void assert_arrives(SOCKET s, const char *what, size_t len)
{
    char in[8];
    ck_assert_uint_eq(sock_recv_exact(s, in, len, LB_WAIT_MS), len);
    ck_assert_int_eq(memcmp(in, what, len), 0);
}

/* B04 departure: an unknown flag is ignored by send and WSASend. */
START_TEST(test_B04_wine_departure_unknown_flag_ignored)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(send(c, "x", 1, 0x10000), 1);
    WSABUF buf = { 1, "y" };
    DWORD sent = 0;
    ck_assert_int_eq(WSASend(c, &buf, 1, &sent, 0x10000, NULL, NULL), 0);
    ck_assert_uint_eq(sent, 1);
    assert_arrives(s, "xy", 2);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* B04 departure: MSG_OOB on a socket with SO_OOBINLINE is sent. */
START_TEST(test_B04_wine_departure_oob_with_oobinline_sent)
{
    SOCKET c, s;
    BOOL on = TRUE;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(setsockopt(c, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)), 0);
    ck_assert_int_eq(send(c, "x", 1, MSG_OOB), 1);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S21 departure: MSG_PARTIAL on a stream socket is ignored. */
START_TEST(test_S21_wine_departure_msg_partial_ignored)
{
    SOCKET c, s;
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    WSABUF buf = { 1, "p" };
    DWORD sent = 0;
    ck_assert_int_eq(WSASend(c, &buf, 1, &sent, MSG_PARTIAL, NULL, NULL), 0);
    ck_assert_uint_eq(sent, 1);
    assert_arrives(s, "p", 1);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* A connected UDP pair (S20): WSASend sends to the default peer. */
static void udp_connected(int family, SOCKET *a, SOCKET *b)
{
    struct sockaddr_storage bname;
    int blen;
    sock_udp_pair(family, a, b, &bname, &blen);
    ck_assert_int_eq(connect(*a, (struct sockaddr *)&bname, blen), 0);
}

/* S21: MSG_OOB on a datagram socket, through WSASend on a connected UDP
 * socket: WSAEOPNOTSUPP and no datagram. */
START_TEST(test_S21_udp_oob)
{
    SOCKET a, b;
    udp_connected(lb_family(_i), &a, &b);
    WSABUF buf = { 1, "x" };
    assert_wsasend_fails(a, &buf, 1, MSG_OOB, WSAEOPNOTSUPP);
    assert_nothing_sent(b);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S21 departure (IPv6 only, as in loopback_udp.c): Wine passes MSG_OOB on
 * UDP/IPv6 to Linux, which ignores it: the datagram is sent. */
START_TEST(test_S21_wine_departure_ipv6_udp_oob_sent)
{
    SOCKET a, b;
    char in[4];
    udp_connected(AF_INET6, &a, &b);
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    ck_assert_int_eq(WSASend(a, &buf, 1, &sent, MSG_OOB, NULL, NULL), 0);
    ck_assert_uint_eq(sent, 1);
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(b, in, sizeof(in), 0), 1);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S24: INVALID_SOCKET, a closed socket and a file handle, through
 * overlapped WSASend too (with a bad buffer as well, which must not be
 * looked at first): WSAENOTSOCK, and no completion. */
START_TEST(test_S24_not_a_socket_overlapped)
{
    SOCKET c, s;
    WSABUF buf = { 1, "x" };
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(closesocket(c), 0);

    WCHAR dir[MAX_PATH], path[MAX_PATH];
    ck_assert_uint_gt(GetTempPathW(MAX_PATH, dir), 0);
    ck_assert_uint_ne(GetTempFileNameW(dir, L"bad", 0, path), 0);
    HANDLE file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                              FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    ck_assert(file != INVALID_HANDLE_VALUE);

    SOCKET bad[3] = { INVALID_SOCKET, c, (SOCKET)file };
    for (int i = 0; i < 3; i++)
        assert_wsasend_fails(bad[i], &buf, 1, 0, WSAENOTSOCK);
    LARGE_INTEGER size;
    ck_assert(GetFileSizeEx(file, &size));
    ck_assert_msg(size.QuadPart == 0, "WSASend wrote %lld bytes into a file", size.QuadPart);
    CloseHandle(file);
    /* The peer of the closed socket sees the end of the stream, no data. */
    char in[4];
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(s, in, sizeof(in), 0), 0);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *s = suite_create("badargs");
    TCase *tc = lb_tcase("badargs");
    tcase_add_loop_test(tc, test_S25_bad_lpbuffers, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S25_B05_bad_data_buffer, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S26_null_count_pointer, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_zero_buffer_count, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S21_udp_oob, 0, 1);
    tcase_add_loop_test(tc, test_S24_not_a_socket_overlapped, 0, LB_FAMILIES);
    suite_add_tcase(s, tc);

    tc = lb_tcase_tagged("documented", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_B04_unknown_flag, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_B04_oob_with_oobinline, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S21_msg_partial_on_stream, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S21_udp_oob, 1, 2);
    suite_add_tcase(s, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_B04_wine_departure_unknown_flag_ignored, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_B04_wine_departure_oob_with_oobinline_sent, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S21_wine_departure_msg_partial_ignored, 0, LB_FAMILIES);
    tcase_add_test(tc, test_S21_wine_departure_ipv6_udp_oob_sent);
    suite_add_tcase(s, tc);
    return s;
}
