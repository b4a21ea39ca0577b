/* SPDX-License-Identifier: MIT */
/* The capture test suites (test/capture_*.c), run by capture_main.c. */
#ifndef LSPKIT_TEST_CAPTURE_TESTS_H
#define LSPKIT_TEST_CAPTURE_TESTS_H

#include <check.h>

Suite *capture_tcp_suite(void);
Suite *capture_udp_suite(void);
Suite *capture_queue_suite(void);
Suite *capture_config_suite(void);
Suite *capture_storage_suite(void);
Suite *capture_exit_suite(void);

/* capture.exe --exit-child: runs in a child process (capture_exit.c). */
int capture_exit_child(void);

/* capture.exe --sample DIR and --bench (capture_sample.c). */
int capture_sample(const char *dir);
int capture_bench(void);

#endif
