/* SPDX-License-Identifier: MIT */
/* Timestamps for records: 100 ns units since 1970-01-01 UTC.
 * GetSystemTimePreciseAsFileTime where there is one (Windows 8 on; cheap
 * there and under Wine), else the performance counter anchored to the
 * system time at clock_init, because GetSystemTimeAsFileTime ticks only
 * every ~15 ms on Windows 7. */
#ifndef LSPKIT_CAPTURE_CLOCK_H
#define LSPKIT_CAPTURE_CLOCK_H

#include <windows.h>

/* 100 ns units between 1601-01-01 (FILETIME) and 1970-01-01. */
#define CLOCK_UNIX_EPOCH 116444736000000000ULL

void clock_init(void);
ULONGLONG clock_now(void);

/* A FILETIME as 100 ns units since 1970 (0 for times before). */
ULONGLONG clock_from_filetime(const FILETIME *ft);

#endif
