/* SPDX-License-Identifier: MIT */
/* The configuration: off means off (no thread, no file), each value's
 * checks and defaults, one log line for bad values, the process and port
 * filters, and a directory that cannot be written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_tests.h"
#include "capture_util.h"
#include "../config.h"
#include "../log.h"
#include "../capture.h"

static void read_config(struct capture_config *c)
{
    HKEY key;

    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, CONFIG_KEY, 0,
                                   KEY_READ | KEY_WOW64_64KEY, &key), ERROR_SUCCESS);
    config_read(key, L"capture.exe", c);
    RegCloseKey(key);
}

/* Records a TCP and a UDP call, as any traffic would. */
static void some_traffic(void)
{
    struct sockaddr_storage local, peer;
    struct fake_socket tcp, udp;

    fake_socket(&tcp, 0x2000, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50700), &peer,
                sa4(&peer, 10, 0, 0, 2, 80));
    fake_socket(&udp, 0x2004, FALSE, &local, sa4(&local, 10, 0, 0, 1, 5000), &peer,
                sa4(&peer, 10, 0, 0, 2, 53));
    fake_data(&tcp, CAPTURE_SEND, "x", 1);
    fake_data(&udp, CAPTURE_SEND, "y", 1);
    /* Straight to capture_record too: it must hold without the guard. */
    struct capture_event e = { .socket = 0x2008, .af = AF_INET, .type = SOCK_DGRAM,
                               .direction = CAPTURE_SEND };
    capture_record(&e);
    capture_socket_closed(tcp.s);
}

/* Capture off: no thread, no file, capture_enabled() false. */
static void expect_off(const WCHAR *dir)
{
    int threads = cu_threads_settled();

    capture_init();
    ck_assert(!capture_enabled());
    ck_assert_int_eq(cu_threads(), threads);
    some_traffic();
    capture_shutdown();
    ck_assert_int_eq(cu_threads(), threads);
    ck_assert_uint_eq(cu_captures(dir, NULL), 0);
}

START_TEST(test_disabled_starts_nothing)
{
    WCHAR dir[MAX_PATH];
    int lines = cu_log_lines();

    cu_dir("off", dir);
    cu_config_enable(dir);
    cu_config_dword(L"Enabled", 0);
    expect_off(dir);
    /* No key at all: off as well. */
    cu_config_reset();
    expect_off(dir);
    ck_assert_int_eq(cu_log_lines(), lines);
}
END_TEST

START_TEST(test_enabled_starts_one_thread)
{
    WCHAR dir[MAX_PATH];
    int threads = cu_threads_settled();

    cu_dir("on", dir);
    cu_config_enable(dir);
    capture_init();
    ck_assert(capture_enabled());
    ck_assert_int_eq(cu_threads(), threads + 1);
    /* A second init while running changes nothing. */
    capture_init();
    ck_assert_int_eq(cu_threads(), threads + 1);
    some_traffic();
    capture_shutdown();
    ck_assert_uint_eq(cu_captures(dir, NULL), 1);
    /* The writer's end is not waited for (loader lock): it goes soon after. */
    ck_assert_int_eq(cu_threads_settled(), threads);
}
END_TEST

START_TEST(test_enabled_garbage_is_off)
{
    WCHAR dir[MAX_PATH];
    int lines = cu_log_lines();

    cu_dir("enabled-garbage", dir);
    cu_config_enable(dir);
    cu_config_string(L"Enabled", REG_SZ, L"yes");
    expect_off(dir);
    ck_assert_int_eq(cu_log_lines(), lines + 1);
    cu_config_dword(L"Enabled", 2);
    expect_off(dir);
    ck_assert_int_eq(cu_log_lines(), lines + 2);
}
END_TEST

