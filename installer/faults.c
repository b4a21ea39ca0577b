/* SPDX-License-Identifier: MIT */
/* Counting catalog writes and injecting faults, in the test build of
 * lspinst only (LSPINST_FAULTS; see wsc.h). */
#include "wsc.h"

#include <stdlib.h>

static DWORD writes;
static BOOL disarmed;

/* A count from the environment; -1 when unset or not a number. */
static long env_count(const char *name)
{
    const char *text = getenv(name);
    char *end;
    long n;

    if (!text || !*text)
        return -1;
    n = strtol(text, &end, 10);
    return *end || n < 0 ? -1 : n;
}

int wsc_write_begin(void)
{
    long kill_after = env_count("LSPINST_FAIL_AFTER_WRITES");
    long fail_at = env_count("LSPINST_FAIL_WRITE");

    if (!disarmed && kill_after >= 0 && (long)writes >= kill_after) {
        /* A crash or power cut between two writes: nothing else runs. */
        TerminateProcess(GetCurrentProcess(), LSPINST_KILLED);
    }
    writes++;
    if (!disarmed && fail_at > 0 && (long)writes == fail_at)
        return WSANO_RECOVERY;
    return 0;
}

void wsc_faults_arm(BOOL armed)
{
    disarmed = !armed;
    if (armed)
        writes = 0;
}
