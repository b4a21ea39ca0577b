/* SPDX-License-Identifier: MIT */
/* catalog_util.c: main() and helpers of the catalog test programs (see
 * catalog_test.h). */
#include "catalog_test.h"
#include "../spi/sysws2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define BACKUP_KEY L"SOFTWARE\\lspkit-test-backup"

/* Defined by each program: a child-process run (argv[1] given) returns its
 * exit code; -1 means "run the suites". */
int ct_child_main(int argc, char **argv);

HKEY ct_open(const WCHAR *path, REGSAM access)
{
    HKEY key;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, access | KEY_WOW64_64KEY, &key) != ERROR_SUCCESS)
        return NULL;
    return key;
}

DWORD ct_dword(const WCHAR *path, const WCHAR *name, DWORD fallback)
{
    DWORD type, value, size = sizeof(value);
    HKEY key = ct_open(path, KEY_QUERY_VALUE);
    LSTATUS status;

    if (!key)
        return fallback;
    status = RegQueryValueExW(key, name, NULL, &type, (BYTE *)&value, &size);
    RegCloseKey(key);
    return status == ERROR_SUCCESS && type == REG_DWORD ? value : fallback;
}

static void entry_key_path(BOOL catalog32, DWORD index, WCHAR *out, size_t size)
{
    swprintf(out, size, L"%ls\\%012lu", catalog32 ? CT_32_KEY : CT_NATIVE_KEY,
             (unsigned long)index);
}

void ct_write_packed(BOOL catalog32, DWORD index, const void *data, DWORD size, DWORD type)
{
    WCHAR path[300];
    HKEY key;

    entry_key_path(catalog32, index, path, 300);
    ck_assert_int_eq(RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL, 0,
                                     KEY_WRITE | KEY_WOW64_64KEY, NULL, &key, NULL), 0);
    ck_assert_int_eq(RegSetValueExW(key, L"PackedCatalogItem", 0, type, data, size), 0);
    RegCloseKey(key);
}

DWORD ct_read_packed(BOOL catalog32, DWORD index, struct ct_packed *out, DWORD *type)
{
    DWORD size = sizeof(*out);
    WCHAR path[300];
    LSTATUS status;
    HKEY key;

    entry_key_path(catalog32, index, path, 300);
    key = ct_open(path, KEY_QUERY_VALUE);
    ck_assert_msg(key != NULL, "no entry key %ls", path);
    status = RegQueryValueExW(key, L"PackedCatalogItem", NULL, type, (BYTE *)out, &size);
    RegCloseKey(key);
    ck_assert_msg(status == ERROR_SUCCESS, "PackedCatalogItem of %ls: %ld", path, (long)status);
    return size;
}

static void delete_tree(const WCHAR *path)
{
    LSTATUS status = RegDeleteTreeW(HKEY_LOCAL_MACHINE, path);
    HKEY key;

    if (status == ERROR_SUCCESS)
        status = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, path, KEY_WOW64_64KEY, 0);
    key = ct_open(path, KEY_READ);
    if (key)
        RegCloseKey(key);
    ck_assert_msg(key == NULL, "cannot delete %ls (%ld)", path, (long)status);
}

void ct_delete_store(void)
{
    delete_tree(CT_ROOT_KEY);
    delete_tree(CT_APPID_KEY);
}

/* Copies the key at `from` (when it exists) to `to`. */
static void copy_tree(const WCHAR *from, const WCHAR *to)
{
    HKEY src = ct_open(from, KEY_READ), dst;

    if (!src)
        return;
    if (RegCreateKeyExW(HKEY_LOCAL_MACHINE, to, 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY,
                        NULL, &dst, NULL) == ERROR_SUCCESS) {
        RegCopyTreeW(src, NULL, dst);
        RegCloseKey(dst);
    }
    RegCloseKey(src);
}

/* The programs change the machine's catalog: what was there is put back. */
static void save_store(void)
{
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, BACKUP_KEY);
    copy_tree(CT_ROOT_KEY, BACKUP_KEY L"\\Protocol_Catalog9");
    copy_tree(CT_APPID_KEY, BACKUP_KEY L"\\AppId_Catalog");
}

static void restore_store(void)
{
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, CT_ROOT_KEY);
    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, CT_ROOT_KEY, KEY_WOW64_64KEY, 0);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, CT_APPID_KEY);
    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, CT_APPID_KEY, KEY_WOW64_64KEY, 0);
    copy_tree(BACKUP_KEY L"\\Protocol_Catalog9", CT_ROOT_KEY);
    copy_tree(BACKUP_KEY L"\\AppId_Catalog", CT_APPID_KEY);
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, BACKUP_KEY);
    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, BACKUP_KEY, KEY_WOW64_64KEY, 0);
}

