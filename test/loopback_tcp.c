/* SPDX-License-Identifier: MIT */
/* loopback_tcp.c: blocking and non-blocking send over loopback TCP, IPv4 and
 * IPv6 (each test is a loop test over both families). */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

/* Socket buffers this small make a few hundred KiB more than the transport
 * can hold before the peer reads. */
#define SMALL_BUF 8192

/* S01, B01: a blocking send that fits returns at once with the full count,
 * through send() and through WSASend(); the bytes arrive unchanged. S06:
 * the socket has WSA_FLAG_OVERLAPPED, yet with lpOverlapped and the routine
 * NULL the WSASend is an ordinary synchronous one. */
START_TEST(test_S01_S06_B01_blocking_send_count)
{
    SOCKET c, s;
    unsigned char out[1000], in[1000];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    lb_fill(out, sizeof(out), 1, 0);

    ck_assert_int_eq(send(c, (char *)out, 400, 0), 400);

    WSABUF buf = { 600, (char *)out + 400 };
    DWORD sent = 0xdeadbeef;
    int rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend failed: %d", err);
    ck_assert_uint_eq(sent, 600);

    ck_assert_uint_eq(sock_recv_exact(s, in, sizeof(in), LB_WAIT_MS), sizeof(in));
    ck_assert_uint_eq(lb_mismatch(in, sizeof(in), 1, 0), sizeof(in));
    closesocket(c);
    closesocket(s);
}
END_TEST

/* B02: len == 0 succeeds and returns 0 (send and WSASend), and the stream
 * is unaffected: the next bytes arrive as the first ones. */
START_TEST(test_B02_zero_length_send)
{
    SOCKET c, s;
    char in[4];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);

    ck_assert_int_eq(send(c, "", 0, 0), 0);
    WSABUF buf = { 0, NULL };
    DWORD sent = 0xdeadbeef;
    int rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend(len 0) failed: %d", err);
    ck_assert_uint_eq(sent, 0);

    ck_assert_int_eq(sock_wait_readable(s, 100), 0);
    ck_assert_int_eq(send(c, "abcd", 4, 0), 4);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "abcd", 4), 0);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S12: several WSABUFs of different sizes go out as one gather, in array
 * order; the count is their sum. */
START_TEST(test_S12_gather_arrives_in_order)
{
    enum { N = 5 };
    static const ULONG sizes[N] = { 1, 17, 4096, 0, 70001 };
    SOCKET c, s;
    WSABUF bufs[N];
    size_t total = 0;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);

    unsigned char *out = malloc(80000);
    ck_assert_ptr_nonnull(out);
    /* One stream cut into pieces, each piece in its own scattered place. */
    lb_fill(out, 80000, 12, 0);
    unsigned char *pieces = malloc(80000);
    ck_assert_ptr_nonnull(pieces);
    size_t tail = 80000;
    for (int i = 0; i < N; i++) {
        /* Lay the pieces out back to front so array order != memory order. */
        tail -= sizes[i];
        memcpy(pieces + tail, out + total, sizes[i]);
        bufs[i].buf = (char *)pieces + tail;
        bufs[i].len = sizes[i];
        total += sizes[i];
    }

    struct lb_drain d;
    lb_drain_start(&d, s, total, 0);
    DWORD sent = 0;
    int rc = WSASend(c, bufs, N, &sent, 0, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend gather failed: %d", err);
    ck_assert_uint_eq(sent, total);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, total, 12, 0), total);
    lb_drain_free(&d);
    free(pieces);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S08: a blocking WSASend of two buffers far larger than the transport can
 * hold blocks until every byte of both is consumed, then reports it all. */
START_TEST(test_S08_big_blocking_send_completes)
{
    const size_t half = 4u << 20;
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    unsigned char *out = malloc(2 * half);
    ck_assert_ptr_nonnull(out);
    lb_fill(out, 2 * half, 8, 0);

    struct lb_drain d;
    /* The receiver starts late: the send must wait for it, not fail. */
    lb_drain_start(&d, s, 2 * half, 200);
    WSABUF bufs[2] = { { (ULONG)half, (char *)out }, { (ULONG)half, (char *)out + half } };
    DWORD sent = 0;
    int rc = WSASend(c, bufs, 2, &sent, 0, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "blocking WSASend failed: %d", err);
    ck_assert_uint_eq(sent, 2 * half);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, 2 * half, 8, 0), 2 * half);
    lb_drain_free(&d);

    /* Same through send(): the count is the whole length. */
    lb_drain_start(&d, s, half, 200);
    ck_assert_int_eq(send(c, (char *)out, (int)half, 0), (int)half);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, half, 8, 0), half);
    lb_drain_free(&d);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* Sends LEN-byte pieces of OUT on non-blocking C until WSAEWOULDBLOCK;
 * returns the bytes accepted. Asserts that it does block within LIMIT. */
static size_t fill_until_wouldblock(SOCKET c, const unsigned char *out, int len, size_t limit)
{
    size_t total = 0;
    for (;;) {
        int n = send(c, (const char *)out, len, 0);
        int err = WSAGetLastError();
        if (n == SOCKET_ERROR) {
            ck_assert_msg(err == WSAEWOULDBLOCK, "send: error %d, expected WSAEWOULDBLOCK", err);
            return total;
        }
        ck_assert_msg(n >= 1 && n <= len, "send returned %d of %d", n, len);
        total += (size_t)n;
        ck_assert_msg(total < limit, "%lu bytes accepted without WSAEWOULDBLOCK", (unsigned long)total);
    }
}

