/* SPDX-License-Identifier: MIT */
/* WSAPoll.
 *
 * Windows runs WSAPoll on base handles: it asks each socket's provider for
 * SIO_BSP_HANDLE_POLL and polls the base transport directly. The base
 * transport under the front end is the system ws2_32 (lspkit_base.dll maps
 * onto it), so the translated array goes to the system WSAPoll. A handle
 * that is not one of our sockets is passed on as it is, so it gets exactly
 * the answer (POLLNVAL) the system gives it. */
#include <mswsock.h>
#include "dispatch.h"
#include "dstate.h"
#include "sysws2.h"

typedef int (WSAAPI *system_poll_fn)(WSAPOLLFD *, ULONG, INT);

static SOCKET base_handle_for_poll(SOCKET s)
{
    int error;
    struct dsocket *ds = dispatch_lookup(s, &error);
    SOCKET base = s;
    DWORD returned;

    if (!ds)
        return s;
    if (PROCS(ds)->lpWSPIoctl(s, SIO_BSP_HANDLE_POLL, NULL, 0, &base, sizeof(base), &returned,
                              NULL, NULL, NULL, &error))
        base = s;
    dsocket_release(ds);
    return base;
}

int WSAAPI WSAPoll(WSAPOLLFD *fds, ULONG count, INT timeout)
{
    system_poll_fn system_poll = (system_poll_fn)(void *)sysws2_proc("WSAPoll");
    WSAPOLLFD *base_fds;
    int error = dstate_check_started(), result;
    ULONG i;

    if (!error && !fds)
        error = WSAEFAULT;
    if (!error && !system_poll)
        error = WSASYSNOTREADY;
    if (error)
        return dstate_fail(error);
    base_fds = HeapAlloc(GetProcessHeap(), 0, (count ? count : 1) * sizeof(*base_fds));
    if (!base_fds)
        return dstate_fail(WSAENOBUFS);
    for (i = 0; i < count; i++) {
        base_fds[i] = fds[i];
        if (fds[i].fd != INVALID_SOCKET)
            base_fds[i].fd = base_handle_for_poll(fds[i].fd);
    }
    result = system_poll(base_fds, count, timeout);
    if (result != SOCKET_ERROR)
        for (i = 0; i < count; i++)
            fds[i].revents = base_fds[i].revents;
    error = GetLastError();
    HeapFree(GetProcessHeap(), 0, base_fds);
    if (result == SOCKET_ERROR)
        SetLastError(error);
    return result;
}
