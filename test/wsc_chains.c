/* SPDX-License-Identifier: MIT */
/* WSCInstallProviderAndChains(64_32): a layered entry plus chains over the
 * protocols asked for, at the top of the catalog. The layered entry comes
 * first and alone carries the LSP's GUID; each chain has a GUID of its own,
 * the same in both catalogs, so that an LSP that finds itself as "the first
 * entry with my GUID" finds its layered entry, and its installer can remove
 * the chains one by one (spi/wsc_chains.c). */
#include "catalog_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define LSP_PATH  L"%windir%\\system32\\lspkit_test.dll"
#define LSP_NAME  L"lspkit test LSP"

/* Not declared by the x64 headers: Windows x64 has only the 64_32 call. */
int WSPAPI WSCInstallProviderAndChains(LPGUID lpProviderId, LPWSTR lpszProviderDllPath,
                                       LPWSTR lpszLspName, DWORD dwServiceFlags,
                                       LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                       DWORD dwNumberOfEntries, LPDWORD lpdwCatalogEntryId,
                                       LPINT lpErrno);

static GUID guid_a = { 0x6c6b7370, 0x0008, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };
static GUID guid_b = { 0x6c6b7370, 0x0008, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0b } };

static WSAPROTOCOL_INFOW triple(int af, int type, int protocol)
{
    WSAPROTOCOL_INFOW info;

    memset(&info, 0, sizeof(info));
    info.iAddressFamily = af;
    info.iSocketType = type;
    info.iProtocol = protocol;
    return info;
}

static BOOL guid_in(const WSAPROTOCOL_INFOW *list, int n, const GUID *guid)
{
    int i;

    for (i = 0; i < n; i++)
        if (IsEqualGUID(&list[i].ProviderId, guid))
            return TRUE;
    return FALSE;
}

/* Checks one catalog after a NULL-list install over the six base entries:
 * the layered entry, then a chain over each base entry, then the bases. */
static void check_null_list_catalog(BOOL catalog32, DWORD dummy)
{
    WSAPROTOCOL_INFOW *list, *chains, *base;
    WCHAR name[WSAPROTOCOL_LEN + 1];
    int n, i, j;

    list = ct_enum(catalog32, &n);
    ck_assert_int_eq(n, 2 * CT_BASE_ENTRIES + 1);
    ck_assert_uint_eq(list[0].dwCatalogEntryId, dummy);
    ck_assert(IsEqualGUID(&list[0].ProviderId, &guid_a));
    ck_assert_int_eq(list[0].ProtocolChain.ChainLen, LAYERED_PROTOCOL);
    ck_assert(list[0].dwProviderFlags & PFL_HIDDEN);
    ct_assert_wstr_eq(list[0].szProtocol, LSP_NAME);
    chains = &list[1];
    base = &list[1 + CT_BASE_ENTRIES];
    for (i = 0; i < CT_BASE_ENTRIES; i++) {
        ck_assert(!IsEqualGUID(&chains[i].ProviderId, &guid_a));
        ck_assert(!guid_in(chains, i, &chains[i].ProviderId));
        ck_assert_int_eq(chains[i].ProtocolChain.ChainLen, 2);
        ck_assert_uint_eq(chains[i].ProtocolChain.ChainEntries[0], dummy);
        j = ct_index_of(base, CT_BASE_ENTRIES, chains[i].ProtocolChain.ChainEntries[1]);
        ck_assert_int_ge(j, 0);
        ck_assert_int_eq(chains[i].iAddressFamily, base[j].iAddressFamily);
        ck_assert_int_eq(chains[i].iSocketType, base[j].iSocketType);
        ck_assert_int_eq(chains[i].iProtocol, base[j].iProtocol);
        ck_assert_uint_eq(chains[i].dwServiceFlags1, base[j].dwServiceFlags1 & ~XP1_IFS_HANDLES);
        swprintf(name, WSAPROTOCOL_LEN + 1, L"%ls over [%ls]", LSP_NAME, base[j].szProtocol);
        ct_assert_wstr_eq(chains[i].szProtocol, name);
    }
    free(list);
}

/* Documented: without a list, a chain over every distinct base protocol;
 * lpdwCatalogEntryId gets the layered entry's id, the same in both catalogs,
 * and each chain has the same GUID in both. */
