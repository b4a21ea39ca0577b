/* SPDX-License-Identifier: MIT */
/* catalog_store.exe: the registry catalog store (spi/dcatalog.c) seen from
 * outside: seeding, the Windows registry layout, round trips, order, and
 * robustness against garbage entries, deleted keys and processes that seed
 * at the same time. */
#include "catalog_test.h"
#include "../spi/sysws2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define CHILDREN 4
#define CHILD_ARG "--enum-child"
#define READY_NAME L"lspkit-test-seed-ready"
#define GO_NAME L"lspkit-test-seed-go"

static const GUID test_provider =
    { 0x6c6b7370, 0x0001, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x01 } };

/* A child of test_concurrent_seeding: enumerates the unseeded catalog at
 * the same moment as its siblings and reports whether it saw the six base
 * entries. Wine's ws2_32 is loaded beforehand, so that the children
 * meet in the seeding itself rather than in DLL loading. */
int ct_child_main(int argc, char **argv)
{
    WSAPROTOCOL_INFOW list[64];
    DWORD len = sizeof(list);
    HANDLE ready, go;
    int err, n;

    if (argc < 2 || strcmp(argv[1], CHILD_ARG))
        return -1;
    if (!sysws2_module())
        return 1;
    ready = OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, READY_NAME);
    go = OpenEventW(SYNCHRONIZE, FALSE, GO_NAME);
    if (!ready || !go)
        return 2;
    ReleaseSemaphore(ready, 1, NULL);
    if (WaitForSingleObject(go, 30000) != WAIT_OBJECT_0)
        return 3;
    n = WSCEnumProtocols(NULL, list, &len, &err);
    return n == CT_BASE_ENTRIES ? 0 : 10 + (n < 0 ? err % 100 : n);
}

/* The seeded entry compared with what the system says, ignoring what the
 * store assigns: id and chain. */
static void assert_same_description(const WSAPROTOCOL_INFOW *seeded, const WSAPROTOCOL_INFOW *sys)
{
    WSAPROTOCOL_INFOW a = *seeded, b = *sys;

    a.dwCatalogEntryId = b.dwCatalogEntryId = 0;
    memset(&a.ProtocolChain, 0, sizeof(a.ProtocolChain));
    memset(&b.ProtocolChain, 0, sizeof(b.ProtocolChain));
    ck_assert_msg(!memcmp(&a, &b, sizeof(a)), "%ls differs from the system's %ls",
                  seeded->szProtocol, sys->szProtocol);
}

static const WSAPROTOCOL_INFOW *find_in(const WSAPROTOCOL_INFOW *list, int n, int af, int type,
                                        int protocol)
{
    int i;

    for (i = 0; i < n; i++)
        if (list[i].iAddressFamily == af && list[i].iSocketType == type &&
            (protocol < 0 || list[i].iProtocol == protocol))
            return &list[i];
    return NULL;
}

/* Seeding: the store deleted, WSAEnumProtocolsW shows TCP, UDP and RAW over
 * IPv4 and IPv6, served by lspkit_base.dll, described as the system
 * describes them. */
