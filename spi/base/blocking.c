/* SPDX-License-Identifier: MIT */
/* WSPCancelBlockingCall: Winsock 2 has no blocking hooks left to cancel;
 * the system's WSACancelBlockingCall gives the answer it gives everyone. */
#include "base.h"

int WSPAPI WSPCancelBlockingCall(LPINT lpErrno)
{
    return base_int_result(sys.WSACancelBlockingCall(), lpErrno);
}
