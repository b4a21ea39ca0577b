/* SPDX-License-Identifier: MIT */
/* WSAPoll, routed as Windows (Vista and later) routes it: each socket's
 * provider names, through SIO_BSP_HANDLE_POLL, the socket to poll in its
 * place (its own, when it wants to take part, or the one beneath), and the
 * provider of the first socket so named polls the whole translated array
 * through SIO_EXT_POLL. A handle that is not one of our sockets is passed
 * on as it is, so it gets exactly the answer (POLLNVAL) the system gives
 * it; an array with none of ours goes straight to the system WSAPoll. */
#include <mswsock.h>
#include "dispatch.h"
#include "dstate.h"
#include "sysws2.h"

typedef int (WSAAPI *system_poll_fn)(WSAPOLLFD *, ULONG, INT);

static SOCKET handle_to_poll(SOCKET s)
{
    int error;
    struct dsocket *ds = dispatch_lookup(s, &error);
    SOCKET named = s;
    DWORD returned;

    if (!ds)
        return s;
    if (PROCS(ds)->lpWSPIoctl(s, SIO_BSP_HANDLE_POLL, NULL, 0, &named, sizeof(named), &returned,
                              NULL, NULL, dthread_current_id(), &error) ||
        named == INVALID_SOCKET)
        named = s;
    dsocket_release(ds);
    return named;
}

/* The provider socket that polls `data`: the first of its handles that is
 * one of ours. */
static struct dsocket *poller_of(const WSAPOLLDATA *data)
{
    struct dsocket *ds = NULL;
    ULONG i;
    int error;

    for (i = 0; i < data->fds && !ds; i++)
        if (data->fdArray[i].fd != INVALID_SOCKET)
            ds = dispatch_lookup(data->fdArray[i].fd, &error);
    return ds;
}

/* Polls `data` (size bytes) through `poller`'s provider, or the system's
 * WSAPoll without one; sets data->result. Returns 0 or the error. */
static int poll_data(struct dsocket *poller, WSAPOLLDATA *data, DWORD size)
{
    system_poll_fn system_poll;
    DWORD returned;
    int error = 0;

    if (poller)
        return PROCS(poller)->lpWSPIoctl(poller->handle, SIO_EXT_POLL, data, size, data, size,
                                         &returned, NULL, NULL, dthread_current_id(), &error)
                   ? error : 0;
    system_poll = (system_poll_fn)(void *)sysws2_proc("WSAPoll");
    if (!system_poll)
        return WSASYSNOTREADY;
    data->result = system_poll(data->fdArray, data->fds, data->timeout);
    return data->result == SOCKET_ERROR ? (int)GetLastError() : 0;
}

int WSAAPI WSAPoll(WSAPOLLFD *fds, ULONG count, INT timeout)
{
    DWORD size = sizeof(WSAPOLLDATA) + count * sizeof(WSAPOLLFD);
    struct dsocket *poller;
    WSAPOLLDATA *data;
    int error = dstate_check_started(), result;
    ULONG i;

    if (!error && !fds)
        error = WSAEFAULT;
    if (!error && count > (MAXDWORD - sizeof(WSAPOLLDATA)) / sizeof(WSAPOLLFD))
        error = WSAEINVAL;
    if (error)
        return dstate_fail(error);
    data = HeapAlloc(GetProcessHeap(), 0, size);
    if (!data)
        return dstate_fail(WSAENOBUFS);
    data->result = 0;
    data->fds = count;
    data->timeout = timeout;
    for (i = 0; i < count; i++) {
        data->fdArray[i] = fds[i];
        if (fds[i].fd != INVALID_SOCKET)
            data->fdArray[i].fd = handle_to_poll(fds[i].fd);
    }
    poller = poller_of(data);
    error = poll_data(poller, data, size);
    if (poller)
        dsocket_release(poller);
    if (!error)
        for (i = 0; i < count; i++)
            fds[i].revents = data->fdArray[i].revents;
    result = error ? SOCKET_ERROR : data->result;
    HeapFree(GetProcessHeap(), 0, data);
    if (error)
        SetLastError(error);
    return result;
}