/* Bad values: each replaced by its default, all named in one log line. */
START_TEST(test_garbage_values_default)
{
    struct capture_config c, d;
    WCHAR dir[MAX_PATH];
    int lines = cu_log_lines();

    cu_dir("garbage", dir);
    cu_config_enable(dir);
    cu_config_string(L"SnapLength", REG_SZ, L"lots");
    cu_config_dword(L"QueueBytes", 5);
    cu_config_dword(L"QueueRecords", 0xFFFFFFFF);
    cu_config_string(L"Ports", REG_SZ, L"http, 80-x, 0, 70000, 9-1");
    cu_config_dword(L"IncludeProcesses", 7);
    read_config(&c);
    ck_assert_int_eq(cu_log_lines(), lines + 1);

    config_defaults(&d);
    ck_assert(c.enabled);
    ck_assert(!wcscmp(c.directory, dir));
    ck_assert_uint_eq(c.snap_length, d.snap_length);
    ck_assert_uint_eq(c.queue_bytes, d.queue_bytes);
    ck_assert_uint_eq(c.queue_records, d.queue_records);
    ck_assert(c.all_ports);

    /* Through capture_init: the same single line, and capture runs. */
    capture_init();
    ck_assert(capture_enabled());
    capture_shutdown();
    ck_assert_int_eq(cu_log_lines(), lines + 2);
}
END_TEST

/* The default folder is under the machine's ProgramData, whatever the
 * process's environment says: a user controls the environment of the
 * elevated processes the user starts. */
START_TEST(test_defaults)
{
    struct capture_config c;
    WCHAR expect[MAX_PATH], windows[MAX_PATH];

    cu_config_reset();
    cu_config_dword(L"Enabled", 1);
    ck_assert(SetEnvironmentVariableW(L"ProgramData", L"C:\\users\\Public\\planted"));
    read_config(&c);
    ck_assert(SetEnvironmentVariableW(L"ProgramData", L"C:\\ProgramData"));
    ck_assert(c.enabled);
    ck_assert(GetSystemWindowsDirectoryW(windows, MAX_PATH));
    _snwprintf(expect, MAX_PATH, L"%.2ls\\ProgramData\\lspkit\\captures", windows);
    ck_assert_msg(!wcscmp(c.directory, expect), "directory %ls", c.directory);
    ck_assert_uint_eq(c.snap_length, 262144);
    ck_assert_uint_eq(c.queue_bytes, 16777216);
    ck_assert_uint_eq(c.queue_records, 65536);
    ck_assert(c.all_ports);
}
END_TEST

START_TEST(test_directory_forms)
{
    struct capture_config c;
    WCHAR expect[MAX_PATH], windows[MAX_PATH];
    int lines = cu_log_lines();

    cu_config_reset();
    cu_config_dword(L"Enabled", 1);
    cu_config_string(L"Directory", REG_EXPAND_SZ, L"%SystemRoot%\\caps\\");
    read_config(&c);
    ck_assert(GetSystemWindowsDirectoryW(windows, MAX_PATH));
    _snwprintf(expect, MAX_PATH, L"%ls\\caps", windows);
    ck_assert_msg(!wcscmp(c.directory, expect), "directory %ls", c.directory);
    ck_assert_int_eq(cu_log_lines(), lines);

    /* A variable from the process's environment is refused: the default,
     * and a line. */
    cu_config_string(L"Directory", REG_EXPAND_SZ, L"%TEMP%\\caps");
    read_config(&c);
    ck_assert_msg(wcsstr(c.directory, L"\\ProgramData\\lspkit\\captures"), "directory %ls",
                  c.directory);
    ck_assert_int_eq(cu_log_lines(), ++lines);

    /* Relative, empty, or of the wrong type: the default, and a line each time. */
    const WCHAR *bad[] = { L"captures", L"", L"\\captures" };
    for (int i = 0; i < 3; i++) {
        cu_config_string(L"Directory", REG_SZ, bad[i]);
        read_config(&c);
        ck_assert_msg(wcsstr(c.directory, L"\\lspkit\\captures"), "directory %ls", c.directory);
        ck_assert_int_eq(cu_log_lines(), lines + 1 + i);
    }
    cu_config_dword(L"Directory", 1);
    read_config(&c);
    ck_assert_int_eq(cu_log_lines(), lines + 4);
}
END_TEST

START_TEST(test_ports_parse)
{
    struct capture_config c;
    int lines = cu_log_lines();
    static const WCHAR multi[] = L"53\0 5000-5002 \0" L"443\0";

    cu_config_reset();
    cu_config_dword(L"Enabled", 1);
    cu_config_string(L"Ports", REG_SZ, L"80, 443;8000-8002 9000");
    read_config(&c);
    ck_assert(!c.all_ports);
    for (DWORD port = 0; port < 65536; port++) {
        BOOL want = port == 80 || port == 443 || (port >= 8000 && port <= 8002) || port == 9000;
        ck_assert_msg(config_port_wanted(&c, (USHORT)port) == want, "port %lu", port);
    }
    cu_config_multi(L"Ports", multi, sizeof(multi) / sizeof(WCHAR));
    read_config(&c);
    ck_assert(config_port_wanted(&c, 53) && config_port_wanted(&c, 5001) &&
              config_port_wanted(&c, 443) && !config_port_wanted(&c, 80));
    ck_assert_int_eq(cu_log_lines(), lines);

    /* One bad entry among good ones: skipped, logged, the rest kept. */
    cu_config_string(L"Ports", REG_SZ, L"80,eighty");
    read_config(&c);
    ck_assert(!c.all_ports && config_port_wanted(&c, 80) && !config_port_wanted(&c, 81));
    ck_assert_int_eq(cu_log_lines(), lines + 1);
}
END_TEST

