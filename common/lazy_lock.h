/* SPDX-License-Identifier: MIT */
/* A critical section that sets itself up on first use, for a DLL's static
 * locks: DllMain may not do it (it runs under the loader lock), and the
 * locks must be recursive (a provider may start itself through its own
 * chain on the same thread, under the same lock). A zeroed lazy_lock, as
 * any static one is, is ready to use. */
#ifndef LSPKIT_COMMON_LAZY_LOCK_H
#define LSPKIT_COMMON_LAZY_LOCK_H

#include <windows.h>

struct lazy_lock {
    INIT_ONCE once;
    CRITICAL_SECTION section;
};

void lazy_lock_enter(struct lazy_lock *lock);
void lazy_lock_leave(struct lazy_lock *lock);

#endif
