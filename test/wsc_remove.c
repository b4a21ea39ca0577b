/* SPDX-License-Identifier: MIT */
/* WSCDeinstallProvider(32): every entry of the provider goes, the rest
 * keeps its order. */
#include "catalog_test.h"

#include <stdlib.h>
#include <string.h>

static GUID guid_a = { 0x6c6b7370, 0x0006, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };
static GUID guid_b = { 0x6c6b7370, 0x0006, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0b } };

START_TEST(test_deinstall_removes_all_entries)
{
    WSAPROTOCOL_INFOW infos[2], *before, *after;
    WCHAR path[MAX_PATH];
    int n, m, err, plen = MAX_PATH;

    infos[0] = ct_protocol(L"lspkit remove one", BASE_PROTOCOL);
    infos[1] = ct_protocol(L"lspkit remove two", LAYERED_PROTOCOL);
    before = ct_enum(FALSE, &n);
    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, L"a.dll", infos, 2, &err), err);
    ct_assert_wsc_ok(WSCInstallProvider(&guid_b, L"b.dll", infos, 1, &err), err);
    ct_assert_wsc_ok(WSCDeinstallProvider(&guid_a, &err), err);
    after = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n + 1);
    ck_assert(!memcmp(after, before, n * sizeof(*after)));
    ck_assert(IsEqualGUID(&after[n].ProviderId, &guid_b));
    ct_assert_wsc_error(WSCGetProviderPath(&guid_a, path, &plen, &err), err, WSAEINVAL);
    free(before);
    free(after);
}
END_TEST

/* Documented: an id that names no provider is WSAEINVAL; a bad lpErrno is WSAEFAULT. */
START_TEST(test_deinstall_errors)
{
    int err;

    ct_assert_wsc_error(WSCDeinstallProvider(&guid_a, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCDeinstallProvider(NULL, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCDeinstallProvider32(&guid_a, &err), err, WSAEINVAL);
    ct_assert_wsa_error(WSCDeinstallProvider(&guid_a, NULL), WSAEFAULT);
}
END_TEST

/* The catalogs are removed from one at a time. */
START_TEST(test_deinstall_catalogs_apart)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit remove both", BASE_PROTOCOL);
    int err;

    ct_assert_wsc_ok(WSCInstallProvider64_32(&guid_a, L"a.dll", &info, 1, &err), err);
    ct_assert_wsc_ok(WSCDeinstallProvider(&guid_a, &err), err);
    ck_assert_int_eq(ct_count_provider(FALSE, &guid_a), 0);
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 1);
    ct_assert_wsc_ok(WSCDeinstallProvider32(&guid_a, &err), err);
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 0);
    ct_assert_wsc_error(WSCDeinstallProvider32(&guid_a, &err), err, WSAEINVAL);
}
END_TEST

Suite *wsc_remove_suite(void)
{
    Suite *s = suite_create("wsc_remove");
    TCase *tc = ct_tcase("remove");

    tcase_add_test(tc, test_deinstall_removes_all_entries);
    tcase_add_test(tc, test_deinstall_errors);
    tcase_add_test(tc, test_deinstall_catalogs_apart);
    suite_add_tcase(s, tc);
    return s;
}
