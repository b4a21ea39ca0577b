/* SPDX-License-Identifier: MIT */
#include "dispatch.h"
#include "lspkit/trace.h"
#include "../common/memcheck.h"

/* Starts the provider of the socket's catalog entry and ties it to the
 * socket. Returns 0 or the error starting it gave. */
static int attach_entry_provider(struct dsocket *ds)
{
    struct catalog_entry entry;
    struct provider *p;
    int error;

    if (!dstate_entry_by_id(ds->catalog_id, &entry))
        return WSAENOTSOCK;
    p = provider_get(&entry, &error);
    if (!p)
        return error;
    dsocket_attach_provider(ds->handle, p);
    provider_release(p);
    return ds->provider ? 0 : WSAENOTSOCK;
}

struct dsocket *dispatch_lookup(SOCKET s, int *error)
{
    struct dsocket *ds = dsocket_get(s);

    *error = 0;
    if (ds && !ds->closed && !ds->provider)
        *error = attach_entry_provider(ds);
    if (ds && (ds->closed || *error)) {
        dsocket_release(ds);
        ds = NULL;
    }
    if (!ds && !*error)
        *error = WSAENOTSOCK;
    return ds;
}

struct dsocket *dispatch_begin_call(SOCKET s, const char *call)
{
    struct dsocket *ds = NULL;
    int error = dstate_check_started();

    if (!error)
        ds = dispatch_lookup(s, &error);
    if (!ds) {
        TRACE("%s(socket %#Ix): error %d before any provider", call, (ULONG_PTR)s, error);
        SetLastError(error);
    }
    return ds;
}

int dispatch_end_call(struct dsocket *ds, int result, int error, const char *call)
{
    TRACE("%s(socket %#Ix) = %d%s, error %d (provider of entry %lu)", call,
          (ULONG_PTR)ds->handle, result, result == SOCKET_ERROR ? " SOCKET_ERROR" : "",
          result == SOCKET_ERROR ? error : 0, ds->catalog_id);
    dsocket_release(ds);
    if (result == SOCKET_ERROR)
        SetLastError(error);
    return result;
}

static BOOL bad_output(void *pointer, UINT_PTR size)
{
    return pointer && !mem_writable(pointer, size);
}

BOOL dispatch_bad_outputs(LPDWORD count, LPDWORD flags, LPWSAOVERLAPPED overlapped)
{
    return bad_output(count, sizeof(*count)) || bad_output(flags, sizeof(*flags))
           || bad_output(overlapped, sizeof(*overlapped));
}
