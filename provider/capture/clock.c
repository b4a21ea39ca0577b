/* SPDX-License-Identifier: MIT */
/* The capture clock (clock.h). */
#include "clock.h"

typedef void(WINAPI *precise_fn)(FILETIME *);

static precise_fn precise;
static ULONGLONG base_time;       /* clock_now() at base_count */
static LONGLONG base_count;
static LONGLONG frequency;

ULONGLONG clock_from_filetime(const FILETIME *ft)
{
    ULONGLONG t = ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;

    return t > CLOCK_UNIX_EPOCH ? t - CLOCK_UNIX_EPOCH : 0;
}

void clock_init(void)
{
    LARGE_INTEGER count, freq;
    FILETIME now;

    precise = (precise_fn)(void *)GetProcAddress(GetModuleHandleW(L"kernel32.dll"),
                                                 "GetSystemTimePreciseAsFileTime");
    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&count);
    GetSystemTimeAsFileTime(&now);
    frequency = freq.QuadPart;
    base_count = count.QuadPart;
    base_time = clock_from_filetime(&now);
}

ULONGLONG clock_now(void)
{
    LARGE_INTEGER count;
    ULONGLONG elapsed;
    FILETIME now;

    if (precise) {
        precise(&now);
        return clock_from_filetime(&now);
    }
    QueryPerformanceCounter(&count);
    elapsed = (ULONGLONG)(count.QuadPart - base_count);
    /* Split so that elapsed * 10^7 cannot overflow however long we run. */
    return base_time + elapsed / (ULONGLONG)frequency * 10000000ULL +
           elapsed % (ULONGLONG)frequency * 10000000ULL / (ULONGLONG)frequency;
}
