/* SPDX-License-Identifier: MIT */
/* S25/S26 where Wine's own ws2_32 crashes: an unwritable byte count or an
 * unreadable WSAOVERLAPPED must fail with WSAEFAULT, send nothing and leave
 * the process alive. Runs through the front end (and with the LSP) only:
 * on the host arrangement these calls end the process. */
#include <winsock2.h>
#include <check.h>
#include "run_suite.h"

static SOCKET client, server;
static char *no_access;                /* one page the process may not touch */

static void make_pair(void)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    SOCKET listener = socket(AF_INET, SOCK_STREAM, 0);

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(listen(listener, 1), 0);
    ck_assert_int_eq(getsockname(listener, (struct sockaddr *)&addr, &len), 0);
    client = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    server = accept(listener, NULL, NULL);
    ck_assert_uint_ne(server, INVALID_SOCKET);
    closesocket(listener);
}

static void setup(void)
{
    WSADATA data;

    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
    no_access = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_NOACCESS);
    ck_assert_ptr_nonnull(no_access);
    make_pair();
}

static void teardown(void)
{
    closesocket(client);
    closesocket(server);
    VirtualFree(no_access, 0, MEM_RELEASE);
    WSACleanup();
}

/* Nothing reached the peer. */
static void assert_nothing_sent(void)
{
    u_long pending = 1;
    Sleep(100);
    ck_assert_int_eq(ioctlsocket(server, FIONREAD, &pending), 0);
    ck_assert_uint_eq(pending, 0);
}

START_TEST(test_S26_unwritable_byte_count)
{
    WSABUF buffer = { 4, "data" };
    int result = WSASend(client, &buffer, 1, (DWORD *)no_access, 0, NULL, NULL);
    int error = WSAGetLastError();

    ck_assert_int_eq(result, SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    assert_nothing_sent();
}
END_TEST

START_TEST(test_S25_unreadable_overlapped)
{
    WSABUF buffer = { 4, "data" };
    DWORD sent = 0;
    int result = WSASend(client, &buffer, 1, &sent, 0, (WSAOVERLAPPED *)no_access, NULL);
    int error = WSAGetLastError();

    ck_assert_int_eq(result, SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    assert_nothing_sent();
}
END_TEST

START_TEST(test_S25_receive_with_unwritable_flags)
{
    char in[4];
    WSABUF buffer = { sizeof(in), in };
    DWORD received = 0;
    int result = WSARecv(server, &buffer, 1, &received, (DWORD *)no_access, NULL, NULL);
    int error = WSAGetLastError();

    ck_assert_int_eq(result, SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("frontend_guards");
    TCase *tc = tcase_create("guards");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_S26_unwritable_byte_count);
    tcase_add_test(tc, test_S25_unreadable_overlapped);
    tcase_add_test(tc, test_S25_receive_with_unwritable_flags);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
