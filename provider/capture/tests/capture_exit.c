/* SPDX-License-Identifier: MIT */
/* Process exit: a process that exits with records still queued (no
 * WSACleanup, no capture_shutdown of its own) still gets them all in its
 * file, through DLL_PROCESS_DETACH, after the exit has killed the writer. */
#include <stdio.h>
#include <string.h>
#include "capture_tests.h"
#include "capture_util.h"

#define EXIT_RECORDS 20000

int capture_exit_child(void)
{
    HMODULE dll = LoadLibraryW(L"capture_exit.dll");
    void (*run)(int);

    if (!dll) {
        fprintf(stderr, "capture_exit.dll: error %lu\n", GetLastError());
        return 2;
    }
    run = (void (*)(int))(void *)GetProcAddress(dll, "capture_exit_run");
    if (!run)
        return 3;
    run(EXIT_RECORDS);
    ExitProcess(0);
}

START_TEST(test_exit_writes_what_is_queued)
{
    WCHAR dir[MAX_PATH], exe[MAX_PATH], command[MAX_PATH + 32];
    STARTUPINFOW si = { .cb = sizeof(si) };
    PROCESS_INFORMATION pi;
    struct cap_file f;
    DWORD code;
    int i;

    cu_dir("exit", dir);
    cu_config_enable(dir);
    ck_assert(GetModuleFileNameW(NULL, exe, MAX_PATH));
    _snwprintf(command, MAX_PATH + 32, L"\"%ls\" --exit-child", exe);
    ck_assert(CreateProcessW(exe, command, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    ck_assert_int_eq(WaitForSingleObject(pi.hProcess, 60000), WAIT_OBJECT_0);
    ck_assert(GetExitCodeProcess(pi.hProcess, &code));
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    ck_assert_uint_eq(code, 0);

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, EXIT_RECORDS);
    ck_assert_int_ge(f.stats, 1);
    ck_assert_uint_eq(f.ifdrop, 0);
    ck_assert_uint_eq(f.ifrecv, EXIT_RECORDS);
    for (size_t k = 0; k < f.count; k++) {
        memcpy(&i, f.packets[k].payload, sizeof(i));
        ck_assert_int_eq(i, (int)k);
    }
    cap_free(&f);
}
END_TEST

Suite *capture_exit_suite(void)
{
    Suite *s = suite_create("capture_exit");
    TCase *tc = tcase_create("exit");

    tcase_set_timeout(tc, 90);
    tcase_add_test(tc, test_exit_writes_what_is_queued);
    suite_add_tcase(s, tc);
    return s;
}
