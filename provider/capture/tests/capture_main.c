/* SPDX-License-Identifier: MIT */
/* capture.exe: the capture module's tests, compiled with provider/capture/
 * directly (no front end, no provider): arrangement `host`.
 *
 *   capture.exe               the Check suites
 *   capture.exe --sample DIR  writes a sample capture and the bytes it
 *                             should give back, for test/capture_tshark.sh
 *   capture.exe --bench       the cost of capture_record, on and off
 *   capture.exe --exit-child  the exit test's child (capture_exit.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include "capture_tests.h"

#define WATCHDOG_MS (5 * 60 * 1000)

static DWORD WINAPI watchdog(void *arg)
{
    (void)arg;
    Sleep(WATCHDOG_MS);
    fprintf(stderr, "capture: still running after %d s, giving up\n", WATCHDOG_MS / 1000);
    fflush(NULL);
    ExitProcess(3);
}

int main(int argc, char **argv)
{
    SRunner *sr;
    HANDLE dog;
    int failed;

    if (argc == 3 && !strcmp(argv[1], "--sample"))
        return capture_sample(argv[2]);
    if (argc == 2 && !strcmp(argv[1], "--bench"))
        return capture_bench();
    if (argc == 2 && !strcmp(argv[1], "--exit-child"))
        return capture_exit_child();

    sr = srunner_create(capture_tcp_suite());
    srunner_add_suite(sr, capture_udp_suite());
    srunner_add_suite(sr, capture_queue_suite());
    srunner_add_suite(sr, capture_config_suite());
    srunner_add_suite(sr, capture_storage_suite());
    srunner_add_suite(sr, capture_exit_suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    dog = CreateThread(NULL, 0, watchdog, NULL, 0, NULL);
    srunner_run_all(sr, CK_VERBOSE);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    if (dog)
        CloseHandle(dog);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
