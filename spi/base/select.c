/* SPDX-License-Identifier: MIT */
/* WSPSelect: our sockets are the system's handles, so the caller's sets go
 * to the system's select unchanged. */
#include "base.h"

int WSPAPI WSPSelect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                     const PTIMEVAL timeout, LPINT lpErrno)
{
    return base_int_result(sys.select(nfds, readfds, writefds, exceptfds, timeout), lpErrno);
}
