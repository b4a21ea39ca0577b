/* SPDX-License-Identifier: MIT */
/* select and __WSAFDIsSet.
 *
 * When every socket in the sets belongs to one provider, its WSPSelect gets
 * the sets as they are. Sets that mix providers (a layered socket beside a
 * base one) are run, as Windows runs them, on the base provider: each
 * socket is translated to its base handle with SIO_BSP_HANDLE_SELECT, the
 * base provider selects on those, and the answer is translated back. */
#include <mswsock.h>
#include "dispatch.h"
#include "dstate.h"

/* One socket of the caller's sets, with the handle the chosen provider sees. */
struct select_item {
    struct dsocket *ds;
    SOCKET base;
};

struct select_call {
    fd_set *sets[3];              /* the caller's read, write, except sets */
    struct select_item *items;
    u_int count;
    struct provider *provider;    /* the provider that runs the select */
};

static u_int set_count(const fd_set *set)
{
    return set ? set->fd_count : 0;
}

static void release_items(struct select_call *call)
{
    u_int i;

    for (i = 0; i < call->count; i++)
        dsocket_release(call->items[i].ds);
    HeapFree(GetProcessHeap(), 0, call->items);
}

/* Looks up every socket of every set. Returns 0 or WSAENOTSOCK/WSAENOBUFS. */
static int collect_items(struct select_call *call)
{
    u_int total = 0, set, i;

    for (set = 0; set < 3; set++)
        total += set_count(call->sets[set]);
    call->items = HeapAlloc(GetProcessHeap(), 0, total * sizeof(*call->items));
    if (!call->items)
        return WSAENOBUFS;
    call->count = 0;
    for (set = 0; set < 3; set++) {
        for (i = 0; i < set_count(call->sets[set]); i++) {
            SOCKET s = call->sets[set]->fd_array[i];
            int error;
            struct dsocket *ds = dispatch_lookup(s, &error);
            if (!ds)
                return error;
            call->items[call->count].ds = ds;
            call->items[call->count].base = s;
            call->count++;
        }
    }
    return 0;
}

static BOOL single_provider(const struct select_call *call)
{
    u_int i;

    for (i = 1; i < call->count; i++)
        if (call->items[i].ds->provider != call->items[0].ds->provider)
            return FALSE;
    return TRUE;
}

/* The provider that serves a base handle, started by the front end if the
 * layered provider above it loaded it on its own. */
static struct provider *base_provider_of(SOCKET base, int *error)
{
    struct catalog_entry entry;
    struct dsocket *ds = dsocket_get(base);
    struct provider *p = NULL;

    *error = WSAENOTSOCK;
    if (!ds)
        return NULL;
    if (ds->provider) {
        p = ds->provider;
        provider_addref(p);
    } else if (dstate_entry_by_id(ds->catalog_id, &entry)) {
        p = provider_get(&entry, error);
    }
    dsocket_release(ds);
    return p;
}

/* Translates every socket to its base handle and checks that one base
 * provider serves them all; sets call->provider (referenced). */
static int translate_to_base(struct select_call *call)
{
    u_int i;
    int error = 0;

    for (i = 0; i < call->count; i++) {
        struct select_item *item = &call->items[i];
        const WSPPROC_TABLE *procs = PROCS(item->ds);
        struct provider *p;
        DWORD returned;

        if (procs->lpWSPIoctl(item->ds->handle, SIO_BSP_HANDLE_SELECT, NULL, 0, &item->base,
                              sizeof(item->base), &returned, NULL, NULL, NULL, &error))
            return error;
        p = base_provider_of(item->base, &error);
        if (!p)
            return error;
        if (!call->provider)
            call->provider = p;
        else {
            BOOL same = p == call->provider;
            provider_release(p);
            if (!same)
                return WSAEINVAL;
        }
    }
    return 0;
}

/* Builds base-handle copies of the caller's sets. */
static int build_base_sets(struct select_call *call, fd_set *base_sets[3])
{
    u_int set, i, item = 0;

    for (set = 0; set < 3; set++) {
        u_int n = set_count(call->sets[set]);
        base_sets[set] = NULL;
        if (!call->sets[set])
            continue;
        base_sets[set] = HeapAlloc(GetProcessHeap(), 0,
                                   FIELD_OFFSET(fd_set, fd_array[n ? n : 1]));
        if (!base_sets[set])
            return WSAENOBUFS;
        base_sets[set]->fd_count = n;
        for (i = 0; i < n; i++)
            base_sets[set]->fd_array[i] = call->items[item++].base;
    }
    return 0;
}

static BOOL base_set_has(const fd_set *set, SOCKET base)
{
    u_int i;

    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == base)
            return TRUE;
    return FALSE;
}

/* Keeps in each caller set only the sockets whose base handle is ready. */
static void translate_back(struct select_call *call, fd_set *base_sets[3])
{
    u_int set, i, item = 0;

    for (set = 0; set < 3; set++) {
        fd_set *out = call->sets[set];
        u_int n = set_count(out), kept = 0;
        for (i = 0; i < n; i++, item++)
            if (base_set_has(base_sets[set], call->items[item].base))
                out->fd_array[kept++] = out->fd_array[i];
        if (out)
            out->fd_count = kept;
    }
}

static int select_through_base(struct select_call *call, int nfds, PTIMEVAL timeout,
                               int *error)
{
    fd_set *base_sets[3] = { NULL, NULL, NULL };
    int result = SOCKET_ERROR, set;

    *error = translate_to_base(call);
    if (!*error)
        *error = build_base_sets(call, base_sets);
    if (!*error) {
        result = call->provider->procs.lpWSPSelect(nfds, base_sets[0], base_sets[1],
                                                   base_sets[2], timeout, error);
        if (result != SOCKET_ERROR)
            translate_back(call, base_sets);
    }
    for (set = 0; set < 3; set++)
        HeapFree(GetProcessHeap(), 0, base_sets[set]);
    if (call->provider)
        provider_release(call->provider);
    return result;
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                  const PTIMEVAL timeout)
{
    struct select_call call = { { readfds, writefds, exceptfds }, NULL, 0, NULL };
    int error = dstate_check_started(), result = SOCKET_ERROR;

    if (!error && set_count(readfds) + set_count(writefds) + set_count(exceptfds) == 0)
        error = WSAEINVAL;
    if (error)
        return dstate_fail(error);
    error = collect_items(&call);
    if (!error) {
        if (single_provider(&call))
            result = PROCS(call.items[0].ds)->lpWSPSelect(nfds, readfds, writefds, exceptfds,
                                                         timeout, &error);
        else
            result = select_through_base(&call, nfds, timeout, &error);
    }
    release_items(&call);
    if (result == SOCKET_ERROR)
        SetLastError(error);
    return result;
}

int WSAAPI __WSAFDIsSet(SOCKET s, fd_set *set)
{
    u_int i;

    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s)
            return 1;
    return 0;
}