/* Only the ports asked for reach the file. */
START_TEST(test_ports_filter)
{
    struct sockaddr_storage local, peer;
    struct fake_socket web, dns, other;
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("ports", dir);
    cu_config_enable(dir);
    cu_config_string(L"Ports", REG_SZ, L"53 443");
    capture_init();
    fake_socket(&web, 0x2100, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50800), &peer,
                sa4(&peer, 10, 0, 0, 2, 443));
    fake_socket(&dns, 0x2104, FALSE, &local, sa4(&local, 10, 0, 0, 1, 53), &peer,
                sa4(&peer, 10, 0, 0, 2, 60000));
    fake_socket(&other, 0x2108, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50801), &peer,
                sa4(&peer, 10, 0, 0, 2, 80));
    fake_data(&web, CAPTURE_SEND, "tls", 3);
    fake_data(&dns, CAPTURE_RECEIVE, "query", 5);
    fake_data(&other, CAPTURE_SEND, "http", 4);
    capture_socket_closed(other.s);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 5);   /* web: handshake + data; dns: one datagram */
    for (size_t i = 0; i < f.count; i++)
        ck_assert(f.packets[i].sport != 80 && f.packets[i].dport != 80);
    cap_free(&f);
}
END_TEST

/* IncludeProcesses and ExcludeProcesses, by image name in any case. */
START_TEST(test_process_lists)
{
    static const WCHAR us[] = L"other.exe\0CAPTURE.EXE\0";
    static const WCHAR others[] = L"other.exe\0curl.exe\0";
    WCHAR dir[MAX_PATH];
    int threads;

    cu_dir("process-lists", dir);
    cu_config_enable(dir);
    cu_config_multi(L"ExcludeProcesses", us, sizeof(us) / sizeof(WCHAR));
    expect_off(dir);

    cu_config_enable(dir);
    cu_config_multi(L"IncludeProcesses", others, sizeof(others) / sizeof(WCHAR));
    expect_off(dir);

    cu_config_enable(dir);
    cu_config_string(L"IncludeProcesses", REG_SZ, L"curl.exe; Capture.exe");
    threads = cu_threads_settled();
    capture_init();
    ck_assert(capture_enabled());
    ck_assert_int_eq(cu_threads(), threads + 1);
    capture_shutdown();

    /* Exclusion wins. */
    cu_config_multi(L"ExcludeProcesses", us, sizeof(us) / sizeof(WCHAR));
    expect_off(dir);
}
END_TEST

/* A list with a path in it cannot mean what it says: capture is off (not
 * on for every process, as an Include list left empty would make it), and
 * the log says so. */
START_TEST(test_bad_process_list_fails_closed)
{
    WCHAR dir[MAX_PATH];
    int lines = cu_log_lines();

    cu_dir("bad-lists", dir);
    cu_config_enable(dir);
    cu_config_string(L"IncludeProcesses", REG_SZ, L"C:\\tools\\capture.exe");
    expect_off(dir);
    ck_assert_int_eq(cu_log_lines(), lines + 1);
    cu_config_enable(dir);
    cu_config_string(L"ExcludeProcesses", REG_SZ, L"other.exe, D:\\x.exe");
    expect_off(dir);
    ck_assert_int_eq(cu_log_lines(), lines + 2);
}
END_TEST

/* A directory that cannot be made: one log line, capture turns itself
 * off, the calls go on untouched. */
