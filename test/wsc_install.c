/* SPDX-License-Identifier: MIT */
/* WSCInstallProvider and WSCInstallProvider64_32. */
#include "catalog_test.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define TEST_PATH L"%SystemRoot%\\system32\\lspkit_test.dll"

static GUID guid_a = { 0x6c6b7370, 0x0002, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };
static GUID guid_b = { 0x6c6b7370, 0x0002, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0b } };

static DWORD highest_id(const WSAPROTOCOL_INFOW *list, int n)
{
    DWORD highest = 0;

    while (n--)
        if (list[n].dwCatalogEntryId > highest)
            highest = list[n].dwCatalogEntryId;
    return highest;
}

/* Entries go to the end with fresh ids and the provider's GUID; a base
 * entry's chain names itself; the 32-bit catalog is untouched. */
START_TEST(test_install_appends_with_fresh_ids)
{
    WSAPROTOCOL_INFOW infos[2], *before, *after, visible[64];
    WCHAR path[MAX_PATH];
    DWORD len = sizeof(visible);
    int n, m, i, err, plen = MAX_PATH;

    infos[0] = ct_protocol(L"lspkit test base", BASE_PROTOCOL);
    infos[1] = ct_protocol(L"lspkit test layered", LAYERED_PROTOCOL);
    infos[0].ProviderId = guid_b;   /* the store puts the GUID of the call */
    infos[0].dwCatalogEntryId = 77;
    before = ct_enum(FALSE, &n);
    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, TEST_PATH, infos, 2, &err), err);
    after = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n + 2);
    ck_assert(!memcmp(after, before, n * sizeof(*before)));
    ct_assert_wstr_eq(after[n].szProtocol, L"lspkit test base");
    ct_assert_wstr_eq(after[n + 1].szProtocol, L"lspkit test layered");
    for (i = n; i < m; i++) {
        ck_assert(IsEqualGUID(&after[i].ProviderId, &guid_a));
        ck_assert_uint_gt(after[i].dwCatalogEntryId, highest_id(before, n));
    }
    ck_assert_uint_ne(after[n].dwCatalogEntryId, after[n + 1].dwCatalogEntryId);
    ck_assert_int_eq(after[n].ProtocolChain.ChainLen, BASE_PROTOCOL);
    ck_assert_uint_eq(after[n].ProtocolChain.ChainEntries[0], after[n].dwCatalogEntryId);
    ck_assert_int_eq(after[n + 1].ProtocolChain.ChainLen, LAYERED_PROTOCOL);
    ck_assert_int_eq(WSCGetProviderPath(&guid_a, path, &plen, &err), 0);
    ct_assert_wstr_eq(path, TEST_PATH);
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 0);
    /* Applications see the base entry, not the layered one. */
    ck_assert_int_eq(WSAEnumProtocolsW(NULL, visible, &len), n + 1);
    ck_assert_uint_eq(visible[n].dwCatalogEntryId, after[n].dwCatalogEntryId);
    free(before);
    free(after);
}
END_TEST

/* PFL_HIDDEN entries are listed to SPI clients, not to applications. */
START_TEST(test_install_hidden_entry)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit hidden", BASE_PROTOCOL), visible[64], *all;
    DWORD len = sizeof(visible);
    int n, err;

    info.dwProviderFlags |= PFL_HIDDEN;
    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, TEST_PATH, &info, 1, &err), err);
    all = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES + 1);
    ck_assert_int_eq(WSAEnumProtocolsW(NULL, visible, &len), CT_BASE_ENTRIES);
    free(all);
}
END_TEST

/* Documented: "the provider is already installed" is WSANO_RECOVERY, and
 * nothing changes. */
START_TEST(test_install_duplicate_guid)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit dup", BASE_PROTOCOL);
    int err;

    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, TEST_PATH, &info, 1, &err), err);
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &info, 1, &err), err,
                        WSANO_RECOVERY);
    ck_assert_int_eq(ct_count_provider(FALSE, &guid_a), 1);
    /* In one catalog is enough to refuse both. */
    ct_assert_wsc_error(WSCInstallProvider64_32(&guid_a, TEST_PATH, &info, 1, &err), err,
                        WSANO_RECOVERY);
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 0);
}
END_TEST

