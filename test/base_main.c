/* SPDX-License-Identifier: MIT */
/* Runs the base provider suites without forking (there is no fork on
 * Windows), under a watchdog so that a hang ends the program with a
 * message instead of stalling the run. */
#include <stdio.h>
#include <stdlib.h>
#include "base_harness.h"

#define WATCHDOG_MS (5 * 60 * 1000)

static DWORD WINAPI watchdog(void *arg)
{
    (void)arg;
    Sleep(WATCHDOG_MS);
    fprintf(stderr, "base_provider: still running after %d s, giving up\n", WATCHDOG_MS / 1000);
    fflush(NULL);
    ExitProcess(3);
}

int main(void)
{
    SRunner *sr = srunner_create(base_startup_suite());
    HANDLE dog;
    int failed;

    srunner_add_suite(sr, base_socket_suite());
    srunner_add_suite(sr, base_tcp_suite());
    srunner_add_suite(sr, base_overlapped_suite());
    srunner_add_suite(sr, base_udp_suite());
    srunner_add_suite(sr, base_select_suite());
    srunner_add_suite(sr, base_ioctl_suite());
    srunner_add_suite(sr, base_misc_suite());
    srunner_set_fork_status(sr, CK_NOFORK);

    dog = CreateThread(NULL, 0, watchdog, NULL, 0, NULL);
    srunner_run_all(sr, CK_VERBOSE);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (dog)
        CloseHandle(dog);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
