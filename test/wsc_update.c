/* SPDX-License-Identifier: MIT */
/* WSCUpdateProvider(32): entries named by dwCatalogEntryId are replaced in
 * place; errors change nothing. */
#include "catalog_test.h"

#include <stdlib.h>
#include <string.h>

static GUID guid_a = { 0x6c6b7370, 0x0005, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };
static GUID guid_b = { 0x6c6b7370, 0x0005, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0b } };

/* Installs two entries of guid_a; returns the catalog after it. */
static WSAPROTOCOL_INFOW *install_two(BOOL both, int *n)
{
    WSAPROTOCOL_INFOW infos[2];
    int err;

    infos[0] = ct_protocol(L"lspkit update one", BASE_PROTOCOL);
    infos[1] = ct_protocol(L"lspkit update two", LAYERED_PROTOCOL);
    if (both)
        ct_assert_wsc_ok(WSCInstallProvider64_32(&guid_a, L"old.dll", infos, 2, &err), err);
    else
        ct_assert_wsc_ok(WSCInstallProvider(&guid_a, L"old.dll", infos, 2, &err), err);
    return ct_enum(FALSE, n);
}

START_TEST(test_update_replaces_in_place)
{
    WSAPROTOCOL_INFOW *before, *after, changed;
    struct ct_packed packed;
    DWORD type;
    int n, m, err;

    before = install_two(FALSE, &n);
    changed = before[n - 1];
    wcscpy(changed.szProtocol, L"lspkit updated");
    changed.dwServiceFlags1 ^= XP1_IFS_HANDLES;
    ct_assert_wsc_ok(WSCUpdateProvider(&guid_a, L"new.dll", &changed, 1, &err), err);
    after = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n);
    ck_assert(!memcmp(after, before, (n - 1) * sizeof(*after)));
    ck_assert(!memcmp(&after[n - 1], &changed, sizeof(changed)));
    ct_read_packed(FALSE, n, &packed, &type);
    ck_assert_str_eq(packed.path, "new.dll");
    ct_read_packed(FALSE, n - 1, &packed, &type);
    ck_assert_str_eq(packed.path, "old.dll");
    free(before);
    free(after);
}
END_TEST

START_TEST(test_update_errors)
{
    WSAPROTOCOL_INFOW *before, *after, changed, other;
    int n, m, err;

    before = install_two(FALSE, &n);
    changed = before[n - 1];
    wcscpy(changed.szProtocol, L"lspkit never");
    ct_assert_wsa_error(WSCUpdateProvider(&guid_a, L"x.dll", &changed, 1, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCUpdateProvider(NULL, L"x.dll", &changed, 1, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCUpdateProvider(&guid_a, NULL, &changed, 1, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCUpdateProvider(&guid_a, L"x.dll", NULL, 1, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCUpdateProvider(&guid_a, L"x.dll", &changed, 0, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCUpdateProvider(&guid_b, L"x.dll", &changed, 1, &err), err, WSAEINVAL);
    other = before[0];   /* a base entry of another provider */
    ct_assert_wsc_error(WSCUpdateProvider(&guid_a, L"x.dll", &other, 1, &err), err, WSAEINVAL);
    other = changed;
    other.dwCatalogEntryId = 999999;
    ct_assert_wsc_error(WSCUpdateProvider(&guid_a, L"x.dll", &other, 1, &err), err, WSAEINVAL);
    other = changed;
    other.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1;
    ct_assert_wsc_error(WSCUpdateProvider(&guid_a, L"x.dll", &other, 1, &err), err, WSAEINVAL);
    after = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n);
    ck_assert(!memcmp(after, before, n * sizeof(*after)));
    free(before);
    free(after);
}
END_TEST

/* WSCUpdateProvider32 changes the 32-bit catalog alone. */
START_TEST(test_update32)
{
    WSAPROTOCOL_INFOW *native, *c32, changed, *after;
    int n, n32, m, err;

    native = install_two(TRUE, &n);
    c32 = ct_enum(TRUE, &n32);
    changed = c32[n32 - 1];
    wcscpy(changed.szProtocol, L"lspkit updated 32");
    ct_assert_wsc_ok(WSCUpdateProvider32(&guid_a, L"new.dll", &changed, 1, &err), err);
    free(c32);
    c32 = ct_enum(TRUE, &n32);
    ct_assert_wstr_eq(c32[n32 - 1].szProtocol, L"lspkit updated 32");
    after = ct_enum(FALSE, &m);
    ck_assert(!memcmp(after, native, n * sizeof(*after)));
    free(native);
    free(c32);
    free(after);
}
END_TEST

Suite *wsc_update_suite(void)
{
    Suite *s = suite_create("wsc_update");
    TCase *tc = ct_tcase("update");

    tcase_add_test(tc, test_update_replaces_in_place);
    tcase_add_test(tc, test_update_errors);
    tcase_add_test(tc, test_update32);
    suite_add_tcase(s, tc);
    return s;
}