START_TEST(test_install_argument_errors)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit bad", BASE_PROTOCOL), bad, *list;
    WCHAR long_path[300];
    int err, n;

    ct_assert_wsa_error(WSCInstallProvider(&guid_a, TEST_PATH, &info, 1, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCInstallProvider(NULL, TEST_PATH, &info, 1, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, NULL, &info, 1, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, NULL, 1, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &info, 0, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, L"", &info, 1, &err), err, WSAEINVAL);
    wmemset(long_path, L'a', 299);
    long_path[299] = 0;
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, long_path, &info, 1, &err), err, WSAEINVAL);
    /* A name the ANSI code page cannot hold would load another file. */
    if (GetACP() != CP_UTF8)
        ct_assert_wsc_error(WSCInstallProvider(&guid_a, L"C:\\\u4e2d\u6587.dll", &info, 1, &err),
                            err, WSAEINVAL);
    bad = info;
    bad.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1;
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &bad, 1, &err), err, WSAEINVAL);
    bad.ProtocolChain.ChainLen = -1;
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &bad, 1, &err), err, WSAEINVAL);
    bad = info;
    bad.iAddressFamily = 999;
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &bad, 1, &err), err, WSAEINVAL);
    bad = info;
    wmemset(bad.szProtocol, L'x', WSAPROTOCOL_LEN + 1);
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &bad, 1, &err), err, WSAEINVAL);
    /* A chain over an entry that does not exist could never load. */
    bad = info;
    bad.ProtocolChain.ChainLen = 2;
    bad.ProtocolChain.ChainEntries[0] = 999999;
    bad.ProtocolChain.ChainEntries[1] = ct_find(FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP).dwCatalogEntryId;
    ct_assert_wsc_error(WSCInstallProvider(&guid_a, TEST_PATH, &bad, 1, &err), err, WSAEINVAL);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES);
    free(list);
}
END_TEST

/* A chain over an installed layered entry and a base entry is kept as given. */
START_TEST(test_install_chain_entry)
{
    WSAPROTOCOL_INFOW layered = ct_protocol(L"lspkit layer", LAYERED_PROTOCOL);
    WSAPROTOCOL_INFOW chain = ct_protocol(L"lspkit chain", 2), *list;
    DWORD layered_id, base_id = ct_find(FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP).dwCatalogEntryId;
    int n, err;

    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, TEST_PATH, &layered, 1, &err), err);
    list = ct_enum(FALSE, &n);
    layered_id = list[n - 1].dwCatalogEntryId;
    free(list);
    chain.ProtocolChain.ChainEntries[0] = layered_id;
    chain.ProtocolChain.ChainEntries[1] = base_id;
    ct_assert_wsc_ok(WSCInstallProvider(&guid_b, TEST_PATH, &chain, 1, &err), err);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(list[n - 1].ProtocolChain.ChainLen, 2);
    ck_assert_uint_eq(list[n - 1].ProtocolChain.ChainEntries[0], layered_id);
    ck_assert_uint_eq(list[n - 1].ProtocolChain.ChainEntries[1], base_id);
    free(list);
}
END_TEST

/* WSCInstallProvider64_32 puts the same entries, same ids, in both catalogs. */
START_TEST(test_install64_32_both_catalogs)
{
    WSAPROTOCOL_INFOW infos[2], *native, *c32;
    WCHAR path[MAX_PATH];
    int n, n32, err, plen = MAX_PATH;

    infos[0] = ct_protocol(L"lspkit both base", BASE_PROTOCOL);
    infos[1] = ct_protocol(L"lspkit both layered", LAYERED_PROTOCOL);
    ct_assert_wsc_ok(WSCInstallProvider64_32(&guid_a, TEST_PATH, infos, 2, &err), err);
    native = ct_enum(FALSE, &n);
    c32 = ct_enum(TRUE, &n32);
    ck_assert_int_eq(n, CT_BASE_ENTRIES + 2);
    ck_assert_int_eq(n32, CT_BASE_ENTRIES + 2);
    ck_assert(!memcmp(&native[n - 2], &c32[n32 - 2], 2 * sizeof(*native)));
    ck_assert_int_eq(WSCGetProviderPath32(&guid_a, path, &plen, &err), 0);
    ct_assert_wstr_eq(path, TEST_PATH);
    free(native);
    free(c32);
}
END_TEST

Suite *wsc_install_suite(void)
{
    Suite *s = suite_create("wsc_install");
    TCase *tc = ct_tcase("install");

    tcase_add_test(tc, test_install_appends_with_fresh_ids);
    tcase_add_test(tc, test_install_hidden_entry);
    tcase_add_test(tc, test_install_duplicate_guid);
    tcase_add_test(tc, test_install_argument_errors);
    tcase_add_test(tc, test_install_chain_entry);
    tcase_add_test(tc, test_install64_32_both_catalogs);
    suite_add_tcase(s, tc);
    return s;
}
