/* SPDX-License-Identifier: MIT */
/* Bad input at provider load time (issue: the Wine world, "Bad input"):
 * a catalog entry whose DLL is missing, a DLL without WSPStartup, a failing
 * WSPStartup, a wrong version, a proc table with holes, garbage
 * PackedCatalogItems and the catalog key deleted while the process runs.
 * None of them may crash anything, and the other entries stay usable. The
 * program runs with tracing on (LSPKIT_TRACE, include/lspkit/trace.h), and
 * each broken entry must be explained by a line of the trace. */
#include <winsock2.h>
#include <ws2spi.h>
#include <check.h>
#include "run_suite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_KEY L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"

static WSAPROTOCOL_INFOW tcp_base;

static void start_winsock(void)
{
    WSADATA data;
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
}

/* Fills `out` with every visible catalog entry; returns the count. */
static int enum_protocols(WSAPROTOCOL_INFOW *out, DWORD size)
{
    int count = WSAEnumProtocolsW(NULL, out, &size);
    ck_assert_int_ge(count, 1);
    return count;
}

static void find_tcp_base(void)
{
    static WSAPROTOCOL_INFOW entries[64];
    int i, count = enum_protocols(entries, sizeof(entries));

    for (i = 0; i < count; i++) {
        if (entries[i].iAddressFamily == AF_INET && entries[i].iSocketType == SOCK_STREAM
            && entries[i].ProtocolChain.ChainLen == BASE_PROTOCOL) {
            tcp_base = entries[i];
            return;
        }
    }
    ck_abort_msg("no TCP/IPv4 base entry in the catalog");
}

static void setup(void)
{
    start_winsock();
    find_tcp_base();
}

static void teardown(void)
{
    WSACleanup();
}

static void path_beside_me(const WCHAR *name, WCHAR *path)
{
    WCHAR *slash;

    GetModuleFileNameW(NULL, path, MAX_PATH);
    slash = wcsrchr(path, L'\\');
    ck_assert_ptr_nonnull(slash);
    lstrcpyW(slash + 1, name);
}

/* Installs `dll` as a base provider shaped like TCP/IPv4 under a fresh GUID,
 * refreshes the catalog view, and returns the installed entry. */
static WSAPROTOCOL_INFOW install_entry(const WCHAR *dll, const GUID *id)
{
    static WSAPROTOCOL_INFOW entries[64];
    WSAPROTOCOL_INFOW info = tcp_base;
    WCHAR path[MAX_PATH];
    int error = 0, i, count;

    if (wcschr(dll, L'\\'))
        lstrcpyW(path, dll);
    else {
        /* The broken DLL must really be there, or the test would pass on
         * the missing-DLL path instead of the failure it names. */
        path_beside_me(dll, path);
        ck_assert_msg(GetFileAttributesW(path) != INVALID_FILE_ATTRIBUTES, "%ls is missing",
                      path);
    }
    info.ProviderId = *id;
    ck_assert_int_eq(WSCInstallProvider((GUID *)id, path, &info, 1, &error), 0);
    start_winsock();
    count = enum_protocols(entries, sizeof(entries));
    for (i = 0; i < count; i++)
        if (IsEqualGUID(&entries[i].ProviderId, id))
            return entries[i];
    ck_abort_msg("installed entry not enumerated");
    return info;
}

static int socket_error_for(WSAPROTOCOL_INFOW *info)
{
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, info, 0,
                          WSA_FLAG_OVERLAPPED);
    int error = WSAGetLastError();

    if (s != INVALID_SOCKET)
        closesocket(s);
    ck_assert_uint_eq(s, INVALID_SOCKET);
    return error;
}

