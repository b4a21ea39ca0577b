/* SPDX-License-Identifier: MIT */
/* layered_stream.c: synchronous sends and receives through the provider,
 * which go straight to the lower provider (S09): blocking (S01, S08),
 * non-blocking (S07, B01, B03), and errors passed through unchanged. */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

#define SMALL_BUF 8192

/* S01, S06, S09: a blocking send that fits completes at once with the
 * full count - through send(), and through WSASend on an overlapped
 * socket without an overlapped structure; recv gets the same bytes. */
START_TEST(test_S01_blocking_send_and_recv)
{
    unsigned char out[3000], in[3000];
    WSABUF buf = { 2000, (char *)out + 1000 };
    DWORD sent = 0;
    SOCKET c, s;
    int rc, err;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    layered_assert_through_lsp(c);
    pattern_fill(out, sizeof(out), 3, 0);
    ck_assert_int_eq(send(c, (char *)out, 1000, 0), 1000);
    rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend: %d", err);
    ck_assert_uint_eq(sent, 2000);
    ck_assert_uint_eq(sock_recv_exact(s, in, sizeof(in), LB_WAIT_MS), sizeof(in));
    ck_assert_uint_eq(pattern_mismatch(in, sizeof(in), 3, 0), sizeof(in));
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S08: a blocking send far larger than the socket buffers blocks until
 * every byte is consumed, then reports them all. */
START_TEST(test_S08_blocking_send_waits_for_all)
{
    enum { TOTAL = 2 << 20 };
    unsigned char *out = malloc(TOTAL);
    struct sock_drain drain;
    SOCKET c, s;

    ck_assert_ptr_nonnull(out);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    pattern_fill(out, TOTAL, 4, 0);
    lb_drain_start(&drain, s, TOTAL, 200);
    ck_assert_int_eq(send(c, (char *)out, TOTAL, 0), TOTAL);
    lb_drain_join(&drain);
    ck_assert_uint_eq(pattern_mismatch(drain.buf, TOTAL, 4, 0), TOTAL);
    sock_drain_free(&drain);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S07, B01, B03: a non-blocking send with too little buffer space sends a
 * part, then fails with WSAEWOULDBLOCK; once the peer reads, select
 * reports the socket writable again. Nothing is lost or doubled. */
START_TEST(test_S07_B03_nonblocking_partial_then_wouldblock)
{
    enum { CHUNK = 1 << 20 };
    unsigned char *out = malloc(CHUNK);
    size_t total = 0, got;
    unsigned char *in;
    SOCKET c, s;
    int n, err;

    ck_assert_ptr_nonnull(out);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    lb_set_nonblocking(c, 1);
    for (;;) {
        pattern_fill(out, CHUNK, 5, total);
        n = send(c, (char *)out, CHUNK, 0);
        err = WSAGetLastError();
        if (n == SOCKET_ERROR)
            break;
        ck_assert_int_gt(n, 0);
        ck_assert_int_le(n, CHUNK);
        total += (size_t)n;
        ck_assert_uint_lt(total, 64u << 20);
    }
    ck_assert_int_eq(err, WSAEWOULDBLOCK);
    ck_assert_uint_gt(total, 0);
    ck_assert_int_eq(sock_wait_writable(c, 0), 0);

    in = malloc(total);
    ck_assert_ptr_nonnull(in);
    got = sock_recv_exact(s, in, total, LB_WAIT_MS);
    ck_assert_uint_eq(got, total);
    ck_assert_uint_eq(pattern_mismatch(in, total, 5, 0), total);
    ck_assert_int_eq(sock_wait_writable(c, LB_WAIT_MS), 1);
    free(in);
    free(out);
    sock_close_pair(c, s);
}
END_TEST

/* Non-blocking receive with nothing queued: WSAEWOULDBLOCK, as below. */
START_TEST(test_nonblocking_recv_would_block)
{
    SOCKET c, s;
    char byte;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    lb_set_nonblocking(s, 1);
    lb_assert_wsa_error(recv(s, &byte, 1, 0), WSAEWOULDBLOCK);
    ck_assert_int_eq(send(c, "z", 1, 0), 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(s, &byte, 1, 0), 1);
    ck_assert_int_eq(byte, 'z');
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S22, S23, S24: the lower provider's errors come through unchanged -
 * not connected, shut down, and a closed socket - as a base socket gives
 * them. */
START_TEST(test_S22_S23_S24_errors_as_the_base_gives_them)
{
    int family = lb_family(_i);
    SOCKET lone = socket(family, SOCK_STREAM, IPPROTO_TCP);
    SOCKET base = layered_base_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED), c, s;
    WSABUF buf = { 1, "x" };
    DWORD sent;

    layered_assert_through_lsp(lone);
    layered_assert_same_error(send(lone, "x", 1, 0), send(base, "x", 1, 0));
    layered_assert_same_error(WSASend(lone, &buf, 1, &sent, 0, NULL, NULL),
                              WSASend(base, &buf, 1, &sent, 0, NULL, NULL));
    closesocket(lone);
    closesocket(base);
    layered_assert_same_error(send(lone, "x", 1, 0), send(base, "x", 1, 0));

    sock_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(shutdown(c, SD_SEND), 0);
    lb_assert_wsa_error(send(c, "x", 1, 0), WSAESHUTDOWN);
    closesocket(c);
    closesocket(s);
}
END_TEST

TCase *layered_stream_tcase(void)
{
    TCase *tc = layered_tcase("stream");
    tcase_add_loop_test(tc, test_S01_blocking_send_and_recv, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S08_blocking_send_waits_for_all, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S07_B03_nonblocking_partial_then_wouldblock, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_nonblocking_recv_would_block, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S22_S23_S24_errors_as_the_base_gives_them, 0, LB_FAMILIES);
    return tc;
}
