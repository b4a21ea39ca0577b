/* SPDX-License-Identifier: MIT */
/* Critical sections set up on first use (lazy_lock.h). */
#include "lazy_lock.h"

static BOOL CALLBACK initialise(INIT_ONCE *once, void *section, void **context)
{
    (void)once, (void)context;
    InitializeCriticalSection(section);
    return TRUE;
}

void lazy_lock_enter(struct lazy_lock *lock)
{
    InitOnceExecuteOnce(&lock->once, initialise, &lock->section, NULL);
    EnterCriticalSection(&lock->section);
}

void lazy_lock_leave(struct lazy_lock *lock)
{
    LeaveCriticalSection(&lock->section);
}
