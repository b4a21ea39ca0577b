/* SPDX-License-Identifier: MIT */
/* WSACancelBlockingCall: Winsock 1.1 blocking-call cancellation. Wine's
 * ws2_32 answers success without effect; the front end answers the same
 * and tells the blocking callback providers poll (WPUQueryBlockingCallback). */
#include "dstate.h"
#include "upcall.h"

int WSAAPI WSACancelBlockingCall(void)
{
    int error = dstate_check_started();

    if (error)
        return dstate_fail(error);
    upcall_cancel_blocking_call();
    return 0;
}
