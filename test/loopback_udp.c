/* SPDX-License-Identifier: MIT */
/* loopback_udp.c: datagram sends over loopback UDP, IPv4 and IPv6. */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

/* Two addresses are the same endpoint (family, address, port). */
static int same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family)
        return 0;
    if (a->ss_family == AF_INET) {
        const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
        return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
    }
    const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
    return x->sin6_port == y->sin6_port && !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
}

/* Receives one datagram on S (waiting up to LB_WAIT_MS): its length, or -1.
 * FROM, when not NULL, gets the sender. */
static int recv_datagram(SOCKET s, void *buf, int len, struct sockaddr_storage *from)
{
    if (sock_wait_readable(s, LB_WAIT_MS) != 1)
        return -1;
    struct sockaddr_storage dummy;
    int fromlen = sizeof(dummy);
    return recvfrom(s, buf, len, 0, (struct sockaddr *)(from ? from : &dummy), &fromlen);
}

static void name_of(SOCKET s, struct sockaddr_storage *name)
{
    int len = sizeof(*name);
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)name, &len), 0);
}

/* S01: sendto/WSASendTo return the full count at once and one datagram with
 * those bytes arrives from the sender's address. */
START_TEST(test_S01_udp_send_count)
{
    SOCKET a, b;
    struct sockaddr_storage bname, aname, from;
    int blen;
    unsigned char out[500], in[600];
    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    name_of(a, &aname);
    lb_fill(out, sizeof(out), 101, 0);

    ck_assert_int_eq(sendto(a, (char *)out, 200, 0, (struct sockaddr *)&bname, blen), 200);
    WSABUF buf = { 300, (char *)out + 200 };
    DWORD sent = 0;
    int rc = WSASendTo(a, &buf, 1, &sent, 0, (struct sockaddr *)&bname, blen, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASendTo failed: %d", err);
    ck_assert_uint_eq(sent, 300);

    ck_assert_int_eq(recv_datagram(b, in, sizeof(in), &from), 200);
    ck_assert(same_endpoint(&from, &aname));
    ck_assert_int_eq(recv_datagram(b, in + 200, sizeof(in) - 200, &from), 300);
    ck_assert(same_endpoint(&from, &aname));
    ck_assert_uint_eq(lb_mismatch(in, 500, 101, 0), 500);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* B02: a zero-length send on a datagram socket returns 0 and sends a
 * zero-length datagram, which the peer receives as such. */
START_TEST(test_B02_udp_zero_length_datagram)
{
    SOCKET a, b;
    struct sockaddr_storage bname, aname, from;
    int blen;
    char in[16];
    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    name_of(a, &aname);
    ck_assert_int_eq(sendto(a, "", 0, 0, (struct sockaddr *)&bname, blen), 0);
    ck_assert_int_eq(recv_datagram(b, in, sizeof(in), &from), 0);
    ck_assert(same_endpoint(&from, &aname));
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S20: after connect() on a datagram socket, send and WSASend without an
 * address go to that default peer. */
START_TEST(test_S20_udp_connected_default_peer)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    unsigned char in[64];
    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    ck_assert_int_eq(connect(a, (struct sockaddr *)&bname, blen), 0);
    ck_assert_int_eq(send(a, "first", 5, 0), 5);
    WSABUF buf = { 6, "second" };
    DWORD sent = 0;
    int rc = WSASend(a, &buf, 1, &sent, 0, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend failed: %d", err);
    ck_assert_uint_eq(sent, 6);
    ck_assert_int_eq(recv_datagram(b, in, sizeof(in), NULL), 5);
    ck_assert_int_eq(memcmp(in, "first", 5), 0);
    ck_assert_int_eq(recv_datagram(b, in, sizeof(in), NULL), 6);
    ck_assert_int_eq(memcmp(in, "second", 6), 0);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S12 on a datagram socket: several WSABUFs form one datagram, bytes in
 * array order. */
START_TEST(test_S12_udp_gather_one_datagram)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    unsigned char out[1200], in[1500];
    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    lb_fill(out, sizeof(out), 112, 0);
    /* Pieces reversed in memory so that array order is what matters. */
    unsigned char mem[1200];
    memcpy(mem + 900, out, 300);
    memcpy(mem + 100, out + 300, 800);
    memcpy(mem, out + 1100, 100);
    WSABUF bufs[3] = { { 300, (char *)mem + 900 }, { 800, (char *)mem + 100 }, { 100, (char *)mem } };
    DWORD sent = 0;
    int rc = WSASendTo(a, bufs, 3, &sent, 0, (struct sockaddr *)&bname, blen, NULL, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASendTo failed: %d", err);
    ck_assert_uint_eq(sent, 1200);
    ck_assert_int_eq(recv_datagram(b, in, sizeof(in), NULL), 1200);
    ck_assert_uint_eq(lb_mismatch(in, 1200, 112, 0), 1200);
    ck_assert_int_eq(sock_wait_readable(b, 100), 0);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S11: a datagram one byte larger than SO_MAX_MSG_SIZE fails with
 * WSAEMSGSIZE and nothing is transmitted; one of exactly SO_MAX_MSG_SIZE
 * goes through whole. */
START_TEST(test_S11_udp_larger_than_max_msg_size)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    unsigned int max = 0;
    int optlen = sizeof(max);
    ck_assert_int_eq(getsockopt(a, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &optlen), 0);
    ck_assert_uint_gt(max, 0);
    ck_assert_uint_lt(max, 65536);
    int rcvbuf = 1 << 20;
    ck_assert_int_eq(setsockopt(b, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf)), 0);
    unsigned char *out = malloc(max + 1), *in = malloc(max + 1);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(in);
    lb_fill(out, max + 1, 111, 0);

    lb_assert_wsa_error(sendto(a, (char *)out, (int)max + 1, 0, (struct sockaddr *)&bname, blen), WSAEMSGSIZE);
    WSABUF buf = { max + 1, (char *)out };
    DWORD sent = 0xdeadbeef;
    lb_assert_wsa_error(WSASendTo(a, &buf, 1, &sent, 0, (struct sockaddr *)&bname, blen, NULL, NULL), WSAEMSGSIZE);
    ck_assert_int_eq(sock_wait_readable(b, 200), 0);

    ck_assert_int_eq(sendto(a, (char *)out, (int)max, 0, (struct sockaddr *)&bname, blen), (int)max);
    ck_assert_int_eq(recv_datagram(b, in, (int)max + 1, NULL), (int)max);
    ck_assert_uint_eq(lb_mismatch(in, max, 111, 0), max);
    free(out);
    free(in);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S21: MSG_OOB on a datagram socket fails with WSAEOPNOTSUPP, through
 * sendto, send (connected) and WSASendTo, and nothing is transmitted. */
START_TEST(test_S21_udp_msg_oob_not_supported)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    lb_assert_wsa_error(sendto(a, "x", 1, MSG_OOB, (struct sockaddr *)&bname, blen), WSAEOPNOTSUPP);
    WSABUF buf = { 1, "y" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASendTo(a, &buf, 1, &sent, MSG_OOB, (struct sockaddr *)&bname, blen, NULL, NULL),
                        WSAEOPNOTSUPP);
    ck_assert_int_eq(connect(a, (struct sockaddr *)&bname, blen), 0);
    lb_assert_wsa_error(send(a, "z", 1, MSG_OOB), WSAEOPNOTSUPP);
    ck_assert_int_eq(sock_wait_readable(b, 200), 0);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* Wine departures, IPv6 only. Wine answers the IPv4 value for
 * SO_MAX_MSG_SIZE on an IPv6 UDP socket but lets Linux enforce its IPv6
 * limit, and passes MSG_OOB on UDP/IPv6 to Linux, which ignores it. These
 * tests pin down what Wine does, so that the arrangements can be compared
 * on it and a change in Wine shows; they fail on a conforming Winsock,
 * where the IPv6 runs of the two tests above hold instead. */

/* S11 departure: SO_MAX_MSG_SIZE is 65507 on UDP/IPv6, yet a datagram of
 * 65508..65527 bytes is sent whole; 65528 fails with WSAEMSGSIZE. */
START_TEST(test_S11_wine_departure_ipv6_max_msg_size)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    lb_udp_pair(AF_INET6, &a, &b, &bname, &blen);
    unsigned int max = 0;
    int optlen = sizeof(max);
    ck_assert_int_eq(getsockopt(a, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &optlen), 0);
    ck_assert_uint_eq(max, 65507);
    int rcvbuf = 1 << 20;
    ck_assert_int_eq(setsockopt(b, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf)), 0);
    const int over = 65527, limit = 65528;
    unsigned char *out = malloc(limit), *in = malloc(limit);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(in);
    lb_fill(out, limit, 611, 0);
    ck_assert_int_eq(sendto(a, (char *)out, over, 0, (struct sockaddr *)&bname, blen), over);
    ck_assert_int_eq(recv_datagram(b, in, limit, NULL), over);
    ck_assert_uint_eq(lb_mismatch(in, over, 611, 0), over);
    lb_assert_wsa_error(sendto(a, (char *)out, limit, 0, (struct sockaddr *)&bname, blen), WSAEMSGSIZE);
    ck_assert_int_eq(sock_wait_readable(b, 200), 0);
    free(out);
    free(in);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* S21 departure: MSG_OOB on UDP/IPv6 succeeds and the datagram arrives. */
START_TEST(test_S21_wine_departure_ipv6_udp_oob_sent)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    char in[8];
    lb_udp_pair(AF_INET6, &a, &b, &bname, &blen);
    ck_assert_int_eq(sendto(a, "x", 1, MSG_OOB, (struct sockaddr *)&bname, blen), 1);
    ck_assert_int_eq(recv_datagram(b, in, sizeof(in), NULL), 1);
    ck_assert_int_eq(in[0], 'x');
    closesocket(a);
    closesocket(b);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_udp");
    TCase *tc = lb_tcase("udp");
    tcase_add_loop_test(tc, test_S01_udp_send_count, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_B02_udp_zero_length_datagram, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S20_udp_connected_default_peer, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S12_udp_gather_one_datagram, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    /* IPv4 (index 0) holds everywhere; on IPv6 (index 1) Wine departs. */
    tc = lb_tcase("udp_errors");
    tcase_add_loop_test(tc, test_S11_udp_larger_than_max_msg_size, 0, 1);
    tcase_add_loop_test(tc, test_S21_udp_msg_oob_not_supported, 0, 1);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("udp_errors_ipv6", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_S11_udp_larger_than_max_msg_size, 1, 2);
    tcase_add_loop_test(tc, test_S21_udp_msg_oob_not_supported, 1, 2);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_test(tc, test_S11_wine_departure_ipv6_max_msg_size);
    tcase_add_test(tc, test_S21_wine_departure_ipv6_udp_oob_sent);
    suite_add_tcase(suite, tc);
    return suite;
}