START_TEST(test_seed_after_delete)
{
    static const int families[] = { AF_INET, AF_INET6 };
    WSAPROTOCOL_INFOW list[64], *sys;
    const WSAPROTOCOL_INFOW *e, *s;
    WCHAR path[MAX_PATH];
    DWORD len = sizeof(list);
    int n, nsys, f, i, j, plen, err;

    n = WSAEnumProtocolsW(NULL, list, &len);
    ck_assert_int_eq(n, CT_BASE_ENTRIES);
    sys = ct_system_protocols(&nsys);
    for (i = 0; i < n; i++) {
        ck_assert_int_eq(list[i].ProtocolChain.ChainLen, BASE_PROTOCOL);
        ck_assert_uint_eq(list[i].ProtocolChain.ChainEntries[0], list[i].dwCatalogEntryId);
        ck_assert_uint_ge(list[i].dwCatalogEntryId, 1001);
        for (j = 0; j < i; j++)
            ck_assert_uint_ne(list[i].dwCatalogEntryId, list[j].dwCatalogEntryId);
        plen = MAX_PATH;
        ck_assert_int_eq(WSCGetProviderPath(&list[i].ProviderId, path, &plen, &err), 0);
        ck_assert_msg(!wcscmp(path, CT_BASE_PATH), "provider path %ls", path);
    }
    for (f = 0; f < 2; f++) {
        e = find_in(list, n, families[f], SOCK_STREAM, IPPROTO_TCP);
        s = find_in(sys, nsys, families[f], SOCK_STREAM, IPPROTO_TCP);
        ck_assert(e && s);
        assert_same_description(e, s);
        e = find_in(list, n, families[f], SOCK_DGRAM, IPPROTO_UDP);
        s = find_in(sys, nsys, families[f], SOCK_DGRAM, IPPROTO_UDP);
        ck_assert(e && s);
        assert_same_description(e, s);
        e = find_in(list, n, families[f], SOCK_RAW, -1);
        ck_assert_msg(e != NULL, "no raw entry for family %d", families[f]);
        s = find_in(sys, nsys, families[f], SOCK_RAW, -1);
        if (s) {
            assert_same_description(e, s);
        } else {
            /* Wine lists no raw entry: the seeded one is the UDP one made raw. */
            WSAPROTOCOL_INFOW raw = *e;

            ck_assert_int_eq(raw.iProtocol, 0);
            ck_assert_int_eq(raw.iProtocolMaxOffset, 255);
            ck_assert_msg(wcsstr(raw.szProtocol, L"RAW") != NULL, "raw name %ls", raw.szProtocol);
            s = find_in(sys, nsys, families[f], SOCK_DGRAM, IPPROTO_UDP);
            raw.iSocketType = s->iSocketType;
            raw.iProtocol = s->iProtocol;
            raw.iProtocolMaxOffset = s->iProtocolMaxOffset;
            memcpy(raw.szProtocol, s->szProtocol, sizeof(raw.szProtocol));
            assert_same_description(&raw, s);
        }
    }
    free(sys);
}
END_TEST

/* Both catalogs are seeded, the same base entry with the same id. */
START_TEST(test_seed_both_catalogs)
{
    WSAPROTOCOL_INFOW *native, *c32;
    int n, n32;

    native = ct_enum(FALSE, &n);
    c32 = ct_enum(TRUE, &n32);
    ck_assert_int_eq(n, CT_BASE_ENTRIES);
    ck_assert_int_eq(n32, CT_BASE_ENTRIES);
    ck_assert(!memcmp(native, c32, n * sizeof(*native)));
    free(native);
    free(c32);
}
END_TEST

/* The layout Windows uses: 12-digit keys in catalog order, each with a
 * REG_BINARY PackedCatalogItem of CHAR[MAX_PATH] + WSAPROTOCOL_INFOW, and
 * the counters beside them. */
START_TEST(test_registry_layout)
{
    WSAPROTOCOL_INFOW *list;
    struct ct_packed packed;
    DWORD size, type, highest = 0, i, subkeys;
    WCHAR name[64];
    DWORD namelen;
    HKEY key;
    int n;

    list = ct_enum(FALSE, &n);
    for (i = 0; i < (DWORD)n; i++) {
        memset(&packed, 0xcc, sizeof(packed));
        size = ct_read_packed(FALSE, i + 1, &packed, &type);
        ck_assert_int_eq(type, REG_BINARY);
        ck_assert_uint_eq(size, MAX_PATH + sizeof(WSAPROTOCOL_INFOW));
        ck_assert_str_eq(packed.path, "%SystemRoot%\\system32\\lspkit_base.dll");
        ck_assert(!memcmp(&packed.info, &list[i], sizeof(packed.info)));
        if (list[i].dwCatalogEntryId > highest)
            highest = list[i].dwCatalogEntryId;
    }
    key = ct_open(CT_NATIVE_KEY, KEY_READ);
    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL,
                                      NULL, NULL, NULL), 0);
    ck_assert_uint_eq(subkeys, n);
    for (i = 0; i < subkeys; i++) {
        namelen = 64;
        ck_assert_int_eq(RegEnumKeyExW(key, i, name, &namelen, NULL, NULL, NULL, NULL), 0);
        ck_assert_uint_eq(namelen, 12);
        ck_assert_uint_eq(wcsspn(name, L"0123456789"), 12);
    }
    RegCloseKey(key);
    ck_assert_uint_eq(ct_dword(CT_NATIVE_KEY, L"Num_Catalog_Entries", 0), n);
    ck_assert_uint_eq(ct_dword(CT_32_KEY, L"Num_Catalog_Entries", 0), n);
    ck_assert_uint_eq(ct_dword(CT_ROOT_KEY, L"Num_Catalog_Entries64", 0), n);
    ck_assert_uint_eq(ct_dword(CT_ROOT_KEY, L"Num_Catalog_Entries", 0), n);
    ck_assert_uint_gt(ct_dword(CT_ROOT_KEY, L"Next_Catalog_Entry_ID", 0), highest);
    ck_assert_uint_ne(ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0), 0);
    free(list);
}
END_TEST

