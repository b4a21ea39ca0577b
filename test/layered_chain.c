/* SPDX-License-Identifier: MIT */
/* layered_chain.c: L08 with the provider's inspection counters - data
 * passes unchanged and the provider counts every byte once, on the right
 * socket, in the right direction. (L01 and L05 are spicheck's:
 * spicheck/t_hosted.c, spicheck/t_layered.c.) */
#include "layered_test.h"

#include <stdlib.h>

/* L08: a stream sent in pieces of every size, through several gathers,
 * arrives byte for byte; the provider's counters saw every byte once, in
 * the right direction, on the right socket. */
START_TEST(test_L08_stream_unchanged_and_counted)
{
    enum { TOTAL = 1 << 20 };
    unsigned char *out = malloc(TOTAL);
    ULONGLONG sent, received;
    size_t offset = 0, piece = 1;
    SOCKET c, s;
    struct lb_drain drain;

    ck_assert_ptr_nonnull(out);
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    layered_assert_through_lsp(c);
    layered_assert_through_lsp(s);
    lb_fill(out, TOTAL, 8, 0);
    lb_drain_start(&drain, s, TOTAL, 0);
    while (offset < TOTAL) {
        WSABUF bufs[3];
        DWORD n = 0, count = 0, i;
        for (i = 0; i < 3 && offset + n < TOTAL; i++) {
            size_t len = piece < TOTAL - offset - n ? piece : TOTAL - offset - n;
            bufs[i].buf = (char *)out + offset + n;
            bufs[i].len = (ULONG)len;
            n += (DWORD)len;
            count++;
            piece = piece * 3 % 7919 + 1;
        }
        DWORD done = 0;
        int rc = WSASend(c, bufs, count, &done, 0, NULL, NULL);
        int err = WSAGetLastError();
        ck_assert_msg(rc == 0, "WSASend: %d", err);
        ck_assert_uint_eq(done, n);
        offset += n;
    }
    lb_drain_join(&drain);
    ck_assert_uint_eq(lb_mismatch(drain.buf, TOTAL, 8, 0), TOTAL);
    lb_drain_free(&drain);

    layered_counts(c, &sent, &received);
    ck_assert_uint_eq(sent, TOTAL);
    ck_assert_uint_eq(received, 0);
    layered_counts(s, &sent, &received);
    ck_assert_uint_eq(sent, 0);
    ck_assert_uint_eq(received, TOTAL);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* L08: datagrams too, one for one. */
START_TEST(test_L08_datagrams_unchanged_and_counted)
{
    struct sockaddr_storage bname;
    int blen, i;
    SOCKET a, b;
    unsigned char out[1200], in[1500];
    ULONGLONG sent, received;

    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    layered_assert_through_lsp(a);
    for (i = 0; i < 10; i++) {
        lb_fill(out, sizeof(out), 20 + i, 0);
        ck_assert_int_eq(sendto(a, (char *)out, 100 * (i + 1), 0, (struct sockaddr *)&bname, blen),
                         100 * (i + 1));
        ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
        ck_assert_int_eq(recv(b, (char *)in, sizeof(in), 0), 100 * (i + 1));
        ck_assert_uint_eq(lb_mismatch(in, 100 * (i + 1), 20 + i, 0), 100 * (i + 1));
    }
    layered_counts(a, &sent, &received);
    ck_assert_uint_eq(sent, 5500);
    layered_counts(b, &sent, &received);
    ck_assert_uint_eq(received, 5500);
    closesocket(a);
    closesocket(b);
}
END_TEST

TCase *layered_chain_tcase(void)
{
    TCase *tc = layered_tcase("provider");
    tcase_add_loop_test(tc, test_L08_stream_unchanged_and_counted, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L08_datagrams_unchanged_and_counted, 0, LB_FAMILIES);
    return tc;
}
