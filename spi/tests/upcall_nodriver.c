/* SPDX-License-Identifier: MIT */
/* Without lspkit_ifs.sys in system32 the driver cannot start: socket
 * creation through a non-IFS provider fails with WSAENOBUFS (what
 * WPUCreateSocketHandle documents), promptly and without harm, and works
 * once the image is back, since a failed start is retried. Runs in its
 * own process: the driver must not have been started before. */
#include "upcall_test.h"
#include <stdio.h>

const WSPUPCALLTABLE *upcalls;

static BOOL driver_running(void)
{
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), service;
    SERVICE_STATUS status = { 0 };

    service = manager ? OpenServiceW(manager, L"lspkit_ifs", SERVICE_QUERY_STATUS) : NULL;
    if (service) {
        QueryServiceStatus(service, &status);
        CloseServiceHandle(service);
    }
    if (manager)
        CloseServiceHandle(manager);
    return status.dwCurrentState == SERVICE_RUNNING;
}

START_TEST(test_missing_driver_then_recovery)
{
    WCHAR image[MAX_PATH], aside[MAX_PATH];
    WSAOVERLAPPED overlapped = { 0 };
    LPOVERLAPPED dequeued = NULL;
    ULONG_PTR key = 0;
    DWORD count = 0, started, elapsed;
    HANDLE port;
    SOCKET s;
    int error = 0;

    ck_assert_msg(!driver_running(), "lspkit_ifs already runs: needs a fresh prefix");
    GetSystemDirectoryW(image, MAX_PATH);
    lstrcatW(image, L"\\lspkit_ifs.sys");
    lstrcpyW(aside, image);
    lstrcatW(aside, L".aside");
    ck_assert_msg(MoveFileExW(image, aside, 0), "cannot move %ls aside: error %lu", image,
                  GetLastError());

    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &probe_entry, 0,
                   WSA_FLAG_OVERLAPPED);
    error = WSAGetLastError();
    ck_assert_uint_eq(s, INVALID_SOCKET);
    ck_assert_int_eq(error, WSAENOBUFS);

    /* The probe was loaded all the same; ask it directly. */
    upcalls = probe_table();
    ck_assert_ptr_nonnull(upcalls);
    started = GetTickCount();
    s = upcalls->lpWPUCreateSocketHandle(probe_entry.dwCatalogEntryId, 0, &error);
    elapsed = GetTickCount() - started;
    ck_assert_uint_eq(s, INVALID_SOCKET);
    ck_assert_int_eq(error, WSAENOBUFS);
    ck_assert_msg(elapsed < 20000, "failing took %lu ms", elapsed);

    ck_assert(MoveFileExW(aside, image, 0));
    s = upcalls->lpWPUCreateSocketHandle(probe_entry.dwCatalogEntryId, 0, &error);
    ck_assert_msg(s != INVALID_SOCKET, "WPUCreateSocketHandle: error %d", error);
    ck_assert(driver_running());
    port = CreateIoCompletionPort((HANDLE)s, NULL, 77, 0);
    ck_assert_ptr_nonnull(port);
    ck_assert_int_eq(WPUCompleteOverlappedRequest(s, &overlapped, 0, 5, &error), 0);
    ck_assert(GetQueuedCompletionStatus(port, &count, &key, &dequeued, UPCALL_WAIT_MS));
    ck_assert_ptr_eq(dequeued, &overlapped);
    ck_assert_uint_eq(key, 77);
    ck_assert_uint_eq(count, 5);
    CloseHandle(port);
    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(s, &error), 0);
}
END_TEST

int main(void)
{
    const char *problem = probe_install();
    Suite *suite;
    SRunner *runner;
    TCase *tc;
    int failed;

    if (problem) {
        printf("upcall_nodriver: setup failed: %s (error %d)\n", problem, WSAGetLastError());
        return 1;
    }
    suite = suite_create("upcall_nodriver");
    tc = tcase_create("missing driver");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_missing_driver_then_recovery);
    suite_add_tcase(suite, tc);
    runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    probe_uninstall();
    return failed ? 1 : 0;
}