/* What is installed is what is read back, byte for byte, through the API
 * and in the registry; only GUID, id and a base entry's chain are set by
 * the store. */
START_TEST(test_write_read_identity)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"Pr\u00fcfung \u2713 identity", BASE_PROTOCOL), *list;
    struct ct_packed packed;
    GUID provider = test_provider;
    DWORD type;
    int n, err;

    info.dwServiceFlags1 = 0x11111111;
    info.dwServiceFlags2 = 0x22222222;
    info.dwServiceFlags3 = 0x33333333;
    info.dwServiceFlags4 = 0x44444444;
    info.dwProviderReserved = 0x55555555;
    info.iSecurityScheme = 7;
    info.dwMessageSize = 0x1234;
    ct_assert_wsc_ok(WSCInstallProvider(&provider, L"C:\\some dir\\id.dll", &info, 1, &err), err);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES + 1);
    info.ProviderId = provider;
    info.dwCatalogEntryId = list[n - 1].dwCatalogEntryId;
    info.ProtocolChain.ChainEntries[0] = info.dwCatalogEntryId;
    ck_assert(!memcmp(&list[n - 1], &info, sizeof(info)));
    ct_read_packed(FALSE, n, &packed, &type);
    ck_assert_str_eq(packed.path, "C:\\some dir\\id.dll");
    ck_assert(!memcmp(&packed.info, &info, sizeof(info)));
    free(list);
}
END_TEST

/* Catalog order is key order: a new order rewrites the keys, and every
 * entry's bytes survive the move. */
START_TEST(test_order_follows_key_names)
{
    WSAPROTOCOL_INFOW *before, *after;
    struct ct_packed packed;
    DWORD ids[64], serial, type;
    int n, m, i;

    before = ct_enum(FALSE, &n);
    for (i = 0; i < n; i++)
        ids[i] = before[n - 1 - i].dwCatalogEntryId;
    serial = ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0);
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n), 0);
    ck_assert_uint_ne(ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0), serial);
    after = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n);
    for (i = 0; i < n; i++) {
        ck_assert(!memcmp(&after[i], &before[n - 1 - i], sizeof(after[i])));
        ct_read_packed(FALSE, i + 1, &packed, &type);
        ck_assert(!memcmp(&packed.info, &before[n - 1 - i], sizeof(packed.info)));
    }
    free(before);
    free(after);
}
END_TEST

/* Garbage PackedCatalogItems are skipped, never fatal; the entries around
 * them stay. */
START_TEST(test_corrupt_entries_skipped)
{
    WSAPROTOCOL_INFOW *list, visible[64];
    struct ct_packed good, bad;
    DWORD index, type, len = sizeof(visible);
    BYTE big[sizeof(struct ct_packed) + 4];
    int n, m;

    list = ct_enum(FALSE, &n);
    ct_read_packed(FALSE, 1, &good, &type);
    index = n + 1;
    ct_write_packed(FALSE, index++, &good, 100, REG_BINARY);                  /* truncated */
    memset(big, 0, sizeof(big));
    memcpy(big, &good, sizeof(good));
    big[sizeof(good)] = 1;
    ct_write_packed(FALSE, index++, big, sizeof(big), REG_BINARY);            /* too long */
    bad = good;
    memset(bad.path, 'A', sizeof(bad.path));                                  /* no NUL */
    bad.info.dwCatalogEntryId = 4001;
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_BINARY);
    bad = good;
    bad.info.dwCatalogEntryId = 4002;
    bad.info.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1;
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_BINARY);
    bad.info.ProtocolChain.ChainLen = -1;
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_BINARY);
    bad = good;
    bad.info.dwCatalogEntryId = 4003;
    bad.info.iAddressFamily = 9999;
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_BINARY);
    bad.info.iAddressFamily = -5;
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_BINARY);
    bad = good;
    bad.info.dwCatalogEntryId = 4004;
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_DWORD);            /* wrong type */
    ct_write_packed(FALSE, index++, &good, sizeof(good), REG_BINARY);         /* duplicate id */
    bad = good;
    bad.info.dwCatalogEntryId = 4005;
    memset(bad.info.szProtocol, 'x', sizeof(bad.info.szProtocol));             /* no NUL */
    ct_write_packed(FALSE, index++, &bad, sizeof(bad), REG_BINARY);
    bad = good;
    bad.info.dwCatalogEntryId = 5000;                                          /* fine */
    ct_write_packed(FALSE, index, &bad, sizeof(bad), REG_BINARY);
    {
        HKEY key = ct_open(CT_NATIVE_KEY, KEY_SET_VALUE);
        ck_assert_ptr_nonnull(key);
        ck_assert_int_eq(RegSetValueExW(key, L"Num_Catalog_Entries", 0, REG_DWORD,
                                        (const BYTE *)&index, sizeof(index)), 0);
        RegCloseKey(key);
    }
    free(list);
    list = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n + 1);
    ck_assert_uint_eq(list[m - 1].dwCatalogEntryId, 5000);
    ck_assert_int_eq(WSAEnumProtocolsW(NULL, visible, &len), n + 1);
    free(list);
}
END_TEST

