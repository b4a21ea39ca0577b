/* SPDX-License-Identifier: MIT */
/* run_suite.h: the end of a Check test program's main. */
#ifndef LSPKIT_TEST_SUPPORT_RUN_SUITE_H
#define LSPKIT_TEST_SUPPORT_RUN_SUITE_H

#include <check.h>

/* Runs every test of `suite` (and frees it), prints Check's summary, and
 * returns the program's exit code: 0 when all passed, else 1. */
int run_suite(Suite *suite);

#endif
