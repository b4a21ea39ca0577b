/* SPDX-License-Identifier: MIT */
/* WSCEnumProtocols(32) and WSAEnumProtocolsA/W: buffer sizes, the
 * iProtocol filter, hidden entries, WSAStartup. */
#include "catalog_test.h"

#include <stdlib.h>
#include <string.h>

static GUID guid_a = { 0x6c6b7370, 0x0003, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };

/* Documented: a short buffer is WSAENOBUFS with the size needed. */
START_TEST(test_enum_short_buffer)
{
    WSAPROTOCOL_INFOW list[64];
    DWORD needed = CT_BASE_ENTRIES * sizeof(WSAPROTOCOL_INFOW), len = 0;
    int err;

    ct_assert_wsc_error(WSCEnumProtocols(NULL, NULL, &len, &err), err, WSAENOBUFS);
    ck_assert_uint_eq(len, needed);
    len = needed - 1;
    ct_assert_wsc_error(WSCEnumProtocols(NULL, list, &len, &err), err, WSAENOBUFS);
    ck_assert_uint_eq(len, needed);
    len = 5000;   /* a large length does not make a NULL buffer usable */
    ct_assert_wsc_error(WSCEnumProtocols(NULL, NULL, &len, &err), err, WSAENOBUFS);
    ck_assert_uint_eq(len, needed);
    len = needed;
    ck_assert_int_eq(WSCEnumProtocols(NULL, list, &len, &err), CT_BASE_ENTRIES);

    len = 0;
    ct_assert_wsa_error(WSAEnumProtocolsW(NULL, NULL, &len), WSAENOBUFS);
    ck_assert_uint_eq(len, needed);
    len = sizeof(WSAPROTOCOL_INFOW);
    ct_assert_wsa_error(WSAEnumProtocolsW(NULL, list, &len), WSAENOBUFS);
    ck_assert_uint_eq(len, needed);
    ck_assert_int_eq(WSAEnumProtocolsW(NULL, list, &len), CT_BASE_ENTRIES);
}
END_TEST

START_TEST(test_enum_argument_errors)
{
    WSAPROTOCOL_INFOW list[64];
    DWORD len = sizeof(list);
    int err;

    ct_assert_wsc_error(WSCEnumProtocols(NULL, list, NULL, &err), err, WSAEFAULT);
    ct_assert_wsa_error(WSCEnumProtocols(NULL, list, &len, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCEnumProtocols32(NULL, list, NULL, &err), err, WSAEFAULT);
    ct_assert_wsa_error(WSAEnumProtocolsW(NULL, list, NULL), WSAEFAULT);
    ct_assert_wsa_error(WSAEnumProtocolsA(NULL, (WSAPROTOCOL_INFOA *)list, NULL), WSAEFAULT);
}
END_TEST

/* lpiProtocols selects entries by iProtocol (within iProtocolMaxOffset);
 * unknown protocols select nothing; raw entries (protocol 0) only appear
 * unfiltered, as 0 ends the list. */
START_TEST(test_enum_filter)
{
    INT tcp[] = { IPPROTO_TCP, 0 }, mixed[] = { 0xdead, IPPROTO_UDP, 0xbeef, 0 };
    INT icmp[] = { IPPROTO_ICMP, 0 };
    WSAPROTOCOL_INFOW list[64];
    DWORD len = sizeof(list);
    int n, i, err;

    n = WSCEnumProtocols(tcp, list, &len, &err);
    ck_assert_int_eq(n, 2);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(list[i].iProtocol, IPPROTO_TCP);
    len = sizeof(list);
    n = WSAEnumProtocolsW(mixed, list, &len);
    ck_assert_int_eq(n, 2);
    for (i = 0; i < n; i++)
        ck_assert_int_eq(list[i].iProtocol, IPPROTO_UDP);
    /* Nothing selected: 0 entries need 0 bytes, even without a buffer. */
    len = 0;
    ck_assert_int_eq(WSCEnumProtocols(icmp, NULL, &len, &err), 0);
}
END_TEST

/* WSAEnumProtocols needs WSAStartup; WSCEnumProtocols does not. */
START_TEST(test_enum_needs_startup)
{
    WSAPROTOCOL_INFOW list[64];
    WSADATA data;
    DWORD len = sizeof(list);
    int err;

    ck_assert_int_eq(WSACleanup(), 0);
    ct_assert_wsa_error(WSAEnumProtocolsW(NULL, list, &len), WSANOTINITIALISED);
    ct_assert_wsa_error(WSAEnumProtocolsA(NULL, (WSAPROTOCOL_INFOA *)list, &len),
                        WSANOTINITIALISED);
    ck_assert_int_eq(WSCEnumProtocols(NULL, list, &len, &err), CT_BASE_ENTRIES);
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
}
END_TEST

/* The A variant reports the same entries with szProtocol in the ANSI code page. */
START_TEST(test_enum_ansi)
{
    WSAPROTOCOL_INFOW w[64];
    WSAPROTOCOL_INFOA a[64];
    char name[WSAPROTOCOL_LEN + 1];
    DWORD wlen = sizeof(w), alen = 0;
    int n, i;

    n = WSAEnumProtocolsW(NULL, w, &wlen);
    ct_assert_wsa_error(WSAEnumProtocolsA(NULL, NULL, &alen), WSAENOBUFS);
    ck_assert_uint_eq(alen, n * sizeof(WSAPROTOCOL_INFOA));
    alen = sizeof(a);
    ck_assert_int_eq(WSAEnumProtocolsA(NULL, a, &alen), n);
    for (i = 0; i < n; i++) {
        ck_assert(!memcmp(&a[i], &w[i], offsetof(WSAPROTOCOL_INFOA, szProtocol)));
        WideCharToMultiByte(CP_ACP, 0, w[i].szProtocol, -1, name, sizeof(name), NULL, NULL);
        ck_assert_str_eq(a[i].szProtocol, name);
    }
}
END_TEST

/* The two catalogs are enumerated apart. */
START_TEST(test_enum32_separate)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit native only", BASE_PROTOCOL), *list;
    int n, err;

    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, L"x.dll", &info, 1, &err), err);
    list = ct_enum(TRUE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES);
    free(list);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES + 1);
    free(list);
}
END_TEST

Suite *wsc_enum_suite(void)
{
    Suite *s = suite_create("wsc_enum");
    TCase *tc = ct_tcase("enum");

    tcase_add_test(tc, test_enum_short_buffer);
    tcase_add_test(tc, test_enum_argument_errors);
    tcase_add_test(tc, test_enum_filter);
    tcase_add_test(tc, test_enum_needs_startup);
    tcase_add_test(tc, test_enum_ansi);
    tcase_add_test(tc, test_enum32_separate);
    suite_add_tcase(s, tc);
    return s;
}
