/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "entries.h"

struct entry {
    WSAPROTOCOL_INFOW info;
    BOOL started;                 /* WSPStartup was called for it */
    struct entry *next;
};

/* Append-only list until entries_clear: a pointer handed out stays valid
 * without holding the lock for as long as a startup is live. */
static SRWLOCK lock = SRWLOCK_INIT;
static struct entry *head, *tail;

/* Called with the lock held. */
static struct entry *find_same(const WSAPROTOCOL_INFOW *info)
{
    struct entry *e;

    for (e = head; e; e = e->next)
        if (!memcmp(&e->info, info, sizeof(*info)))
            return e;
    return NULL;
}

static struct entry *store(const WSAPROTOCOL_INFOW *info, BOOL started)
{
    struct entry *e;

    AcquireSRWLockExclusive(&lock);
    e = find_same(info);
    if (!e && (e = calloc(1, sizeof(*e)))) {
        e->info = *info;
        if (tail)
            tail->next = e;
        else
            head = e;
        tail = e;
    }
    if (e && started)
        e->started = TRUE;
    ReleaseSRWLockExclusive(&lock);
    return e;
}

const WSAPROTOCOL_INFOW *entries_add_started(const WSAPROTOCOL_INFOW *info)
{
    struct entry *e = store(info, TRUE);
    return e ? &e->info : NULL;
}

const WSAPROTOCOL_INFOW *entries_intern(const WSAPROTOCOL_INFOW *info)
{
    struct entry *e = store(info, FALSE);
    return e ? &e->info : NULL;
}

BOOL entries_is_ours(const WSAPROTOCOL_INFOW *info)
{
    const struct entry *e;
    BOOL ours = FALSE;

    AcquireSRWLockShared(&lock);
    for (e = head; e && !ours; e = e->next)
        ours = e->started && IsEqualGUID(&e->info.ProviderId, &info->ProviderId);
    ReleaseSRWLockShared(&lock);
    return ours;
}

const WSAPROTOCOL_INFOW *entries_by_id(DWORD catalog_id)
{
    const struct entry *e;

    AcquireSRWLockShared(&lock);
    for (e = head; e && e->info.dwCatalogEntryId != catalog_id; e = e->next)
        ;
    ReleaseSRWLockShared(&lock);
    return e ? &e->info : NULL;
}

const WSAPROTOCOL_INFOW *entries_first_started(void)
{
    const struct entry *e;

    AcquireSRWLockShared(&lock);
    for (e = head; e && !e->started; e = e->next)
        ;
    ReleaseSRWLockShared(&lock);
    return e ? &e->info : NULL;
}

void entries_clear(void)
{
    struct entry *e, *next;

    AcquireSRWLockExclusive(&lock);
    for (e = head; e; e = next) {
        next = e->next;
        free(e);
    }
    head = tail = NULL;
    ReleaseSRWLockExclusive(&lock);
}
