/* SPDX-License-Identifier: MIT */
#include "dsocket.h"

/* Handle values are multiples of 4, so the low bits are dropped before
 * hashing. 4096 buckets keep chains short up to tens of thousands of
 * sockets; the table never resizes, so lookups never wait on a rehash. */
#define BUCKET_COUNT 4096

static struct dsocket *buckets[BUCKET_COUNT];
static SRWLOCK table_lock = SRWLOCK_INIT;

static struct dsocket **bucket_of(SOCKET handle)
{
    return &buckets[((ULONG_PTR)handle >> 2) % BUCKET_COUNT];
}

/* Finds the link that points at `handle`'s record; called with the lock held. */
static struct dsocket **find_link(SOCKET handle)
{
    struct dsocket **link = bucket_of(handle);

    while (*link && (*link)->handle != handle)
        link = &(*link)->next;
    return link;
}

static void destroy(struct dsocket *s)
{
    if (s->provider)
        provider_release(s->provider);
    HeapFree(GetProcessHeap(), 0, s);
}

int dsocket_register(SOCKET handle, DWORD catalog_id, DWORD_PTR context, BOOL ifs)
{
    struct dsocket *s, **link, *stale = NULL;

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
    link = find_link(handle);
    /* A handle value the system reused after a close we never saw (for
     * example a socket closed behind our back with CloseHandle) replaces the
     * stale record rather than failing the new socket. */
    if (*link) {
        stale = *link;
        *link = stale->next;
    }
    s->next = *bucket_of(handle);
    *bucket_of(handle) = s;
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
    s = *find_link(handle);
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
    s = *find_link(handle);
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
    struct dsocket *s, **link;

    AcquireSRWLockExclusive(&table_lock);
    link = find_link(handle);
    s = *link;
    if (s)
        *link = s->next;
    ReleaseSRWLockExclusive(&table_lock);

    if (s)
        dsocket_release(s);
    return s != NULL;
}

void dsocket_unregister_record(struct dsocket *s)
{
    struct dsocket **link;
    BOOL found;

    AcquireSRWLockExclusive(&table_lock);
    link = find_link(s->handle);
    found = *link == s;
    if (found)
        *link = s->next;
    ReleaseSRWLockExclusive(&table_lock);

    if (found)
        dsocket_release(s);
}
