/* SPDX-License-Identifier: MIT */
/* One lspinst command at a time (see lock.h). */
#include "lock.h"
#include "lspinst.h"
#include "lspkit/trace.h"

#include <stdlib.h>

#define DEFAULT_WAIT 60        /* seconds: an install takes a few */
#define MAX_WAIT     86400

/* LSPINST_WAIT in seconds; the default when unset or not a number. */
static DWORD wait_seconds(void)
{
    const char *text = getenv("LSPINST_WAIT");
    char *end;
    long n;

    if (!text || !*text)
        return DEFAULT_WAIT;
    n = strtol(text, &end, 10);
    return *end || n < 0 || n > MAX_WAIT ? DEFAULT_WAIT : (DWORD)n;
}

static BOOL taken(DWORD status)
{
    if (status == WAIT_ABANDONED)
        TRACE("the previous lspinst command ended without releasing %ls",
              INSTALLER_MUTEX);
    return status == WAIT_OBJECT_0 || status == WAIT_ABANDONED;
}

int command_lock(void)
{
    /* Never closed: the mutex is held until the process ends. */
    HANDLE mutex = CreateMutexW(NULL, FALSE, INSTALLER_MUTEX);
    DWORD seconds = wait_seconds();

    if (!mutex) {
        complain("cannot create the mutex %s: Win32 error %lu; nothing was changed",
                 u8(0, INSTALLER_MUTEX), GetLastError());
        return EXIT_FAILED;
    }
    if (taken(WaitForSingleObject(mutex, 0)))
        return 0;
    complain("another lspinst command is running; waiting up to %lu s for it to finish",
             seconds);
    if (taken(WaitForSingleObject(mutex, seconds * 1000)))
        return 0;
    complain("another lspinst command is still running after %lu s; nothing was done: "
             "try again when it has finished (LSPINST_WAIT sets how long to wait)", seconds);
    return EXIT_BUSY;
}
