/* SPDX-License-Identifier: MIT */
/* WSASendMsg, routed as Windows (Vista and later) routes it: the socket's
 * provider names, through SIO_BSP_HANDLE, the socket whose provider is to
 * send (its own, when it wants to see the message, or the one beneath),
 * and that provider sends through SIO_EXT_SENDMSG. A provider that cannot
 * answer SIO_BSP_HANDLE is asked for its WSASendMsg extension function
 * instead, as before Vista. */
#include <mswsock.h>
#include "dispatch.h"
#include "dstate.h"
#include "dthread.h"
#include "extension.h"
#include "pending.h"

/* The socket that is to send for `ds`, looked up; NULL when its provider
 * names none we know. */
static struct dsocket *sending_socket(struct dsocket *ds)
{
    SOCKET handle = INVALID_SOCKET;
    DWORD returned;
    int error;

    if (PROCS(ds)->lpWSPIoctl(ds->handle, SIO_BSP_HANDLE, NULL, 0, &handle, sizeof(handle),
                              &returned, NULL, NULL, dthread_current_id(), &error) ||
        handle == INVALID_SOCKET)
        return NULL;
    return dispatch_lookup(handle, &error);
}

/* SIO_EXT_SENDMSG on `target`. Its error comes back in the output buffer,
 * as Windows' own providers give it. */
static int send_through_ioctl(struct dsocket *target, WSASENDMSG *args, int *error)
{
    DWORD code = 0, returned;
    int result;

    result = PROCS(target)->lpWSPIoctl(target->handle, SIO_EXT_SENDMSG, args, sizeof(*args),
                                       &code, sizeof(code), &returned, NULL, NULL,
                                       dthread_current_id(), error);
    if (result == SOCKET_ERROR && code)
        *error = (int)code;
    return result;
}

static int send_through_function(struct dsocket *ds, WSASENDMSG *args, int *error)
{
    static const GUID id = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG function = extension_provider_function(ds, &id, error);
    int result;

    if (!function)
        return SOCKET_ERROR;
    result = function(ds->handle, args->lpMsg, args->dwFlags, args->lpNumberOfBytesSent,
                      args->lpOverlapped, args->lpCompletionRoutine);
    if (result == SOCKET_ERROR)
        *error = WSAGetLastError();
    return result;
}

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent,
                      LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    WSASENDMSG args = { msg, flags, sent, overlapped, routine };
    struct dsocket *ds = dispatch_begin(s), *target;
    struct pending *p;
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    target = sending_socket(ds);
    p = pending_begin(target ? target : ds, overlapped, routine);
    args.lpCompletionRoutine = pending_routine(p, routine);
    result = target ? send_through_ioctl(target, &args, &error)
                    : send_through_function(ds, &args, &error);
    pending_issued(p, result, result == SOCKET_ERROR ? error : 0);
    if (target)
        dsocket_release(target);
    return dispatch_end(ds, result, result == SOCKET_ERROR ? error : 0);
}
