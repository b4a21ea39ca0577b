/* SPDX-License-Identifier: MIT */
/* The bounded record queue (queue.h). */
#include <stdlib.h>
#include "queue.h"

void queue_init(struct queue *q, size_t max_bytes, size_t max_count)
{
    InitializeSRWLock(&q->lock);
    InitializeConditionVariable(&q->ready);
    q->head = NULL;
    q->tail = &q->head;
    q->bytes = q->count = 0;
    q->max_bytes = max_bytes;
    q->max_count = max_count;
    q->offered = q->dropped = 0;
    q->closed = FALSE;
}

static BOOL fits(const struct queue *q, size_t charge)
{
    return q->count < q->max_count && charge <= q->max_bytes - q->bytes;
}

BOOL queue_full_hint(const struct queue *q, size_t charge)
{
    /* Racy on purpose: a wrong guess costs one copy or one record, and the
     * push decides under the lock anyway. */
    const volatile struct queue *v = q;
    size_t bytes = v->bytes;

    return v->count >= v->max_count || bytes > v->max_bytes || charge > v->max_bytes - bytes;
}

BOOL queue_push(struct queue *q, struct record *r)
{
    BOOL was_empty, pushed = FALSE;

    AcquireSRWLockExclusive(&q->lock);
    was_empty = q->head == NULL;
    if (!q->closed) {
        q->offered++;
        if (fits(q, r->charge)) {
            r->next = NULL;
            *q->tail = r;
            q->tail = &r->next;
            q->bytes += r->charge;
            q->count++;
            pushed = TRUE;
        } else {
            q->dropped++;
        }
    }
    ReleaseSRWLockExclusive(&q->lock);
    /* Only the first record wakes the writer: it takes the whole queue,
     * so waking it per record would cost a wake-up per send for nothing. */
    if (pushed && was_empty)
        WakeConditionVariable(&q->ready);
    return pushed;
}

void queue_drop(struct queue *q)
{
    AcquireSRWLockExclusive(&q->lock);
    if (!q->closed) {
        q->offered++;
        q->dropped++;
    }
    ReleaseSRWLockExclusive(&q->lock);
}

BOOL queue_take(struct queue *q, DWORD timeout_ms, struct record *volatile *batch)
{
    BOOL closed;

    AcquireSRWLockExclusive(&q->lock);
    if (!q->head && !q->closed)
        SleepConditionVariableSRW(&q->ready, &q->lock, timeout_ms, 0);
    __atomic_store_n(batch, q->head, __ATOMIC_RELEASE);
    q->head = NULL;
    q->tail = &q->head;
    q->bytes = q->count = 0;
    closed = q->closed;
    ReleaseSRWLockExclusive(&q->lock);
    return closed;
}

struct record *queue_abandoned(struct queue *q)
{
    return q->head;
}

void queue_counts(struct queue *q, ULONGLONG *offered, ULONGLONG *dropped)
{
    AcquireSRWLockShared(&q->lock);
    *offered = q->offered;
    *dropped = q->dropped;
    ReleaseSRWLockShared(&q->lock);
}

void queue_close(struct queue *q)
{
    AcquireSRWLockExclusive(&q->lock);
    q->closed = TRUE;
    ReleaseSRWLockExclusive(&q->lock);
    WakeAllConditionVariable(&q->ready);
}

void records_free(struct record *list)
{
    while (list) {
        struct record *next = list->next;

        free(list);
        list = next;
    }
}