/* Keys past Num_Catalog_Entries are what an interrupted write left: they
 * are not entries, and the next write deletes them. */
START_TEST(test_surplus_keys_ignored)
{
    WSAPROTOCOL_INFOW *list;
    struct ct_packed good;
    DWORD ids[64], type;
    WCHAR path[300];
    HKEY key;
    int n, m, i;

    list = ct_enum(FALSE, &n);
    ct_read_packed(FALSE, 1, &good, &type);
    good.info.dwCatalogEntryId = 6000;
    ct_write_packed(FALSE, n + 2, &good, sizeof(good), REG_BINARY);
    free(list);
    list = ct_enum(FALSE, &m);
    ck_assert_int_eq(m, n);
    ck_assert_int_eq(ct_index_of(list, m, 6000), -1);
    for (i = 0; i < n; i++)
        ids[i] = list[i].dwCatalogEntryId;
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n), 0);
    swprintf(path, 300, L"%ls\\%012d", CT_NATIVE_KEY, n + 2);
    key = ct_open(path, KEY_READ);
    ck_assert_msg(key == NULL, "surplus key %ls still there", path);
    free(list);
}
END_TEST

/* The store deleted under a running process: the next call reseeds. */
START_TEST(test_key_deleted_while_running)
{
    WSAPROTOCOL_INFOW *list, visible[64], info;
    GUID provider = test_provider;
    DWORD len = sizeof(visible), highest = 0;
    HKEY key;
    int n, i, err;

    free(ct_enum(FALSE, &n));
    ck_assert_int_eq(RegDeleteTreeW(HKEY_LOCAL_MACHINE, CT_ROOT_KEY), 0);
    list = ct_enum(FALSE, &n);
    ck_assert_int_eq(n, CT_BASE_ENTRIES);
    free(list);
    ck_assert_int_eq(WSAEnumProtocolsW(NULL, visible, &len), CT_BASE_ENTRIES);

    /* Only the native catalog gone: it alone is seeded again. */
    list = ct_enum(TRUE, &n);
    ck_assert_int_eq(RegDeleteTreeW(HKEY_LOCAL_MACHINE, CT_NATIVE_KEY), 0);
    key = ct_open(CT_NATIVE_KEY, KEY_READ);
    ck_assert_ptr_null(key);
    free(ct_enum(FALSE, &i));
    ck_assert_int_eq(i, CT_BASE_ENTRIES);
    free(list);

    /* The id counter lost: a new id is still above every id in use. */
    key = ct_open(CT_ROOT_KEY, KEY_SET_VALUE);
    ck_assert_ptr_nonnull(key);
    ck_assert_int_eq(RegDeleteValueW(key, L"Next_Catalog_Entry_ID"), 0);
    RegCloseKey(key);
    for (i = 0; i < 2; i++) {
        list = ct_enum(i, &n);
        while (n--)
            if (list[n].dwCatalogEntryId > highest)
                highest = list[n].dwCatalogEntryId;
        free(list);
    }
    info = ct_protocol(L"after the counter went", BASE_PROTOCOL);
    ct_assert_wsc_ok(WSCInstallProvider(&provider, L"x.dll", &info, 1, &err), err);
    list = ct_enum(FALSE, &n);
    ck_assert_uint_gt(list[n - 1].dwCatalogEntryId, highest);
    free(list);
}
END_TEST

