/* SPDX-License-Identifier: MIT */
/* The upcall tests' program: sets the probe provider up once, then runs
 * every upcall test case (spi/tests/upcall_*.c) in one Check suite. */
#include "upcall_test.h"
#include <stdio.h>

const WSPUPCALLTABLE *upcalls;

SOCKET probe_socket(void)
{
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                          &probe_entry, 0, WSA_FLAG_OVERLAPPED);
    int error = WSAGetLastError();

    ck_assert_msg(s != INVALID_SOCKET, "probe socket: error %d", error);
    return s;
}

HANDLE bind_new_port(SOCKET s, ULONG_PTR key)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, key, 0);

    ck_assert_msg(port != NULL, "CreateIoCompletionPort: error %lu", GetLastError());
    return port;
}

/* A first socket makes the front end load the probe. */
static const char *set_up(void)
{
    const char *problem = probe_install();
    SOCKET s;

    if (problem)
        return problem;
    s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &probe_entry, 0,
                   WSA_FLAG_OVERLAPPED);
    if (s == INVALID_SOCKET)
        return "no socket through the probe";
    closesocket(s);
    upcalls = probe_table();
    return upcalls ? NULL : "the front end did not load the probe";
}

int main(void)
{
    const char *problem = set_up();
    Suite *suite;
    SRunner *runner;
    int failed;

    if (problem) {
        printf("upcall: setup failed: %s (error %d)\n", problem, WSAGetLastError());
        return 1;
    }
    suite = suite_create("upcall");
    suite_add_tcase(suite, upcall_handle_tcase());
    suite_add_tcase(suite, upcall_complete_tcase());
    suite_add_tcase(suite, upcall_thread_tcase());
    suite_add_tcase(suite, upcall_misc_tcase());
    runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    probe_uninstall();
    return failed ? 1 : 0;
}
