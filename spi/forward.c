/* SPDX-License-Identifier: MIT */
/* The resolver behind the forwarding thunks of forward_thunks.S. */
#include <winsock2.h>
#include "sysws2.h"

/* Called by a thunk's first use: finds `name` in the system ws2_32 and
 * stores it in the thunk's slot. Returns NULL, with WSASYSNOTREADY as the
 * last error, when the system ws2_32 or the function is missing; the thunk
 * then returns 0 and tries again next time. */
void *forward_resolve(const char *name, void **slot);

void *forward_resolve(const char *name, void **slot)
{
    void *function = (void *)sysws2_proc(name);

    if (!function) {
        SetLastError(WSASYSNOTREADY);
        return NULL;
    }
    InterlockedExchangePointer(slot, function);
    return function;
}