/* S07, B01: on a non-blocking stream socket whose transport buffer cannot
 * take the whole request, send/WSASend return a count between 1 and the
 * total instead of blocking or failing. */
START_TEST(test_S07_B01_partial_nonblocking_send)
{
    const int big = 4 << 20;
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    lb_set_nonblocking(c, 1);
    unsigned char *out = malloc(big);
    ck_assert_ptr_nonnull(out);
    lb_fill(out, big, 7, 0);

    int n = send(c, (char *)out, big, 0);
    int err = WSAGetLastError();
    ck_assert_msg(n != SOCKET_ERROR, "first send failed: %d", err);
    ck_assert_msg(n >= 1 && n < big, "send returned %d of %d", n, big);

    /* The bytes accepted are exactly the start of what was offered. */
    unsigned char *in = malloc(big);
    ck_assert_ptr_nonnull(in);
    ck_assert_uint_eq(sock_recv_exact(s, in, (size_t)n, LB_WAIT_MS), (size_t)n);
    ck_assert_uint_eq(lb_mismatch(in, (size_t)n, 7, 0), (size_t)n);

    /* Room again: the same through WSASend with two buffers. */
    ck_assert_int_eq(sock_wait_writable(c, LB_WAIT_MS), 1);
    WSABUF bufs[2] = { { big / 2, (char *)out }, { big / 2, (char *)out + big / 2 } };
    DWORD sent = 0;
    int rc = WSASend(c, bufs, 2, &sent, 0, NULL, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend failed: %d", err);
    ck_assert_msg(sent >= 1 && sent < (DWORD)big, "WSASend sent %lu of %d", sent, big);

    ck_assert_uint_eq(sock_recv_exact(s, in, sent, LB_WAIT_MS), sent);
    ck_assert_uint_eq(lb_mismatch(in, sent, 7, 0), sent);
    free(in);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* B03: a non-blocking send with no buffer space fails with WSAEWOULDBLOCK;
 * once the peer reads, select() reports the socket writable again and the
 * next send succeeds. */
START_TEST(test_B03_wouldblock_then_select_writable)
{
    SOCKET c, s;
    static unsigned char out[65536];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    lb_set_nonblocking(c, 1);
    lb_fill(out, sizeof(out), 3, 0);

    size_t queued = fill_until_wouldblock(c, out, sizeof(out), 64u << 20);
    ck_assert_uint_gt(queued, 0);
    /* Read everything that was queued: the sender has room again. */
    size_t drained = 0;
    while (drained < queued && sock_wait_readable(s, LB_WAIT_MS) == 1)
        drained += sock_recv_available(s);
    ck_assert_uint_eq(drained, queued);
    ck_assert_int_eq(sock_wait_writable(c, LB_WAIT_MS), 1);
    ck_assert_int_eq(send(c, (char *)out, 100, 0), 100);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* B03 with WSAEventSelect: after WSAEWOULDBLOCK, FD_WRITE is recorded again
 * (with no error) once the peer has read, and the event is signalled. */
START_TEST(test_B03_wouldblock_then_fd_write)
{
    SOCKET c, s;
    static unsigned char out[65536];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    lb_fill(out, sizeof(out), 4, 0);
    WSAEVENT ev = WSACreateEvent();
    ck_assert_ptr_nonnull(ev);
    /* WSAEventSelect makes the socket non-blocking by itself. */
    ck_assert_int_eq(WSAEventSelect(c, ev, FD_WRITE), 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, LB_WAIT_MS), WAIT_OBJECT_0);
    WSANETWORKEVENTS ne;
    ck_assert_int_eq(WSAEnumNetworkEvents(c, ev, &ne), 0);
    ck_assert_int_eq(ne.lNetworkEvents & FD_WRITE, FD_WRITE);

    size_t queued = fill_until_wouldblock(c, out, sizeof(out), 64u << 20);
    size_t drained = 0;
    while (drained < queued && sock_wait_readable(s, LB_WAIT_MS) == 1)
        drained += sock_recv_available(s);
    ck_assert_uint_eq(drained, queued);

    ck_assert_uint_eq(WaitForSingleObject(ev, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(WSAEnumNetworkEvents(c, ev, &ne), 0);
    ck_assert_int_eq(ne.lNetworkEvents & FD_WRITE, FD_WRITE);
    ck_assert_int_eq(ne.iErrorCode[FD_WRITE_BIT], 0);
    ck_assert_int_eq(send(c, (char *)out, 100, 0), 100);

    ck_assert_int_eq(WSAEventSelect(c, NULL, 0), 0);
    WSACloseEvent(ev);
    closesocket(c);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_tcp");
    TCase *tc = lb_tcase("blocking");
    tcase_add_loop_test(tc, test_S01_S06_B01_blocking_send_count, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_B02_zero_length_send, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S12_gather_arrives_in_order, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S08_big_blocking_send_completes, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("nonblocking");
    tcase_add_loop_test(tc, test_S07_B01_partial_nonblocking_send, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_B03_wouldblock_then_select_writable, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_B03_wouldblock_then_fd_write, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