START_TEST(test_chains_over_every_base)
{
    WSAPROTOCOL_INFOW visible[64], *native, *wow;
    DWORD dummy = 0, len = sizeof(visible);
    int err, n, n32, i;

    ct_assert_wsc_ok(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, LSP_NAME, 0, NULL,
                                                      0, &dummy, &err), err);
    ck_assert_uint_ne(dummy, 0);
    check_null_list_catalog(FALSE, dummy);
    check_null_list_catalog(TRUE, dummy);
    native = ct_enum(FALSE, &n);
    wow = ct_enum(TRUE, &n32);
    for (i = 1; i <= CT_BASE_ENTRIES; i++)
        ck_assert(guid_in(wow, n32, &native[i].ProviderId));
    n = WSAEnumProtocolsW(NULL, visible, &len);
    ck_assert_int_eq(n, 2 * CT_BASE_ENTRIES);
    ck_assert(IsEqualGUID(&visible[0].ProviderId, &native[1].ProviderId));
    free(native);
    free(wow);
}
END_TEST

/* What an installer in the sample's style does to remove the LSP: each
 * chain by its GUID, then the layered entry by the LSP's. Every call
 * succeeds and the catalog is as it was. */
START_TEST(test_chains_removed_one_guid_at_a_time)
{
    WSAPROTOCOL_INFOW *before, *after, *list;
    int err, n_before, n_after, n, i;

    before = ct_enum(FALSE, &n_before);
    ct_assert_wsc_ok(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, LSP_NAME, 0, NULL,
                                                      0, NULL, &err), err);
    list = ct_enum(FALSE, &n);
    for (i = 1; i <= CT_BASE_ENTRIES; i++) {
        ct_assert_wsc_ok(WSCDeinstallProvider(&list[i].ProviderId, &err), err);
        ct_assert_wsc_ok(WSCDeinstallProvider32(&list[i].ProviderId, &err), err);
    }
    ct_assert_wsc_ok(WSCDeinstallProvider(&guid_a, &err), err);
    ct_assert_wsc_ok(WSCDeinstallProvider32(&guid_a, &err), err);
    after = ct_enum(FALSE, &n_after);
    ck_assert_int_eq(n_after, n_before);
    ck_assert(!memcmp(before, after, n_before * sizeof(*before)));
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 0);
    free(list);
    free(before);
    free(after);
}
END_TEST

/* With a list: the top-most entry per (family, type, protocol), repeats
 * ignored; a protocol nothing serves is WSAEINVAL. */
START_TEST(test_chains_from_list)
{
    WSAPROTOCOL_INFOW want[3], *list;
    DWORD dummy;
    int err, n;

    want[0] = triple(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    want[1] = triple(AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
    want[2] = want[0];
    ct_assert_wsc_ok(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, L"C:\\x86\\lsp.dll",
                                                      LSP_NAME, 0, want, 3, &dummy, &err), err);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES + 3);
    ck_assert_int_eq(list[1].iAddressFamily, AF_INET);
    ck_assert_int_eq(list[1].iProtocol, IPPROTO_TCP);
    ck_assert_int_eq(list[2].iAddressFamily, AF_INET6);
    ck_assert_int_eq(list[2].iProtocol, IPPROTO_UDP);
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 1);
    {
        WCHAR path[MAX_PATH];
        int len = MAX_PATH;

        ct_assert_wsc_ok(WSCGetProviderPath32(&guid_a, path, &len, &err), err);
        ct_assert_wstr_eq(path, L"C:\\x86\\lsp.dll");
        len = MAX_PATH;
        ct_assert_wsc_ok(WSCGetProviderPath32(&list[1].ProviderId, path, &len, &err), err);
        ct_assert_wstr_eq(path, L"C:\\x86\\lsp.dll");
    }
    free(list);
    want[0] = triple(AF_APPLETALK, SOCK_STREAM, 0);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_b, LSP_PATH, NULL, L"other", 0,
                                                         want, 1, &dummy, &err), err, WSAEINVAL);
}
END_TEST

/* A second LSP layers over the top-most entry, which is the first LSP's
 * chain; stacking past MAX_PROTOCOL_CHAIN is WSANO_RECOVERY. */
START_TEST(test_chains_stack)
{
    WSAPROTOCOL_INFOW want = triple(AF_INET, SOCK_STREAM, IPPROTO_TCP), *list;
    DWORD dummies[MAX_PROTOCOL_CHAIN], base = ct_find(FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP).dwCatalogEntryId;
    WCHAR name[32];
    GUID guid;
    int err, n, i;

    for (i = 0; i < MAX_PROTOCOL_CHAIN - 1; i++) {
        guid = guid_a;
        guid.Data4[6] = (BYTE)i;
        swprintf(name, 32, L"lspkit stack %d", i);
        ct_assert_wsc_ok(WSCInstallProviderAndChains64_32(&guid, LSP_PATH, NULL, name, 0, &want, 1,
                                                          &dummies[i], &err), err);
    }
    list = ct_enum(FALSE, &n);
    ck_assert_uint_eq(list[0].dwCatalogEntryId, dummies[MAX_PROTOCOL_CHAIN - 2]);
    ck_assert_int_eq(list[1].ProtocolChain.ChainLen, MAX_PROTOCOL_CHAIN);
    for (i = 0; i < MAX_PROTOCOL_CHAIN - 1; i++)
        ck_assert_uint_eq(list[1].ProtocolChain.ChainEntries[i], dummies[MAX_PROTOCOL_CHAIN - 2 - i]);
    ck_assert_uint_eq(list[1].ProtocolChain.ChainEntries[MAX_PROTOCOL_CHAIN - 1], base);
    free(list);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_b, LSP_PATH, NULL, L"one too many",
                                                         0, &want, 1, NULL, &err),
                        err, WSANO_RECOVERY);
}
END_TEST

