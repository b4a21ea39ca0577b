/* SPDX-License-Identifier: MIT */
/* Datagram sockets: sendto/recvfrom, a connected default peer, and the
 * datagram-only errors. */
#include <stdlib.h>
#include <string.h>
#include "base_harness.h"

START_TEST(test_udp_sendto_recvfrom)
{
    struct sockaddr_in to, from;
    WSABUF out = { 5, "dgram" }, in;
    SOCKET a, b;
    char got[6] = { 0 };
    DWORD sent = 0, count = 0, flags = 0;
    int err = 0, fromlen = sizeof(from), alen = sizeof(from);
    struct sockaddr_in a_name;

    t_udp_pair(&a, &b, &to);
    ck_assert_int_eq(procs.lpWSPSendTo(a, &out, 1, &sent, 0, (struct sockaddr *)&to, sizeof(to),
                                       NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(sent, 5);
    in.len = sizeof(got) - 1;
    in.buf = got;
    ck_assert_int_eq(procs.lpWSPRecvFrom(b, &in, 1, &count, &flags, (struct sockaddr *)&from,
                                         &fromlen, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(count, 5);
    ck_assert_str_eq(got, "dgram");
    ck_assert_int_eq(procs.lpWSPGetSockName(a, (struct sockaddr *)&a_name, &alen, &err), 0);
    ck_assert_uint_eq(from.sin_port, a_name.sin_port);
    t_close(a);
    t_close(b);
}
END_TEST

/* S20: a datagram socket connected to a default peer sends there. */
START_TEST(test_S20_connected_udp_default_peer)
{
    struct sockaddr_in to;
    WSABUF out = { 4, "peer" };
    SOCKET a, b;
    char got[5] = { 0 };
    DWORD sent = 0;
    int err = 0;

    t_udp_pair(&a, &b, &to);
    ck_assert_int_eq(procs.lpWSPConnect(a, (struct sockaddr *)&to, sizeof(to), NULL, NULL,
                                        NULL, NULL, &err), 0);
    ck_assert_int_eq(procs.lpWSPSend(a, &out, 1, &sent, 0, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(sent, 4);
    t_recv_exact(b, got, 4);
    ck_assert_str_eq(got, "peer");
    t_close(a);
    t_close(b);
}
END_TEST

/* S11: a datagram larger than SO_MAX_MSG_SIZE is refused whole. */
START_TEST(test_S11_datagram_too_big)
{
    struct sockaddr_in to;
    unsigned int max = 0;
    int err = 0, len = sizeof(max);
    SOCKET a, b;
    char *data;
    WSABUF out;
    DWORD sent = 0;

    t_udp_pair(&a, &b, &to);
    ck_assert_int_eq(procs.lpWSPGetSockOpt(a, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &len,
                                           &err), 0);
    ck_assert_uint_gt(max, 0);
    data = calloc(1, max + 1);
    ck_assert_ptr_nonnull(data);
    out.len = max + 1;
    out.buf = data;
    base_assert_fails(procs.lpWSPSendTo(a, &out, 1, &sent, 0, (struct sockaddr *)&to,
                                        sizeof(to), NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAEMSGSIZE);
    free(data);
    t_close(a);
    t_close(b);
}
END_TEST

/* S21: MSG_OOB has no meaning on a datagram socket. */
START_TEST(test_S21_oob_on_datagram)
{
    struct sockaddr_in to;
    WSABUF out = { 1, "x" };
    SOCKET a, b;
    DWORD sent = 0;
    int err = 0;

    t_udp_pair(&a, &b, &to);
    base_assert_fails(procs.lpWSPSendTo(a, &out, 1, &sent, MSG_OOB, (struct sockaddr *)&to,
                                        sizeof(to), NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAEOPNOTSUPP);
    t_close(a);
    t_close(b);
}
END_TEST

Suite *base_udp_suite(void)
{
    Suite *s = suite_create("base_udp");
    TCase *tc = base_tcase("udp");

    tcase_add_test(tc, test_udp_sendto_recvfrom);
    tcase_add_test(tc, test_S20_connected_udp_default_peer);
    tcase_add_test(tc, test_S11_datagram_too_big);
    tcase_add_test(tc, test_S21_oob_on_datagram);
    suite_add_tcase(s, tc);
    return s;
}
