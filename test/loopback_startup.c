/* SPDX-License-Identifier: MIT */
/* loopback_startup.c: the versions WSAStartup grants, and what a refused
 * WSAStartup leaves behind (S27: only a successful WSAStartup starts
 * Winsock).
 *
 * Windows' ws2_32 accepts every version with a major number of 1 or more:
 * 1.0, 1.1, 2.0, 2.1 and 2.2 are granted as asked (the versions Microsoft's
 * WSAStartup page lists), any other 1.x gets 1.1 and anything above 2.2
 * gets 2.2; wHighVersion is always 2.2. Only 0.x is refused, with
 * WSAVERNOTSUPPORTED, and even then WSADATA is filled, naming 2.2. A 1.x
 * answer carries the Winsock 1 limits (iMaxSockets 32767, iMaxUdpDg 65467),
 * a 2.x one zeros; lpVendorInfo is not touched. Programs ask for old
 * versions: GDB's gdbserver asks for 1.0.
 *
 * A program of its own: WSAStartup is process state, and these tests
 * start and clean up Winsock themselves, with no fixture. */
#include "loopback_util.h"

#include <string.h>

/* What the caller's WSADATA holds before the call, so that a field left
 * alone can be told from one written. */
#define UNTOUCHED 0x55

struct version_case {
    WORD requested;
    int result;                   /* 0 or WSAVERNOTSUPPORTED */
    WORD granted;                 /* wVersion */
};

static const struct version_case versions[] = {
    { MAKEWORD(0, 0), WSAVERNOTSUPPORTED, MAKEWORD(2, 2) },
    { MAKEWORD(0, 9), WSAVERNOTSUPPORTED, MAKEWORD(2, 2) },
    { MAKEWORD(1, 0), 0, MAKEWORD(1, 0) },
    { MAKEWORD(1, 1), 0, MAKEWORD(1, 1) },
    { MAKEWORD(1, 2), 0, MAKEWORD(1, 1) },
    { MAKEWORD(1, 255), 0, MAKEWORD(1, 1) },
    { MAKEWORD(2, 0), 0, MAKEWORD(2, 0) },
    { MAKEWORD(2, 1), 0, MAKEWORD(2, 1) },
    { MAKEWORD(2, 2), 0, MAKEWORD(2, 2) },
    { MAKEWORD(2, 3), 0, MAKEWORD(2, 2) },
    { MAKEWORD(2, 255), 0, MAKEWORD(2, 2) },
    { MAKEWORD(3, 0), 0, MAKEWORD(2, 2) },
    { MAKEWORD(3, 3), 0, MAKEWORD(2, 2) },
    { MAKEWORD(255, 255), 0, MAKEWORD(2, 2) },
};

#define VERSION_COUNT ((int)(sizeof(versions) / sizeof(versions[0])))

/* S27: Winsock is not started: socket() fails with WSANOTINITIALISED. */
static void assert_not_started(void)
{
    lb_assert_fails(socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), INVALID_SOCKET, WSANOTINITIALISED);
}

static void assert_started(void)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int error = WSAGetLastError();
    ck_assert_msg(s != INVALID_SOCKET, "socket() after WSAStartup: error %d", error);
    ck_assert_int_eq(closesocket(s), 0);
}

/* The answer in DATA to a call that granted (or, refused, named) GRANTED. */
static void assert_wsadata(const WSADATA *data, WORD requested, WORD granted)
{
    BOOL winsock1 = LOBYTE(granted) == 1;
    void *untouched;
    memset(&untouched, UNTOUCHED, sizeof(untouched));

    ck_assert_msg(data->wVersion == granted, "asked %u.%u: wVersion %u.%u, expected %u.%u",
                  LOBYTE(requested), HIBYTE(requested), LOBYTE(data->wVersion),
                  HIBYTE(data->wVersion), LOBYTE(granted), HIBYTE(granted));
    ck_assert_msg(data->wHighVersion == MAKEWORD(2, 2), "asked %u.%u: wHighVersion %u.%u",
                  LOBYTE(requested), HIBYTE(requested), LOBYTE(data->wHighVersion),
                  HIBYTE(data->wHighVersion));
    ck_assert_int_eq(data->iMaxSockets, winsock1 ? 32767 : 0);
    ck_assert_int_eq(data->iMaxUdpDg, winsock1 ? 65467 : 0);
    ck_assert_str_eq(data->szDescription, "WinSock 2.0");
    ck_assert_str_eq(data->szSystemStatus, "Running");
    ck_assert_ptr_eq(data->lpVendorInfo, untouched);
}

/* Each version of the table: the result, the answer, and whether Winsock
 * is started afterwards (S27) and stopped by the one WSACleanup. */
START_TEST(test_S27_startup_version)
{
    const struct version_case *v = &versions[_i];
    WSADATA data;
    memset(&data, UNTOUCHED, sizeof(data));

    int result = WSAStartup(v->requested, &data);
    ck_assert_msg(result == v->result, "WSAStartup(%u.%u) returned %d, expected %d",
                  LOBYTE(v->requested), HIBYTE(v->requested), result, v->result);
    assert_wsadata(&data, v->requested, v->granted);
    if (result) {
        assert_not_started();
        return;
    }
    assert_started();
    ck_assert_int_eq(WSACleanup(), 0);
    assert_not_started();
}
END_TEST

/* The version is judged before the WSADATA pointer: 0.0 without one is
 * refused as a version, 2.2 without one fails with WSAEFAULT; neither
 * starts Winsock (S27). */
START_TEST(test_S27_startup_without_wsadata)
{
    ck_assert_int_eq(WSAStartup(MAKEWORD(0, 0), NULL), WSAVERNOTSUPPORTED);
    assert_not_started();
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
    assert_not_started();
}
END_TEST

/* Nested WSAStartups each get the answer to their own request, and
 * Winsock stays started until the last WSACleanup (S27). */
START_TEST(test_S27_nested_startups_own_answers)
{
    WSADATA data;
    memset(&data, UNTOUCHED, sizeof(data));
    ck_assert_int_eq(WSAStartup(MAKEWORD(1, 0), &data), 0);
    assert_wsadata(&data, MAKEWORD(1, 0), MAKEWORD(1, 0));
    memset(&data, UNTOUCHED, sizeof(data));
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
    assert_wsadata(&data, MAKEWORD(2, 2), MAKEWORD(2, 2));
    memset(&data, UNTOUCHED, sizeof(data));
    ck_assert_int_eq(WSAStartup(MAKEWORD(1, 1), &data), 0);
    assert_wsadata(&data, MAKEWORD(1, 1), MAKEWORD(1, 1));

    ck_assert_int_eq(WSACleanup(), 0);
    ck_assert_int_eq(WSACleanup(), 0);
    assert_started();
    ck_assert_int_eq(WSACleanup(), 0);
    assert_not_started();
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_startup");
    TCase *tc = tcase_create("versions");
    tcase_add_loop_test(tc, test_S27_startup_version, 0, VERSION_COUNT);
    tcase_add_test(tc, test_S27_startup_without_wsadata);
    tcase_add_test(tc, test_S27_nested_startups_own_answers);
    suite_add_tcase(suite, tc);
    return suite;
}