START_TEST(test_unwritable_directory)
{
    WCHAR dir[MAX_PATH], blocker[MAX_PATH], bad[MAX_PATH];
    HANDLE h;
    int lines = cu_log_lines();

    cu_dir("unwritable", dir);
    _snwprintf(blocker, MAX_PATH, L"%ls\\a-file", dir);
    h = CreateFileW(blocker, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    /* A directory under a regular file. */
    _snwprintf(bad, MAX_PATH, L"%ls\\sub", blocker);
    cu_config_enable(bad);
    capture_init();
    ck_assert(capture_enabled());
    some_traffic();
    for (int i = 0; i < 500 && capture_enabled(); i++)
        Sleep(10);
    ck_assert(!capture_enabled());
    some_traffic();
    capture_shutdown();
    ck_assert_int_eq(cu_log_lines(), lines + 1);
    ck_assert_uint_eq(cu_captures(dir, NULL), 0);
}
END_TEST

/* Sends `mib` MiB on one fake TCP socket, in 64 KiB calls. */
static void traffic_mib(int mib)
{
    static BYTE chunk[64 * 1024];
    struct sockaddr_storage local, peer;
    struct fake_socket tcp;

    fake_socket(&tcp, 0x3000, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50800), &peer,
                sa4(&peer, 10, 0, 0, 2, 80));
    for (int i = 0; i < mib * 16; i++)
        fake_data(&tcp, CAPTURE_SEND, chunk, sizeof(chunk));
    capture_socket_closed(tcp.s);
}

/* Whether the file begins with a pcapng section header block. */
static BOOL starts_a_section(const WCHAR *dir, const WCHAR *name)
{
    WCHAR path[MAX_PATH];
    DWORD magic = 0, got = 0;
    HANDLE h;

    _snwprintf(path, MAX_PATH, L"%ls\\%ls", dir, name);
    h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return FALSE;
    ReadFile(h, &magic, sizeof(magic), &got, NULL);
    CloseHandle(h);
    return got == sizeof(magic) && magic == 0x0a0d0d0a;
}

/* The capture files of `dir`: count and total size; each that capture
 * wrote (not named old-*) must be a pcapng of its own. */
static int capture_files(const WCHAR *dir, ULONGLONG *total)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW found;
    HANDLE find;
    int n = 0;

    *total = 0;
    _snwprintf(pattern, MAX_PATH, L"%ls\\*.pcapng", dir);
    find = FindFirstFileW(pattern, &found);
    if (find == INVALID_HANDLE_VALUE)
        return 0;
    do {
        n++;
        *total += found.nFileSizeLow;
        ck_assert_msg(!wcsncmp(found.cFileName, L"old-", 4) || !found.nFileSizeLow ||
                          starts_a_section(dir, found.cFileName),
                      "%ls is not a pcapng file", found.cFileName);
    } while (FindNextFileW(find, &found));
    FindClose(find);
    return n;
}

static BOOL any_file(const WCHAR *dir, const WCHAR *pattern)
{
    WCHAR path[MAX_PATH];
    WIN32_FIND_DATAW found;
    HANDLE find;

    _snwprintf(path, MAX_PATH, L"%ls\\%ls", dir, pattern);
    find = FindFirstFileW(path, &found);
    if (find == INVALID_HANDLE_VALUE)
        return FALSE;
    FindClose(find);
    return TRUE;
}

/* MaxFileMiB: a process's capture goes on in -0001, -0002... files, each a
 * pcapng of its own (a section header first); MaxTotalMiB: the oldest
 * files of the folder go, never the one being written. */
