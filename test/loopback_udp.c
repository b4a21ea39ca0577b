/* SPDX-License-Identifier: MIT */
/* loopback_udp.c: what Wine's ws2_32 answers on UDP/IPv6 where it departs
 * from the documents (S11, S21). The documented answers, IPv4 and IPv6,
 * are spicheck's (spicheck/t_errors.c: t_S11, t_S21), which the host
 * arrangement fails on exactly these points. */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

/* Wine departures, IPv6 only. Wine answers the IPv4 value for
 * SO_MAX_MSG_SIZE on an IPv6 UDP socket but lets Linux enforce its IPv6
 * limit, and passes MSG_OOB on UDP/IPv6 to Linux, which ignores it. These
 * tests pin down what Wine does, so that the arrangements can be compared
 * on it and a change in Wine shows; they fail on a conforming Winsock,
 * where spicheck's t_S11 and t_S21 pass instead. */

/* S11 departure: SO_MAX_MSG_SIZE is 65507 on UDP/IPv6, yet a datagram of
 * 65508..65527 bytes is sent whole; 65528 fails with WSAEMSGSIZE. */
START_TEST(test_S11_wine_departure_ipv6_max_msg_size)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    sock_udp_pair(AF_INET6, &a, &b, &bname, &blen);
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
    pattern_fill(out, limit, 611, 0);
    ck_assert_int_eq(sendto(a, (char *)out, over, 0, (struct sockaddr *)&bname, blen), over);
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(b, (char *)in, limit, 0), over);
    ck_assert_uint_eq(pattern_mismatch(in, over, 611, 0), over);
    lb_assert_wsa_error(sendto(a, (char *)out, limit, 0, (struct sockaddr *)&bname, blen), WSAEMSGSIZE);
    ck_assert_int_eq(sock_wait_readable(b, 200), 0);
    free(out);
    free(in);
    sock_close_pair(a, b);
}
END_TEST

/* S21 departure: MSG_OOB on UDP/IPv6 succeeds and the datagram arrives. */
START_TEST(test_S21_wine_departure_ipv6_udp_oob_sent)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;
    char in[8];
    sock_udp_pair(AF_INET6, &a, &b, &bname, &blen);
    ck_assert_int_eq(sendto(a, "x", 1, MSG_OOB, (struct sockaddr *)&bname, blen), 1);
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(b, in, sizeof(in), 0), 1);
    ck_assert_int_eq(in[0], 'x');
    closesocket(a);
    closesocket(b);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_udp");
    TCase *tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_test(tc, test_S11_wine_departure_ipv6_max_msg_size);
    tcase_add_test(tc, test_S21_wine_departure_ipv6_udp_oob_sent);
    suite_add_tcase(suite, tc);
    return suite;
}
