/* SPDX-License-Identifier: MIT */
/* WSASendMsg, which Windows runs through the provider's own extension
 * function so that a layered provider sees the send. */
#include <mswsock.h>
#include "dispatch.h"
#include "dstate.h"
#include "extension.h"
#include "pending.h"

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent,
                      LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    static const GUID id = WSAID_WSASENDMSG;
    struct dsocket *ds = dispatch_begin(s);
    LPFN_WSASENDMSG function;
    struct pending *p;
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    function = extension_provider_function(ds, &id, &error);
    if (!function)
        return dispatch_end(ds, SOCKET_ERROR, error);
    p = pending_begin(ds, overlapped, routine);
    result = function(s, msg, flags, sent, overlapped, routine);
    error = result == SOCKET_ERROR ? WSAGetLastError() : 0;
    pending_issued(p, result, error);
    return dispatch_end(ds, result, error);
}
