/* WSASendMsg, which Windows runs through the provider's own extension
 * function so that a layered provider sees the send. */
#include <mswsock.h>
#include "dispatch.h"
#include "dstate.h"

static LPFN_WSASENDMSG provider_sendmsg(struct dsocket *ds, int *error)
{
    GUID id = WSAID_WSASENDMSG;
    LPFN_WSASENDMSG function = NULL;
    DWORD returned;

    if (PROCS(ds)->lpWSPIoctl(ds->handle, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id),
                              &function, sizeof(function), &returned, NULL, NULL,
                              dthread_current_id(), error))
        return NULL;
    if (!function)
        *error = WSAEOPNOTSUPP;
    return function;
}

int WSAAPI WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent,
                      LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct dsocket *ds = dispatch_begin(s);
    LPFN_WSASENDMSG function;
    int error = 0;

    if (!ds)
        return SOCKET_ERROR;
    function = provider_sendmsg(ds, &error);
    dsocket_release(ds);
    if (!function)
        return dstate_fail(error);
    return function(s, msg, flags, sent, overlapped, routine);
}
