/* SPDX-License-Identifier: MIT */
/* filters_firewall.c: the shipped firewall filter (filters/firewall)
 * loaded by lspkit.dll, with rules that deny TCP and UDP to 127.0.0.2 and
 * UDP to ::1. A denied connect, ConnectEx or sendto fails with WSAEACCES,
 * nothing reaches the peer, and lspkit.log names the denial; what no rule
 * denies works. Run in the layered arrangement (test/filters.list). */
#include "loopback_util.h"
#include "filter_registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const WCHAR *const settings[] = {
    L"Rules", L"deny proto=tcp addr=127.0.0.2\0deny proto=udp addr=127.0.0.2/32\0"
              L"deny dir=out proto=udp addr=::1\0",
    NULL,
};

static void setup(void)
{
    static BOOL registered;

    if (!registered) {
        filter_register(L"firewall", L"..\\lspkit_firewall.dll", 10, settings);
        registered = TRUE;
    }
    lb_setup();
}

/* A socket of TYPE bound to 127.0.0.2 (a listener for a stream one);
 * *addr its name. */
static SOCKET bound_to_second_loopback(int type, struct sockaddr_in *addr)
{
    int len = sizeof(*addr);
    SOCKET s = WSASocketW(AF_INET, type, 0, NULL, 0, WSA_FLAG_OVERLAPPED);

    ck_assert_msg(s != INVALID_SOCKET, "socket: %d", WSAGetLastError());
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(0x7f000002);
    ck_assert_msg(bind(s, (struct sockaddr *)addr, sizeof(*addr)) == 0, "bind 127.0.0.2: %d",
                  WSAGetLastError());
    ck_assert_int_eq(getsockname(s, (struct sockaddr *)addr, &len), 0);
    if (type == SOCK_STREAM)
        ck_assert_int_eq(listen(s, 4), 0);
    return s;
}

/* Whether lspkit.log holds a line containing TEXT. */
static BOOL logged(const char *text)
{
    char path[MAX_PATH], line[1024];
    BOOL found = FALSE;
    FILE *f;

    ck_assert(ExpandEnvironmentStringsA("%ProgramData%\\lspkit\\lspkit.log", path, MAX_PATH));
    f = fopen(path, "r");
    if (!f)
        return FALSE;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, text) != NULL;
    fclose(f);
    return found;
}

START_TEST(test_tcp_denied_and_logged)
{
    struct sockaddr_in denied;
    char expected[64];
    SOCKET l = bound_to_second_loopback(SOCK_STREAM, &denied), c, a, s;

    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    lb_assert_wsa_error(connect(c, (struct sockaddr *)&denied, sizeof(denied)), WSAEACCES);
    ck_assert_int_eq(sock_wait_readable(l, 200), 0);
    snprintf(expected, sizeof(expected), "deny tcp 127.0.0.2:%u", ntohs(denied.sin_port));
    ck_assert_msg(logged(expected), "lspkit.log has no line with \"%s\"", expected);
    /* What no rule names goes. */
    sock_tcp_pair(AF_INET, 0, 0, &a, &s);
    ck_assert_int_eq(send(a, "ok", 2, 0), 2);
    sock_close_pair(a, s);
    sock_close_pair(c, l);
}
END_TEST

START_TEST(test_connectex_denied)
{
    struct sock_connect_extensions ext;
    struct sockaddr_in denied, any = { .sin_family = AF_INET };
    WSAOVERLAPPED ov = { 0 };
    SOCKET l = bound_to_second_loopback(SOCK_STREAM, &denied), c;
    BOOL ok;
    int err;

    c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    sock_connect_extensions(l, c, &ext);
    ck_assert_int_eq(bind(c, (struct sockaddr *)&any, sizeof(any)), 0);
    ov.hEvent = WSACreateEvent();
    ok = ext.connectex(c, (struct sockaddr *)&denied, sizeof(denied), NULL, 0, NULL, &ov);
    err = WSAGetLastError();
    ck_assert_msg(!ok && err == WSAEACCES, "ConnectEx: %d, error %d", ok, err);
    ck_assert_int_eq(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    ck_assert_int_eq(sock_wait_readable(l, 200), 0);
    WSACloseEvent(ov.hEvent);
    sock_close_pair(c, l);
}
END_TEST

START_TEST(test_udp_denied)
{
    struct sockaddr_in denied;
    struct sockaddr_storage bname;
    int blen;
    SOCKET target = bound_to_second_loopback(SOCK_DGRAM, &denied), a, b;

    sock_udp_pair(AF_INET, &a, &b, &bname, &blen);
    lb_assert_wsa_error(sendto(a, "x", 1, 0, (struct sockaddr *)&denied, sizeof(denied)),
                        WSAEACCES);
    ck_assert_int_eq(sock_wait_readable(target, 200), 0);
    ck_assert_int_eq(sendto(a, "y", 1, 0, (struct sockaddr *)&bname, blen), 1);
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    closesocket(target);
    sock_close_pair(a, b);
}
END_TEST

/* IPv6: UDP to ::1 is denied, TCP to it is not. */
START_TEST(test_ipv6_by_protocol)
{
    struct sockaddr_storage bname;
    int blen;
    SOCKET a, b;

    sock_udp_pair(AF_INET6, &a, &b, &bname, &blen);
    lb_assert_wsa_error(sendto(a, "x", 1, 0, (struct sockaddr *)&bname, blen), WSAEACCES);
    ck_assert_int_eq(sock_wait_readable(b, 200), 0);
    sock_close_pair(a, b);
    sock_tcp_pair(AF_INET6, 0, 0, &a, &b);
    ck_assert_int_eq(send(a, "ok", 2, 0), 2);
    sock_close_pair(a, b);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *s = suite_create("filters_firewall");
    TCase *tc = tcase_create("firewall");

    tcase_add_checked_fixture(tc, setup, lb_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_tcp_denied_and_logged);
    tcase_add_test(tc, test_connectex_denied);
    tcase_add_test(tc, test_udp_denied);
    tcase_add_test(tc, test_ipv6_by_protocol);
    suite_add_tcase(s, tc);
    return s;
}