/* Processes starting at once seed the store once: six entries, not twelve. */
START_TEST(test_concurrent_seeding)
{
    PROCESS_INFORMATION procs[CHILDREN];
    WCHAR exe[MAX_PATH], cmd[MAX_PATH + 32];
    WSAPROTOCOL_INFOW *list, *native;
    HANDLE handles[CHILDREN], ready, go;
    STARTUPINFOW si;
    DWORD code, subkeys, highest = 0;
    HKEY key;
    int i, j, n;

    ck_assert_int_gt(GetModuleFileNameW(NULL, exe, MAX_PATH), 0);
    swprintf(cmd, MAX_PATH + 32, L"\"%ls\" " CHILD_ARG, exe);
    ready = CreateSemaphoreW(NULL, 0, CHILDREN, READY_NAME);
    go = CreateEventW(NULL, TRUE, FALSE, GO_NAME);
    ck_assert(ready && go);
    ct_delete_store();
    for (i = 0; i < CHILDREN; i++) {
        memset(&si, 0, sizeof(si));
        si.cb = sizeof(si);
        ck_assert(CreateProcessW(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &procs[i]));
        handles[i] = procs[i].hProcess;
    }
    for (i = 0; i < CHILDREN; i++)
        ck_assert_int_eq(WaitForSingleObject(ready, 30000), WAIT_OBJECT_0);
    SetEvent(go);
    ck_assert_int_eq(WaitForMultipleObjects(CHILDREN, handles, TRUE, 30000), WAIT_OBJECT_0);
    CloseHandle(ready);
    CloseHandle(go);
    for (i = 0; i < CHILDREN; i++) {
        ck_assert(GetExitCodeProcess(procs[i].hProcess, &code));
        ck_assert_msg(code == 0, "child %d exited %lu", i, code);
        CloseHandle(procs[i].hProcess);
        CloseHandle(procs[i].hThread);
    }
    /* Seeded once: one set of ids, the same in both catalogs, none handed
     * out beyond them. */
    native = ct_enum(FALSE, &n);
    for (i = 0; i < n; i++)
        highest = native[i].dwCatalogEntryId > highest ? native[i].dwCatalogEntryId : highest;
    ck_assert_uint_eq(ct_dword(CT_ROOT_KEY, L"Next_Catalog_Entry_ID", 0), highest + 1);
    for (j = 0; j < 2; j++) {
        list = ct_enum(j, &n);
        ck_assert_int_eq(n, CT_BASE_ENTRIES);
        ck_assert(!memcmp(list, native, n * sizeof(*list)));
        for (i = 1; i < n; i++)
            ck_assert_int_eq(ct_index_of(list, i, list[i].dwCatalogEntryId), -1);
        free(list);
        key = ct_open(j ? CT_32_KEY : CT_NATIVE_KEY, KEY_READ);
        ck_assert_ptr_nonnull(key);
        ck_assert_int_eq(RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL,
                                          NULL, NULL, NULL), 0);
        RegCloseKey(key);
        ck_assert_uint_eq(subkeys, CT_BASE_ENTRIES);
    }
    free(native);
}
END_TEST

/* Every change moves Serial_Access_Num, so snapshots know they are stale. */
START_TEST(test_serial_changes)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"serial", LAYERED_PROTOCOL);
    GUID provider = test_provider;
    DWORD s0, s1, s2;
    int err;

    free(ct_enum(FALSE, &err));
    s0 = ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0);
    ct_assert_wsc_ok(WSCInstallProvider(&provider, L"x.dll", &info, 1, &err), err);
    s1 = ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0);
    ct_assert_wsc_ok(WSCDeinstallProvider(&provider, &err), err);
    s2 = ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0);
    ck_assert_uint_ne(s0, s1);
    ck_assert_uint_ne(s1, s2);
    ck_assert_uint_ne(s0, 0);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("catalog_store");
    TCase *tc = ct_tcase("seed");

    tcase_add_test(tc, test_seed_after_delete);
    tcase_add_test(tc, test_seed_both_catalogs);
    tcase_add_test(tc, test_concurrent_seeding);
    suite_add_tcase(s, tc);
    tc = ct_tcase("layout");
    tcase_add_test(tc, test_registry_layout);
    tcase_add_test(tc, test_write_read_identity);
    tcase_add_test(tc, test_order_follows_key_names);
    tcase_add_test(tc, test_serial_changes);
    suite_add_tcase(s, tc);
    tc = ct_tcase("robustness");
    tcase_add_test(tc, test_corrupt_entries_skipped);
    tcase_add_test(tc, test_surplus_keys_ignored);
    tcase_add_test(tc, test_key_deleted_while_running);
    suite_add_tcase(s, tc);
    return s;
}

Suite **ct_suites(void)
{
    static Suite *suites[2];

    suites[0] = store_suite();
    return suites;
}
