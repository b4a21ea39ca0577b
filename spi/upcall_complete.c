/* SPDX-License-Identifier: MIT */
/* WPUCompleteOverlappedRequest: a non-IFS provider reports that an
 * overlapped operation on one of its WPUCreateSocketHandle handles is done.
 * Also exported by ws2_32.dll under its own name.
 *
 * The completion goes through lspkit_ifs.sys (upcall_ifs_complete), so it
 * reaches the application the way any I/O completion does: the overlapped
 * filled in, its event signalled, a packet on the handle's completion port. */
#define WIN32_NO_STATUS
#include <winsock2.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include "upcall_parts.h"
#include "dsocket.h"
#include "pending.h"
#include "wsastatus.h"

int WSPAPI WPUCompleteOverlappedRequest(SOCKET s, LPWSAOVERLAPPED overlapped, DWORD error,
                                        DWORD transferred, LPINT err)
{
    struct dsocket *ds;
    int result;

    if (!overlapped) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    /* WSA_IO_PENDING is no outcome: the request would never complete. */
    if (error == WSA_IO_PENDING) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    ds = dsocket_get(s);
    if (!ds || ds->ifs) {
        /* Only handles of lspkit_ifs.sys understand the completion IOCTL;
         * an IFS provider completes its requests itself. */
        if (ds)
            dsocket_release(ds);
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    /* An operation the front end pended completes its request; any other
     * completes in a request of its own. */
    if (!pending_complete(s, overlapped, status_of_wsa_error(error), transferred, &result))
        result = upcall_ifs_complete((HANDLE)s, overlapped, status_of_wsa_error(error),
                                     transferred);
    dsocket_release(ds);
    if (result) {
        *err = result;
        return SOCKET_ERROR;
    }
    return 0;
}