/* The other entries still work: a loopback TCP connection carries a byte. */
static void assert_tcp_still_works(void)
{
    struct sockaddr_in addr = { 0 };
    int len = sizeof(addr);
    SOCKET server, client, accepted;
    char byte = 0;

    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_uint_ne(server, INVALID_SOCKET);
    ck_assert_int_eq(bind(server, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(listen(server, 1), 0);
    ck_assert_int_eq(getsockname(server, (struct sockaddr *)&addr, &len), 0);
    client = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(client, (struct sockaddr *)&addr, sizeof(addr)), 0);
    accepted = accept(server, NULL, NULL);
    ck_assert_uint_ne(accepted, INVALID_SOCKET);
    ck_assert_int_eq(send(client, "x", 1, 0), 1);
    ck_assert_int_eq(recv(accepted, &byte, 1, 0), 1);
    ck_assert_int_eq(byte, 'x');
    closesocket(accepted);
    closesocket(client);
    closesocket(server);
}

static char trace_path[MAX_PATH];

/* The trace so far, NUL-terminated (malloc'd). */
static char *read_trace(void)
{
    HANDLE file = CreateFileA(trace_path, GENERIC_READ,
                              FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                              OPEN_EXISTING, 0, NULL);
    DWORD size, got = 0;
    char *text;

    ck_assert_msg(file != INVALID_HANDLE_VALUE, "no trace file %s", trace_path);
    size = GetFileSize(file, NULL);
    text = malloc(size + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert(ReadFile(file, text, size, &got, NULL));
    text[got] = 0;
    CloseHandle(file);
    return text;
}

/* Some line of the trace names the entry and says `reason`. */
static void assert_traced(DWORD entry_id, const char *reason)
{
    char *text = read_trace(), *line, *end, entry[48];
    BOOL found = FALSE;

    snprintf(entry, sizeof(entry), "provider of entry %lu:", entry_id);
    for (line = text; line && *line && !found; line = end ? end + 1 : NULL) {
        end = strchr(line, '\n');
        if (end)
            *end = 0;
        found = strstr(line, entry) && strstr(line, reason);
    }
    free(text);
    ck_assert_msg(found, "no trace line says \"%s %s\"", entry, reason);
}

static void assert_load_fails(const WCHAR *dll, const GUID *id, int expected, const char *why)
{
    WSAPROTOCOL_INFOW installed = install_entry(dll, id);
    int error = socket_error_for(&installed);

    ck_assert_int_eq(error, expected);
    assert_traced(installed.dwCatalogEntryId, why);
    /* A second attempt fails the same way: a broken provider is not cached. */
    error = socket_error_for(&installed);
    ck_assert_int_eq(error, expected);
    assert_tcp_still_works();
}

static const GUID missing_id = { 0x6c5a0001, 0x1d2b, 0x4c3e, { 1, 2, 3, 4, 5, 6, 7, 1 } };
static const GUID no_startup_id = { 0x6c5a0002, 0x1d2b, 0x4c3e, { 1, 2, 3, 4, 5, 6, 7, 2 } };
static const GUID fails_id = { 0x6c5a0003, 0x1d2b, 0x4c3e, { 1, 2, 3, 4, 5, 6, 7, 3 } };
static const GUID version_id = { 0x6c5a0004, 0x1d2b, 0x4c3e, { 1, 2, 3, 4, 5, 6, 7, 4 } };
static const GUID holes_id = { 0x6c5a0005, 0x1d2b, 0x4c3e, { 1, 2, 3, 4, 5, 6, 7, 5 } };

START_TEST(test_missing_dll)
{
    assert_load_fails(L"C:\\windows\\system32\\lspkit_no_such_provider.dll", &missing_id,
                      WSAEPROVIDERFAILEDINIT,
                      "LoadLibrary(C:\\windows\\system32\\lspkit_no_such_provider.dll) failed: "
                      "Win32 error 126");
}
END_TEST

START_TEST(test_dll_without_wspstartup)
{
    assert_load_fails(L"broken_no_startup.dll", &no_startup_id, WSAEPROVIDERFAILEDINIT,
                      "broken_no_startup.dll exports no WSPStartup");
}
END_TEST

START_TEST(test_wspstartup_fails)
{
    assert_load_fails(L"broken_startup_fails.dll", &fails_id, WSAEPROVIDERFAILEDINIT,
                      "(WSPStartup failed)");
}
END_TEST

START_TEST(test_wrong_version)
{
    assert_load_fails(L"broken_version.dll", &version_id, WSAEINVALIDPROVIDER,
                      "(version not 2.2)");
}
END_TEST

START_TEST(test_proc_table_with_holes)
{
    assert_load_fails(L"broken_holes.dll", &holes_id, WSAEINVALIDPROCTABLE,
                      "(a hole in its proc table)");
}
END_TEST

static HKEY open_catalog_entries(void)
{
    HKEY key;
    LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, CATALOG_KEY L"\\Catalog_Entries64", 0,
                                   KEY_ALL_ACCESS | KEY_WOW64_64KEY, &key);
    ck_assert_int_eq(status, ERROR_SUCCESS);
    return key;
}

static void write_packed_item(HKEY entries, const WCHAR *name, const BYTE *data, DWORD size)
{
    HKEY entry;

    ck_assert_int_eq(RegCreateKeyExW(entries, name, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &entry,
                                     NULL), ERROR_SUCCESS);
    ck_assert_int_eq(RegSetValueExW(entry, L"PackedCatalogItem", 0, REG_BINARY, data, size),
                     ERROR_SUCCESS);
    RegCloseKey(entry);
}

static void bump_serial(void)
{
    HKEY key;
    DWORD serial = 0, size = sizeof(serial);

    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, CATALOG_KEY, 0,
                                   KEY_ALL_ACCESS | KEY_WOW64_64KEY, &key), ERROR_SUCCESS);
    RegQueryValueExW(key, L"Serial_Access_Num", NULL, NULL, (BYTE *)&serial, &size);
    serial++;
    RegSetValueExW(key, L"Serial_Access_Num", 0, REG_DWORD, (BYTE *)&serial, sizeof(serial));
    RegCloseKey(key);
}

