/* SPDX-License-Identifier: MIT */
/* Address conversion, plain socket options, and the calls whose answer is
 * whatever the system answers (QOS by name, cancelling a blocking call,
 * joining a multipoint session): the provider must give the same result
 * and error as the system does on its own socket. */
#include <string.h>
#include "base_harness.h"

START_TEST(test_address_round_trip)
{
    WCHAR text[64], in[] = L"127.0.0.1:8080";
    struct sockaddr_in addr;
    DWORD text_len = 64;
    int err = 0, len = sizeof(addr);

    ck_assert_int_eq(procs.lpWSPStringToAddress(in, AF_INET, &entry_tcp4, (LPSOCKADDR)&addr,
                                                &len, &err), 0);
    ck_assert_int_eq(addr.sin_family, AF_INET);
    ck_assert_uint_eq(ntohs(addr.sin_port), 8080);
    ck_assert_uint_eq(addr.sin_addr.s_addr, htonl(INADDR_LOOPBACK));
    ck_assert_int_eq(procs.lpWSPAddressToString((LPSOCKADDR)&addr, sizeof(addr), &entry_tcp4,
                                                text, &text_len, &err), 0);
    ck_assert_msg(!wcscmp(text, in), "got %ls", text);
    ck_assert_uint_eq(text_len, wcslen(in) + 1);
}
END_TEST

/* Errors of the converters reach lpErrno. */
START_TEST(test_address_errors)
{
    WCHAR bad[] = L"not an address", text[2];
    struct sockaddr_in addr;
    DWORD text_len = 2;
    int err = 0, len = sizeof(addr);

    base_assert_fails(procs.lpWSPStringToAddress(bad, AF_INET, &entry_tcp4, (LPSOCKADDR)&addr,
                                                 &len, &err), SOCKET_ERROR, err, WSAEINVAL);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    base_assert_fails(procs.lpWSPAddressToString((LPSOCKADDR)&addr, sizeof(addr), &entry_tcp4,
                                                 text, &text_len, &err), SOCKET_ERROR, err,
                      WSAEFAULT);
}
END_TEST

START_TEST(test_sockopt_round_trip)
{
    SOCKET s = t_socket(&entry_tcp4, 0);
    int size = 32768, got = 0, len = sizeof(got), err = 0;

    ck_assert_int_eq(procs.lpWSPSetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&size,
                                           sizeof(size), &err), 0);
    ck_assert_int_eq(procs.lpWSPGetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&got, &len, &err),
                     0);
    ck_assert_int_eq(got, size);
    base_assert_fails(procs.lpWSPSetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&size, 1, &err),
                      SOCKET_ERROR, err, WSAEFAULT);
    t_close(s);
}
END_TEST

START_TEST(test_qos_by_name_as_system)
{
    SOCKET s = t_socket(&entry_tcp4, 0);
    SOCKET sys_s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0);
    char name[] = "G711";
    WSABUF buf = { sizeof(name), name };
    QOS qos, sys_qos;
    BOOL ok, sys_ok;
    int err = 0, sys_err = 0;

    ck_assert_uint_ne(sys_s, INVALID_SOCKET);
    sys_ok = WSAGetQOSByName(sys_s, &buf, &sys_qos);
    if (!sys_ok)
        sys_err = WSAGetLastError();
    ok = procs.lpWSPGetQOSByName(s, &buf, &qos, &err);
    ck_assert_int_eq(ok, sys_ok);
    if (!ok)
        ck_assert_int_eq(err, sys_err);
    closesocket(sys_s);
    t_close(s);
}
END_TEST

START_TEST(test_cancel_blocking_call_as_system)
{
    int ret, sys_ret, err = 0, sys_err = 0;

    sys_ret = WSACancelBlockingCall();
    if (sys_ret)
        sys_err = WSAGetLastError();
    ret = procs.lpWSPCancelBlockingCall(&err);
    ck_assert_int_eq(ret, sys_ret);
    if (ret)
        ck_assert_int_eq(err, sys_err);
}
END_TEST

START_TEST(test_join_leaf_as_system)
{
    struct sockaddr_in to;
    SOCKET a, b, sys_s, joined, sys_joined;
    int err = 0, sys_err = 0;

    t_udp_pair(&a, &b, &to);
    sys_s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, 0);
    ck_assert_uint_ne(sys_s, INVALID_SOCKET);
    sys_joined = WSAJoinLeaf(sys_s, (struct sockaddr *)&to, sizeof(to), NULL, NULL, NULL, NULL,
                             JL_BOTH);
    if (sys_joined == INVALID_SOCKET)
        sys_err = WSAGetLastError();
    joined = procs.lpWSPJoinLeaf(a, (struct sockaddr *)&to, sizeof(to), NULL, NULL, NULL, NULL,
                                 JL_BOTH, &err);
    ck_assert_int_eq(joined == INVALID_SOCKET, sys_joined == INVALID_SOCKET);
    if (joined == INVALID_SOCKET)
        ck_assert_int_eq(err, sys_err);
    else if (joined != a)
        t_close(joined);
    closesocket(sys_s);
    t_close(a);
    t_close(b);
}
END_TEST

Suite *base_misc_suite(void)
{
    Suite *s = suite_create("base_misc");
    TCase *tc = base_tcase("misc");

    tcase_add_test(tc, test_address_round_trip);
    tcase_add_test(tc, test_address_errors);
    tcase_add_test(tc, test_sockopt_round_trip);
    tcase_add_test(tc, test_qos_by_name_as_system);
    tcase_add_test(tc, test_cancel_blocking_call_as_system);
    tcase_add_test(tc, test_join_leaf_as_system);
    suite_add_tcase(s, tc);
    return s;
}
