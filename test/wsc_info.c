/* SPDX-License-Identifier: MIT */
/* WSCSetProviderInfo / WSCGetProviderInfo (LSP categories) and
 * WSCSetApplicationCategory / WSCGetApplicationCategory. */
#include "catalog_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define APP_PATH L"C:\\apps\\client.exe"

static GUID guid_a = { 0x6c6b7370, 0x0009, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };
static GUID guid_b = { 0x6c6b7370, 0x0009, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0b } };

static void install_two(void)
{
    WSAPROTOCOL_INFOW infos[2];
    int err;

    infos[0] = ct_protocol(L"lspkit info chain", BASE_PROTOCOL);
    infos[1] = ct_protocol(L"lspkit info layered", LAYERED_PROTOCOL);
    ct_assert_wsc_ok(WSCInstallProvider64_32(&guid_a, L"x.dll", infos, 2, &err), err);
}

/* The LspCategories value of entry key `index` of the native catalog. */
static DWORD stored_categories(DWORD index)
{
    WCHAR path[300];

    swprintf(path, 300, L"%ls\\%012lu", CT_NATIVE_KEY, (unsigned long)index);
    return ct_dword(path, L"LspCategories", 0);
}

START_TEST(test_provider_info_roundtrip)
{
    DWORD categories = LSP_INSPECTOR | LSP_SYSTEM, got = 0, i;
    size_t size = sizeof(got);
    int err;

    install_two();
    ct_assert_wsc_ok(WSCGetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&got, &size, 0,
                                        &err), err);
    ck_assert_uint_eq(got, 0);   /* never set: the "All Other" category */
    ct_assert_wsc_ok(WSCSetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&categories,
                                        sizeof(categories), 0, &err), err);
    ct_assert_wsc_ok(WSCGetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&got, &size, 0,
                                        &err), err);
    ck_assert_uint_eq(got, categories);
    ck_assert_uint_eq(size, sizeof(DWORD));
    /* Kept beside each entry of the provider, and only there. */
    for (i = 1; i <= CT_BASE_ENTRIES; i++)
        ck_assert_uint_eq(stored_categories(i), 0);
    ck_assert_uint_eq(stored_categories(CT_BASE_ENTRIES + 1), categories);
    ck_assert_uint_eq(stored_categories(CT_BASE_ENTRIES + 2), categories);
    /* The 32-bit catalog has its own. */
    size = sizeof(got);
    ct_assert_wsc_ok(WSCGetProviderInfo32(&guid_a, ProviderInfoLspCategories, (BYTE *)&got, &size,
                                          0, &err), err);
    ck_assert_uint_eq(got, 0);
}
END_TEST

/* The categories move with their entry when the order changes. */
START_TEST(test_provider_info_follows_order)
{
    DWORD categories = LSP_FIREWALL, ids[64], got, i;
    WSAPROTOCOL_INFOW *list;
    size_t size = sizeof(got);
    int n, err;

    install_two();
    ct_assert_wsc_ok(WSCSetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&categories,
                                        sizeof(categories), 0, &err), err);
    list = ct_enum(FALSE, &n);
    for (i = 0; i < (DWORD)n; i++)
        ids[i] = list[(i + n - 2) % n].dwCatalogEntryId;   /* the last two go first */
    free(list);
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n), 0);
    ck_assert_uint_eq(stored_categories(1), categories);
    ck_assert_uint_eq(stored_categories(2), categories);
    for (i = 3; i <= (DWORD)n; i++)
        ck_assert_uint_eq(stored_categories(i), 0);
    ct_assert_wsc_ok(WSCGetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&got, &size, 0,
                                        &err), err);
    ck_assert_uint_eq(got, categories);
}
END_TEST