START_TEST(test_files_rotate_and_total_is_bounded)
{
    WCHAR dir[MAX_PATH], old[MAX_PATH];
    ULONGLONG total;
    HANDLE h;
    DWORD written;
    static BYTE filler[512 * 1024];

    cu_dir("bounded", dir);
    /* Two old captures of another process, 512 KiB each. */
    for (int i = 0; i < 2; i++) {
        _snwprintf(old, MAX_PATH, L"%ls\\old-%d.pcapng", dir, i);
        h = CreateFileW(old, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        ck_assert(h != INVALID_HANDLE_VALUE);
        ck_assert(WriteFile(h, filler, sizeof(filler), &written, NULL));
        CloseHandle(h);
    }
    cu_config_enable(dir);
    cu_config_dword(L"MaxFileMiB", 1);
    cu_config_dword(L"MaxTotalMiB", 3);
    capture_init();
    traffic_mib(4);
    capture_shutdown();
    /* Which of the process's own earlier files are pruned too depends on
     * when each was begun: what must hold is that it rotated, that the
     * oldest went first, and the bound. */
    int files = capture_files(dir, &total);
    ck_assert_msg(any_file(dir, L"*-000?.pcapng"), "no rotation (%d files, %llu bytes)", files,
                  total);
    _snwprintf(old, MAX_PATH, L"%ls\\old-0.pcapng", dir);
    ck_assert_msg(GetFileAttributesW(old) == INVALID_FILE_ATTRIBUTES,
                  "the oldest file stayed (%d files, %llu bytes)", files, total);
    /* At most the bound, plus the file being written when it was pruned. */
    ck_assert_msg(total <= 5 * MIB, "%llu bytes kept", total);
}
END_TEST

/* Below MinFreeMiB capture stops, with one line that says why. */
START_TEST(test_free_space_floor)
{
    WCHAR dir[MAX_PATH];
    ULONGLONG total;
    int lines = cu_log_lines();

    cu_dir("floor", dir);
    cu_config_enable(dir);
    cu_config_dword(L"MinFreeMiB", 16777216);
    capture_init();
    some_traffic();
    for (int i = 0; i < 500 && capture_enabled(); i++)
        Sleep(10);
    ck_assert(!capture_enabled());
    capture_shutdown();
    ck_assert_int_eq(cu_log_lines(), lines + 1);
    capture_files(dir, &total);
    ck_assert_uint_eq(total, 0);
}
END_TEST

/* The log past 1 MiB becomes lspkit.1.log, and a new one begins. */
START_TEST(test_log_rotates)
{
    WCHAR path[MAX_PATH], old[MAX_PATH];
    static char filler[1024 * 1024];
    WIN32_FILE_ATTRIBUTE_DATA attrs;
    DWORD written;
    HANDLE h;

    log_line("capture: a line, so that the log exists");
    _snwprintf(path, MAX_PATH, L"C:\\ProgramData\\lspkit\\lspkit.log");
    _snwprintf(old, MAX_PATH, L"C:\\ProgramData\\lspkit\\lspkit.1.log");
    DeleteFileW(old);
    h = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                    OPEN_EXISTING, 0, NULL);
    ck_assert(h != INVALID_HANDLE_VALUE);
    memset(filler, '#', sizeof(filler));
    ck_assert(WriteFile(h, filler, sizeof(filler), &written, NULL));
    CloseHandle(h);
    log_line("capture: the line after the rotation");
    ck_assert(GetFileAttributesExW(old, GetFileExInfoStandard, &attrs));
    ck_assert_uint_ge(attrs.nFileSizeLow, sizeof(filler));
    ck_assert(GetFileAttributesExW(path, GetFileExInfoStandard, &attrs));
    ck_assert_uint_lt(attrs.nFileSizeLow, 1024);
}
END_TEST

/* Readers: a group the files can name, or nobody (and a line). */
START_TEST(test_readers)
{
    struct capture_config c;
    int lines = cu_log_lines();

    cu_config_reset();
    cu_config_dword(L"Enabled", 1);
    read_config(&c);
    ck_assert(!c.readers[0]);
    cu_config_string(L"Readers", REG_SZ, L"S-1-5-32-545");
    read_config(&c);
    ck_assert(!wcscmp(c.readers, L"S-1-5-32-545"));
    ck_assert_int_eq(cu_log_lines(), lines);
    cu_config_string(L"Readers", REG_SZ, L"no such group anywhere");
    read_config(&c);
    ck_assert(!c.readers[0]);
    ck_assert_int_eq(cu_log_lines(), lines + 1);
}
END_TEST

Suite *capture_config_suite(void)
{
    Suite *s = suite_create("capture_config");
    TCase *tc = tcase_create("config");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_disabled_starts_nothing);
    tcase_add_test(tc, test_enabled_starts_one_thread);
    tcase_add_test(tc, test_enabled_garbage_is_off);
    tcase_add_test(tc, test_garbage_values_default);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_directory_forms);
    tcase_add_test(tc, test_readers);
    tcase_add_test(tc, test_ports_parse);
    tcase_add_test(tc, test_ports_filter);
    tcase_add_test(tc, test_process_lists);
    tcase_add_test(tc, test_bad_process_list_fails_closed);
    tcase_add_test(tc, test_unwritable_directory);
    tcase_add_test(tc, test_files_rotate_and_total_is_bounded);
    tcase_add_test(tc, test_free_space_floor);
    tcase_add_test(tc, test_log_rotates);
    suite_add_tcase(s, tc);
    return s;
}
