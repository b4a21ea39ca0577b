/* SPDX-License-Identifier: MIT */
/* DllMain of the front end: per-thread state is released when a thread
 * ends, so a WSATHREADID never outlives its thread. */
#include <windows.h>
#include "dthread.h"

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    switch (reason) {
    case DLL_THREAD_DETACH:
        dthread_detach();
        break;
    case DLL_PROCESS_DETACH:
        /* At process exit (reserved != NULL) other threads are gone and
         * their handles with them: nothing to release. */
        if (!reserved)
            dthread_detach();
        break;
    }
    return TRUE;
}