START_TEST(test_provider_info_errors)
{
    DWORD categories = LSP_PROXY, got;
    size_t size;
    int err;

    install_two();
    ct_assert_wsa_error(WSCSetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&categories,
                                           sizeof(categories), 0, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCSetProviderInfo(&guid_a, ProviderInfoAudit, (BYTE *)&categories,
                                           sizeof(categories), 0, &err), err,
                        ERROR_CALL_NOT_IMPLEMENTED);
    ct_assert_wsc_error(WSCSetProviderInfo(&guid_a, (WSC_PROVIDER_INFO_TYPE)7, (BYTE *)&categories,
                                           sizeof(categories), 0, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCSetProviderInfo(NULL, ProviderInfoLspCategories, (BYTE *)&categories,
                                           sizeof(categories), 0, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCSetProviderInfo(&guid_a, ProviderInfoLspCategories, NULL,
                                           sizeof(categories), 0, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCSetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&categories,
                                           2, 0, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCSetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&categories,
                                           sizeof(categories), 1, &err), err, WSAEINVAL);
    ct_assert_wsc_error(WSCSetProviderInfo(&guid_b, ProviderInfoLspCategories, (BYTE *)&categories,
                                           sizeof(categories), 0, &err), err, WSAEINVAL);

    size = sizeof(got);
    ct_assert_wsc_error(WSCGetProviderInfo(&guid_b, ProviderInfoLspCategories, (BYTE *)&got, &size,
                                           0, &err), err, WSAEINVALIDPROVIDER);
    ct_assert_wsc_error(WSCGetProviderInfo(&guid_a, ProviderInfoAudit, (BYTE *)&got, &size, 0,
                                           &err), err, ERROR_CALL_NOT_IMPLEMENTED);
    ct_assert_wsc_error(WSCGetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&got, NULL,
                                           0, &err), err, WSAEFAULT);
    /* Documented: no buffer gives the size needed. */
    size = 0;
    ct_assert_wsc_error(WSCGetProviderInfo(&guid_a, ProviderInfoLspCategories, NULL, &size, 0,
                                           &err), err, WSAEFAULT);
    ck_assert_uint_eq(size, sizeof(DWORD));
    size = 2;
    ct_assert_wsc_error(WSCGetProviderInfo(&guid_a, ProviderInfoLspCategories, (BYTE *)&got, &size,
                                           0, &err), err, WSAEFAULT);
    ck_assert_uint_eq(size, sizeof(DWORD));
}
END_TEST

/* Documented: categories set again for the same application are ORed; the
 * application is its path (any case) and its arguments. */
START_TEST(test_app_category)
{
    WCHAR subkey[64], value[MAX_PATH];
    DWORD prev = 0xdead, got = 0, len, size;
    const WCHAR *padded = APP_PATH L"-not-part";
    HKEY root, key;
    int err;

    ct_assert_wsc_error(WSCGetApplicationCategory(APP_PATH, wcslen(APP_PATH), NULL, 0, &got, &err),
                        err, WSASERVICE_NOT_FOUND);
    ct_assert_wsc_ok(WSCSetApplicationCategory(APP_PATH, wcslen(APP_PATH), NULL, 0, LSP_SYSTEM,
                                               &prev, &err), err);
    ck_assert_uint_eq(prev, 0);
    ct_assert_wsc_ok(WSCSetApplicationCategory(padded, wcslen(APP_PATH), NULL, 0, LSP_PROXY, &prev,
                                               &err), err);
    ck_assert_uint_eq(prev, LSP_SYSTEM);
    ct_assert_wsc_ok(WSCGetApplicationCategory(L"c:\\APPS\\CLIENT.EXE", wcslen(APP_PATH), NULL, 0,
                                               &got, &err), err);
    ck_assert_uint_eq(got, LSP_SYSTEM | LSP_PROXY);
    ct_assert_wsc_error(WSCGetApplicationCategory(APP_PATH, wcslen(APP_PATH), L"-k netsvcs", 10,
                                                  &got, &err), err, WSASERVICE_NOT_FOUND);
    ct_assert_wsc_ok(WSCSetApplicationCategory(APP_PATH, wcslen(APP_PATH), L"-k netsvcs", 10,
                                               LSP_FIREWALL, NULL, &err), err);
    ct_assert_wsc_ok(WSCGetApplicationCategory(APP_PATH, wcslen(APP_PATH), L"-k netsvcs", 10,
                                               &got, &err), err);
    ck_assert_uint_eq(got, LSP_FIREWALL);
    /* Where Windows keeps it: AppId_Catalog\<id> with AppFullPath. */
    root = ct_open(CT_APPID_KEY, KEY_READ);
    ck_assert_ptr_nonnull(root);
    len = 64;
    ck_assert_int_eq(RegEnumKeyExW(root, 0, subkey, &len, NULL, NULL, NULL, NULL), 0);
    ck_assert_uint_eq(len, 8);
    ck_assert_int_eq(RegOpenKeyExW(root, subkey, 0, KEY_READ | KEY_WOW64_64KEY, &key), 0);
    size = sizeof(value);
    ck_assert_int_eq(RegQueryValueExW(key, L"AppFullPath", NULL, NULL, (BYTE *)value, &size), 0);
    ck_assert_int_eq(RegQueryValueExW(key, L"PermittedLspCategories", NULL, NULL, NULL, NULL), 0);
    RegCloseKey(key);
    RegCloseKey(root);
    ct_assert_wstr_eq(value, APP_PATH);
}
END_TEST

/* The AppFullPath value of the only application key rewritten as `size`
 * bytes of `bytes` (anyone with registry access can store such a value). */
static void rewrite_app_path(const void *bytes, DWORD size)
{
    WCHAR subkey[64];
    DWORD len = 64;
    HKEY root = ct_open(CT_APPID_KEY, KEY_READ), key;

    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(RegEnumKeyExW(root, 0, subkey, &len, NULL, NULL, NULL, NULL), 0);
    ck_assert_int_eq(RegOpenKeyExW(root, subkey, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &key), 0);
    ck_assert_int_eq(RegSetValueExW(key, L"AppFullPath", 0, REG_SZ, bytes, size), 0);
    RegCloseKey(key);
    RegCloseKey(root);
}

/* A stored path need not end in a NUL, and may even have an odd size: it
 * is read as the characters it holds, never past them. */
START_TEST(test_app_category_unterminated_value)
{
    BYTE odd[sizeof(APP_PATH) + 1];
    DWORD got = 0;
    int err;

    ct_assert_wsc_ok(WSCSetApplicationCategory(APP_PATH, wcslen(APP_PATH), NULL, 0, LSP_SYSTEM,
                                               NULL, &err), err);
    rewrite_app_path(APP_PATH, (DWORD)(wcslen(APP_PATH) * sizeof(WCHAR)));
    ct_assert_wsc_ok(WSCGetApplicationCategory(APP_PATH, wcslen(APP_PATH), NULL, 0, &got, &err),
                     err);
    ck_assert_uint_eq(got, LSP_SYSTEM);
    /* The path, then half a character: another path, not a longer read. */
    memcpy(odd, APP_PATH, wcslen(APP_PATH) * sizeof(WCHAR));
    odd[wcslen(APP_PATH) * sizeof(WCHAR)] = 'x';
    rewrite_app_path(odd, (DWORD)(wcslen(APP_PATH) * sizeof(WCHAR) + 1));
    ct_assert_wsc_error(WSCGetApplicationCategory(APP_PATH, wcslen(APP_PATH), NULL, 0, &got, &err),
                        err, WSASERVICE_NOT_FOUND);
}
END_TEST

START_TEST(test_app_category_errors)
{
    DWORD got;
    int err;

    ct_assert_wsa_error(WSCSetApplicationCategory(APP_PATH, 5, NULL, 0, 0, NULL, NULL), WSAEFAULT);
    ct_assert_wsc_error(WSCSetApplicationCategory(NULL, 5, NULL, 0, 0, NULL, &err), err, WSAEFAULT);
    ct_assert_wsc_error(WSCSetApplicationCategory(APP_PATH, 0, NULL, 0, 0, NULL, &err), err,
                        WSAEINVAL);
    ct_assert_wsc_error(WSCSetApplicationCategory(APP_PATH, wcslen(APP_PATH) + 1, NULL, 0, 0, NULL,
                                                  &err), err, WSAEINVAL);   /* NUL inside */
    ct_assert_wsc_error(WSCSetApplicationCategory(APP_PATH, 5, NULL, 3, 0, NULL, &err), err,
                        WSAEFAULT);
    ct_assert_wsc_error(WSCGetApplicationCategory(APP_PATH, 5, NULL, 0, NULL, &err), err,
                        WSAEFAULT);
    ct_assert_wsc_error(WSCGetApplicationCategory(NULL, 5, NULL, 0, &got, &err), err, WSAEFAULT);
}
END_TEST

Suite *wsc_info_suite(void)
{
    Suite *s = suite_create("wsc_info");
    TCase *tc = ct_tcase("provider_info");

    tcase_add_test(tc, test_provider_info_roundtrip);
    tcase_add_test(tc, test_provider_info_follows_order);
    tcase_add_test(tc, test_provider_info_errors);
    suite_add_tcase(s, tc);
    tc = ct_tcase("app_category");
    tcase_add_test(tc, test_app_category);
    tcase_add_test(tc, test_app_category_errors);
    tcase_add_test(tc, test_app_category_unterminated_value);
    suite_add_tcase(s, tc);
    return s;
}
