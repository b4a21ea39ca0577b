/* SPDX-License-Identifier: MIT */
/* WSCGetProviderPath(32): the path as stored, sizes in WCHARs. */
#include "catalog_test.h"

#include <string.h>
#include <wchar.h>

#define TEST_PATH L"%SystemRoot%\\system32\\lspkit_path.dll"

static GUID guid_a = { 0x6c6b7370, 0x0007, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };

/* Documented: a buffer too small is WSAEFAULT; the size needed comes back. */
START_TEST(test_path_buffer_sizes)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit path", BASE_PROTOCOL);
    int need = (int)wcslen(TEST_PATH) + 1, len, err;
    WCHAR path[MAX_PATH];

    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, TEST_PATH, &info, 1, &err), err);
    len = 5;
    ct_assert_wsc_error(WSCGetProviderPath(&guid_a, path, &len, &err), err, WSAEFAULT);
    ck_assert_int_eq(len, need);
    len = need - 1;
    ct_assert_wsc_error(WSCGetProviderPath(&guid_a, path, &len, &err), err, WSAEFAULT);
    ck_assert_int_eq(len, need);
    len = MAX_PATH;
    ct_assert_wsc_error(WSCGetProviderPath(&guid_a, NULL, &len, &err), err, WSAEFAULT);
    len = need;
    ct_assert_wsc_ok(WSCGetProviderPath(&guid_a, path, &len, &err), err);
    ct_assert_wstr_eq(path, TEST_PATH);
    ck_assert_int_eq(len, need - 1);
}
END_TEST

START_TEST(test_path_errors)
{
    WCHAR path[MAX_PATH];
    int len = MAX_PATH, err;

    ct_assert_wsc_error(WSCGetProviderPath(&guid_a, path, &len, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCGetProviderPath(NULL, path, &len, &err), err, WSAEINVAL);
    ct_assert_wsa_error(WSCGetProviderPath(&guid_a, path, &len, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCGetProviderPath32(&guid_a, path, &len, &err), err, WSAEINVAL);
}
END_TEST

/* The seeded base provider is lspkit_base.dll in both catalogs. */
START_TEST(test_path_of_base_provider)
{
    WSAPROTOCOL_INFOW tcp = ct_find(FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WCHAR path[MAX_PATH];
    int len = MAX_PATH, err;

    ct_assert_wsc_ok(WSCGetProviderPath(&tcp.ProviderId, path, &len, &err), err);
    ct_assert_wstr_eq(path, CT_BASE_PATH);
    len = MAX_PATH;
    ct_assert_wsc_ok(WSCGetProviderPath32(&tcp.ProviderId, path, &len, &err), err);
    ct_assert_wstr_eq(path, CT_BASE_PATH);
}
END_TEST

Suite *wsc_path_suite(void)
{
    Suite *s = suite_create("wsc_path");
    TCase *tc = ct_tcase("path");

    tcase_add_test(tc, test_path_buffer_sizes);
    tcase_add_test(tc, test_path_errors);
    tcase_add_test(tc, test_path_of_base_provider);
    suite_add_tcase(s, tc);
    return s;
}