START_TEST(test_garbage_packed_items_are_skipped)
{
    static WSAPROTOCOL_INFOW before[64], after[64];
    static BYTE full[MAX_PATH + sizeof(WSAPROTOCOL_INFOW)];
    const BYTE truncated[10] = { 'C', ':', '\\' };
    int count_before = enum_protocols(before, sizeof(before)), count_after;
    HKEY entries = open_catalog_entries();

    write_packed_item(entries, L"000000000900", truncated, sizeof(truncated));
    memset(full, 0xA5, sizeof(full));          /* path without a NUL, nonsense info */
    write_packed_item(entries, L"000000000901", full, sizeof(full));
    write_packed_item(entries, L"000000000902", full, sizeof(full) + 0 - 7);
    RegCloseKey(entries);
    bump_serial();

    start_winsock();
    count_after = enum_protocols(after, sizeof(after));
    ck_assert_int_eq(count_after, count_before);
    assert_tcp_still_works();
}
END_TEST

START_TEST(test_catalog_key_deleted_while_running)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = { 0 };
    static WSAPROTOCOL_INFOW entries[64];

    ck_assert_uint_ne(s, INVALID_SOCKET);
    ck_assert_int_eq(RegDeleteTreeW(HKEY_LOCAL_MACHINE, CATALOG_KEY), ERROR_SUCCESS);

    /* A socket made before the deletion keeps working. */
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(bind(s, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(closesocket(s), 0);

    /* The next start reseeds the catalog, and new sockets work. */
    start_winsock();
    ck_assert_int_ge(enum_protocols(entries, sizeof(entries)), 6);
    assert_tcp_still_works();
}
END_TEST

static Suite *provider_errors_suite(void)
{
    Suite *suite = suite_create("provider_errors");
    TCase *tc = tcase_create("load");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_missing_dll);
    tcase_add_test(tc, test_dll_without_wspstartup);
    tcase_add_test(tc, test_wspstartup_fails);
    tcase_add_test(tc, test_wrong_version);
    tcase_add_test(tc, test_proc_table_with_holes);
    tcase_add_test(tc, test_garbage_packed_items_are_skipped);
    tcase_add_test(tc, test_catalog_key_deleted_while_running);
    suite_add_tcase(suite, tc);
    return suite;
}

/* Tracing on for this process, into a fresh file, before any Winsock call
 * reads the settings. */
static void trace_to_file(void)
{
    char dir[MAX_PATH];

    GetTempPathA(sizeof(dir), dir);
    snprintf(trace_path, sizeof(trace_path), "%slspkit-provider-errors-%lu.log", dir,
             GetCurrentProcessId());
    DeleteFileA(trace_path);
    SetEnvironmentVariableA("LSPKIT_TRACE", "1");
    SetEnvironmentVariableA("LSPKIT_TRACE_FILE", trace_path);
}

int main(void)
{
    trace_to_file();
    return run_suite(provider_errors_suite());
}