/* An IFS LSP keeps the IFS flag on its chains; its layered entry has the
 * service flags asked for. */
START_TEST(test_chains_ifs)
{
    WSAPROTOCOL_INFOW want = triple(AF_INET, SOCK_STREAM, IPPROTO_TCP), *list;
    WSAPROTOCOL_INFOW tcp = ct_find(FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int err, n;

    ck_assert(tcp.dwServiceFlags1 & XP1_IFS_HANDLES);
    ct_assert_wsc_ok(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, LSP_NAME,
                                                      XP1_IFS_HANDLES, &want, 1, NULL, &err), err);
    list = ct_enum(FALSE, &n);
    ck_assert_uint_eq(list[0].dwServiceFlags1, XP1_IFS_HANDLES);
    ck_assert_uint_eq(list[1].dwServiceFlags1, tcp.dwServiceFlags1);
    free(list);
}
END_TEST

/* The plain call changes the native catalog only. */
START_TEST(test_chains_native_only)
{
    WSAPROTOCOL_INFOW *list;
    DWORD dummy;
    int err, n;

    ct_assert_wsc_ok(WSCInstallProviderAndChains(&guid_a, L"C:\\lsp\\lsp.dll", LSP_NAME, 0, NULL, 0,
                                                 &dummy, &err), err);
    ck_assert_int_eq(ct_count_provider(FALSE, &guid_a), 1);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, 2 * CT_BASE_ENTRIES + 1);
    free(list);
    ck_assert_int_eq(ct_count_provider(TRUE, &guid_a), 0);
}
END_TEST

/* The documented WSAEINVAL cases, none of which changes anything. */
START_TEST(test_chains_errors)
{
    WSAPROTOCOL_INFOW want = triple(AF_INET, SOCK_STREAM, IPPROTO_TCP), *list;
    WCHAR long_name[WSAPROTOCOL_LEN + 2];
    DWORD dummy;
    int err, n;

    ct_assert_wsa_error(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, LSP_NAME, 0, NULL,
                                                         0, &dummy, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(NULL, LSP_PATH, NULL, LSP_NAME, 0, NULL, 0,
                                                         &dummy, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, NULL, L"C:\\a.dll", LSP_NAME, 0,
                                                         NULL, 0, &dummy, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, NULL, 0, NULL, 0,
                                                         &dummy, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, L"", 0, NULL, 0,
                                                         &dummy, &err), err, WSAEINVAL);
    wmemset(long_name, L'n', WSAPROTOCOL_LEN + 1);
    long_name[WSAPROTOCOL_LEN + 1] = 0;
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, long_name, 0,
                                                         NULL, 0, &dummy, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, LSP_NAME, 0,
                                                         &want, 0, &dummy, &err), err, WSAEINVAL);
    /* Documented: without a 32-bit path the path must be %windir%\system32\<dll>. */
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, L"C:\\lsp\\lsp.dll", NULL,
                                                         LSP_NAME, 0, NULL, 0, &dummy, &err),
                        err, WSAEINVAL);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES);
    free(list);
    /* Documented: a provider id or LSP name already in the catalog. */
    ct_assert_wsc_ok(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, LSP_NAME, 0, &want,
                                                      1, &dummy, &err), err);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_a, LSP_PATH, NULL, L"another name",
                                                         0, &want, 1, &dummy, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCInstallProviderAndChains64_32(&guid_b, LSP_PATH, NULL, LSP_NAME, 0,
                                                         &want, 1, &dummy, &err), err, WSAEINVAL);
    ck_assert_int_eq(ct_count_provider(FALSE, &guid_b), 0);
}
END_TEST

Suite *wsc_chains_suite(void)
{
    Suite *s = suite_create("wsc_chains");
    TCase *tc = ct_tcase("chains");

    tcase_add_test(tc, test_chains_over_every_base);
    tcase_add_test(tc, test_chains_removed_one_guid_at_a_time);
    tcase_add_test(tc, test_chains_from_list);
    tcase_add_test(tc, test_chains_stack);
    tcase_add_test(tc, test_chains_ifs);
    tcase_add_test(tc, test_chains_native_only);
    tcase_add_test(tc, test_chains_errors);
    suite_add_tcase(s, tc);
    return s;
}