static void setup(void)
{
    WSADATA data;

    ct_delete_store();
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

static void teardown(void)
{
    WSACleanup();
}

TCase *ct_tcase(const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    return tc;
}

WSAPROTOCOL_INFOW *ct_enum(BOOL catalog32, int *count)
{
    WSAPROTOCOL_INFOW *list;
    DWORD len = 0;
    int err = 0, n;

    n = catalog32 ? WSCEnumProtocols32(NULL, NULL, &len, &err)
                  : WSCEnumProtocols(NULL, NULL, &len, &err);
    ck_assert_msg(n == SOCKET_ERROR && err == WSAENOBUFS, "sizing call: %d, error %d", n, err);
    ck_assert_int_gt(len, 0);
    list = malloc(len);
    ck_assert_ptr_nonnull(list);
    n = catalog32 ? WSCEnumProtocols32(NULL, list, &len, &err)
                  : WSCEnumProtocols(NULL, list, &len, &err);
    ck_assert_msg(n > 0, "WSCEnumProtocols%s: %d, error %d", catalog32 ? "32" : "", n, err);
    ck_assert_int_eq(len, n * sizeof(*list));
    *count = n;
    return list;
}

WSAPROTOCOL_INFOW ct_find(BOOL catalog32, int af, int type, int protocol)
{
    WSAPROTOCOL_INFOW found, *list;
    int i, n;

    list = ct_enum(catalog32, &n);
    for (i = 0; i < n; i++)
        if (list[i].iAddressFamily == af && list[i].iSocketType == type &&
            list[i].iProtocol == protocol)
            break;
    ck_assert_msg(i < n, "no entry for %d/%d/%d", af, type, protocol);
    found = list[i];
    free(list);
    return found;
}

int ct_index_of(const WSAPROTOCOL_INFOW *list, int count, DWORD id)
{
    int i;

    for (i = 0; i < count; i++)
        if (list[i].dwCatalogEntryId == id)
            return i;
    return -1;
}

int ct_count_provider(BOOL catalog32, const GUID *provider)
{
    WSAPROTOCOL_INFOW *list = NULL;
    int i, n, found = 0;

    list = ct_enum(catalog32, &n);
    for (i = 0; i < n; i++)
        found += IsEqualGUID(&list[i].ProviderId, provider);
    free(list);
    return found;
}

WSAPROTOCOL_INFOW *ct_system_protocols(int *count)
{
    int (WSAAPI *startup)(WORD, LPWSADATA);
    int (WSAAPI *cleanup)(void);
    int (WSAAPI *enum_w)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD);
    WSAPROTOCOL_INFOW *list;
    WSADATA data;
    DWORD len = 0;
    int n;

    startup = (void *)sysws2_proc("WSAStartup");
    cleanup = (void *)sysws2_proc("WSACleanup");
    enum_w = (void *)sysws2_proc("WSAEnumProtocolsW");
    ck_assert(startup && cleanup && enum_w);
    ck_assert_int_eq(startup(MAKEWORD(2, 2), &data), 0);
    enum_w(NULL, NULL, &len);
    list = malloc(len);
    ck_assert_ptr_nonnull(list);
    n = enum_w(NULL, list, &len);
    cleanup();
    ck_assert_int_gt(n, 0);
    *count = n;
    return list;
}

WSAPROTOCOL_INFOW ct_protocol(const WCHAR *name, int chain_len)
{
    WSAPROTOCOL_INFOW info = ct_find(FALSE, AF_INET, SOCK_STREAM, IPPROTO_TCP);

    memset(&info.ProviderId, 0, sizeof(info.ProviderId));
    info.dwCatalogEntryId = 0;
    memset(&info.ProtocolChain, 0, sizeof(info.ProtocolChain));
    info.ProtocolChain.ChainLen = chain_len;
    wcsncpy(info.szProtocol, name, WSAPROTOCOL_LEN);
    info.szProtocol[WSAPROTOCOL_LEN] = 0;
    return info;
}

int main(int argc, char **argv)
{
    Suite **suites;
    SRunner *runner;
    int failed, child = ct_child_main(argc, argv);

    if (child >= 0)
        return child;
    suites = ct_suites();
    runner = srunner_create(suites[0]);
    for (suites++; *suites; suites++)
        srunner_add_suite(runner, *suites);
    srunner_set_fork_status(runner, CK_NOFORK);
    save_store();
    srunner_run_all(runner, CK_NORMAL);
    restore_store();
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    fflush(stdout);
    return failed ? 1 : 0;
}
