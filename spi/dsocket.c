/* SPDX-License-Identifier: MIT */
#include "dsocket.h"

/* Keyed by handle. 4096 buckets keep chains short up to tens of thousands
 * of sockets. */
HASH_TABLE(table, 4096);
static SRWLOCK table_lock = SRWLOCK_INIT;

/* `handle`'s record, or NULL; called with the lock held. */
static struct dsocket *find(SOCKET handle)
{
    struct hash_link *link = hash_first(&table, (ULONG_PTR)handle);

    return link ? CONTAINING_RECORD(link, struct dsocket, link) : NULL;
}

static void destroy(struct dsocket *s)
{
    if (s->provider)
        provider_release(s->provider);
    HeapFree(GetProcessHeap(), 0, s);
}

int dsocket_register(SOCKET handle, DWORD catalog_id, DWORD_PTR context, BOOL ifs)
{
    struct dsocket *s, *stale;

    if (handle == INVALID_SOCKET)
        return WSAEINVAL;
    s = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*s));
    if (!s)
        return WSAENOBUFS;
    s->handle = handle;
    s->catalog_id = catalog_id;
    s->context = context;
    s->ifs = ifs;
    s->refs = 1;

    AcquireSRWLockExclusive(&table_lock);
    /* A handle value the system reused after a close we never saw (for
     * example a socket closed behind our back with CloseHandle) replaces the
     * stale record rather than failing the new socket. */
    stale = find(handle);
    if (stale)
        hash_remove(&table, &stale->link);
    hash_add(&table, &s->link, (ULONG_PTR)handle);
    ReleaseSRWLockExclusive(&table_lock);

    if (stale)
        dsocket_release(stale);
    return 0;
}

BOOL dsocket_attach_provider(SOCKET handle, struct provider *p)
{
    struct dsocket *s;
    struct provider *old = NULL;

    AcquireSRWLockExclusive(&table_lock);
    s = find(handle);
    if (s) {
        old = s->provider;
        provider_addref(p);
        s->provider = p;
    }
    ReleaseSRWLockExclusive(&table_lock);
    if (old)
        provider_release(old);
    return s != NULL;
}

struct dsocket *dsocket_get(SOCKET handle)
{
    struct dsocket *s;

    AcquireSRWLockShared(&table_lock);
    s = find(handle);
    if (s)
        InterlockedIncrement(&s->refs);
    ReleaseSRWLockShared(&table_lock);
    return s;
}

void dsocket_mark_closed(struct dsocket *s)
{
    AcquireSRWLockExclusive(&table_lock);
    s->closed = TRUE;
    ReleaseSRWLockExclusive(&table_lock);
}

void dsocket_release(struct dsocket *s)
{
    if (InterlockedDecrement(&s->refs) == 0)
        destroy(s);
}

BOOL dsocket_unregister(SOCKET handle)
{
    struct dsocket *s;

    AcquireSRWLockExclusive(&table_lock);
    s = find(handle);
    if (s)
        hash_remove(&table, &s->link);
    ReleaseSRWLockExclusive(&table_lock);

    if (s)
        dsocket_release(s);
    return s != NULL;
}

void dsocket_unregister_record(struct dsocket *s)
{
    BOOL found;

    AcquireSRWLockExclusive(&table_lock);
    found = find(s->handle) == s;
    if (found)
        hash_remove(&table, &s->link);
    ReleaseSRWLockExclusive(&table_lock);

    if (found)
        dsocket_release(s);
}
