/* SPDX-License-Identifier: MIT */
/* layered_ready.c: L07 as only a layered provider can be asked it - the
 * handle ioctls that lead select past the provider to its base sockets,
 * and select over a provider socket and a base socket together. (L07 on
 * provider sockets alone is spicheck's t_L07, spicheck/t_layered.c.) */
#include "layered_test.h"

#include <mswsock.h>

static SOCKET handle_ioctl(SOCKET s, DWORD code)
{
    SOCKET answer = INVALID_SOCKET;
    DWORD returned = 0;
    int rc = WSAIoctl(s, code, NULL, 0, &answer, sizeof(answer), &returned, NULL, NULL);
    int err = WSAGetLastError();

    ck_assert_msg(rc == 0, "WSAIoctl(%#lx): %d", code, err);
    ck_assert_uint_eq(returned, sizeof(answer));
    return answer;
}

/* SIO_BASE_HANDLE and SIO_BSP_HANDLE_SELECT give the base provider's
 * socket beneath ours (Windows runs select on base handles, past every
 * LSP); SIO_BSP_HANDLE and SIO_BSP_HANDLE_POLL give our own socket, so
 * that WSASendMsg and WSAPoll come to the provider (SIO_EXT_SENDMSG,
 * SIO_EXT_POLL), as the Microsoft sample LSP asks for them too. */
START_TEST(test_base_handle_is_the_lower_socket)
{
    SOCKET c, s, base;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    base = handle_ioctl(c, SIO_BASE_HANDLE);
    ck_assert_uint_ne(base, INVALID_SOCKET);
    ck_assert_uint_ne(base, c);
    ck_assert_uint_eq(handle_ioctl(c, SIO_BSP_HANDLE_SELECT), base);
    ck_assert_uint_eq(handle_ioctl(c, SIO_BSP_HANDLE), c);
    ck_assert_uint_eq(handle_ioctl(c, SIO_BSP_HANDLE_POLL), c);
    ck_assert_uint_ne(handle_ioctl(s, SIO_BASE_HANDLE), base);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* select over a provider socket and a base socket together: the front end
 * runs it on the base handles (SIO_BSP_HANDLE_SELECT) and answers for ours. */
START_TEST(test_L07_select_mixed_with_base_socket)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    struct timeval wait = { LB_WAIT_MS / 1000, 0 };
    SOCKET c, s, l, base, base_peer;
    fd_set rd;
    int len;

    sock_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    l = sock_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    base = layered_base_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    ck_assert_int_eq(connect(base, (struct sockaddr *)&addr, len), 0);
    base_peer = accept(l, NULL, NULL);
    ck_assert_uint_ne(base_peer, INVALID_SOCKET);
    ck_assert_int_eq(send(c, "x", 1, 0), 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    FD_SET(base, &rd);
    ck_assert_int_eq(select(0, &rd, NULL, NULL, &wait), 1);
    ck_assert_uint_eq(rd.fd_array[0], s);
    closesocket(base_peer);
    closesocket(base);
    closesocket(l);
    closesocket(c);
    closesocket(s);
}
END_TEST

TCase *layered_ready_tcase(void)
{
    TCase *tc = layered_tcase("readiness");
    tcase_add_loop_test(tc, test_base_handle_is_the_lower_socket, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_select_mixed_with_base_socket, 0, LB_FAMILIES);
    return tc;
}
