/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include "sockets.h"

struct node {
    SOCKET s;
    const WSAPROTOCOL_INFOW *entry;
    struct node *next;
};

#define MIN_BUCKETS 64

static SRWLOCK lock = SRWLOCK_INIT;
static struct node **buckets;
static size_t bucket_count;       /* a power of two, or 0 before the first socket */
static size_t node_count;

/* Socket handles are multiples of 4: drop those bits before mixing. */
static size_t bucket_of(SOCKET s, size_t count)
{
    return (size_t)(((UINT64)(s >> 2) * 0x9E3779B97F4A7C15ull) >> 32) & (count - 1);
}

/* Called with the lock held. */
static struct node **slot_of(SOCKET s)
{
    struct node **p;

    if (!bucket_count)
        return NULL;
    for (p = &buckets[bucket_of(s, bucket_count)]; *p; p = &(*p)->next)
        if ((*p)->s == s)
            return p;
    return NULL;
}

/* Keeps chains short: doubles the table when it holds as many sockets as
 * buckets. Called with the lock held; on allocation failure the old table
 * stays, only slower. */
static void grow_if_full(void)
{
    size_t count = bucket_count ? bucket_count * 2 : MIN_BUCKETS;
    struct node **table, *n, *next;
    size_t i;

    if (node_count < bucket_count)
        return;
    if (!(table = calloc(count, sizeof(*table))))
        return;
    for (i = 0; i < bucket_count; i++)
        for (n = buckets[i]; n; n = next) {
            next = n->next;
            n->next = table[bucket_of(n->s, count)];
            table[bucket_of(n->s, count)] = n;
        }
    free(buckets);
    buckets = table;
    bucket_count = count;
}

int sockets_set(SOCKET s, const WSAPROTOCOL_INFOW *entry)
{
    struct node **slot, *n;
    int err = 0;

    AcquireSRWLockExclusive(&lock);
    if ((slot = slot_of(s))) {
        (*slot)->entry = entry;
    } else {
        grow_if_full();
        if (bucket_count && (n = malloc(sizeof(*n)))) {
            n->s = s;
            n->entry = entry;
            n->next = buckets[bucket_of(s, bucket_count)];
            buckets[bucket_of(s, bucket_count)] = n;
            node_count++;
        } else {
            err = WSAENOBUFS;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    return err;
}

const WSAPROTOCOL_INFOW *sockets_entry(SOCKET s)
{
    const WSAPROTOCOL_INFOW *entry = NULL;
    struct node **slot;

    AcquireSRWLockShared(&lock);
    if ((slot = slot_of(s)))
        entry = (*slot)->entry;
    ReleaseSRWLockShared(&lock);
    return entry;
}

const WSAPROTOCOL_INFOW *sockets_remove(SOCKET s)
{
    const WSAPROTOCOL_INFOW *entry = NULL;
    struct node **slot, *n;

    AcquireSRWLockExclusive(&lock);
    if ((slot = slot_of(s))) {
        n = *slot;
        *slot = n->next;
        entry = n->entry;
        free(n);
        node_count--;
    }
    ReleaseSRWLockExclusive(&lock);
    return entry;
}

void sockets_clear(void)
{
    struct node *n, *next;
    size_t i;

    AcquireSRWLockExclusive(&lock);
    for (i = 0; i < bucket_count; i++)
        for (n = buckets[i]; n; n = next) {
            next = n->next;
            free(n);
        }
    free(buckets);
    buckets = NULL;
    bucket_count = node_count = 0;
    ReleaseSRWLockExclusive(&lock);
}
