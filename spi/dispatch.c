#include "dispatch.h"
#include "dstate.h"

struct dsocket *dispatch_begin(SOCKET s)
{
    struct dsocket *ds;
    int error = dstate_check_started();

    if (error) {
        SetLastError(error);
        return NULL;
    }
    ds = dsocket_get_dispatchable(s);
    if (!ds)
        SetLastError(WSAENOTSOCK);
    return ds;
}

int dispatch_end(struct dsocket *ds, int result, int error)
{
    dsocket_release(ds);
    if (result == SOCKET_ERROR)
        SetLastError(error);
    return result;
}
