/* SPDX-License-Identifier: MIT */
/* The bounded queue between the recording threads and the writer.
 *
 * Bound by both a byte and a record count: a push that would exceed
 * either is refused and counted as a drop, never waited for, so that a
 * slow disk can only cost records, not the application's time. The
 * writer takes the whole queue at once. */
#ifndef LSPKIT_CAPTURE_QUEUE_H
#define LSPKIT_CAPTURE_QUEUE_H

#include <windows.h>
#include "record.h"

struct queue {
    SRWLOCK lock;
    CONDITION_VARIABLE ready;     /* records came, or the queue closed */
    struct record *head, **tail;
    size_t bytes, count;
    size_t max_bytes, max_count;
    ULONGLONG offered;            /* records pushed or dropped, ever */
    ULONGLONG dropped;            /* of them, refused because the queue was full */
    BOOL closed;                  /* no more records (shutdown, or the writer failed) */
};

void queue_init(struct queue *q, size_t max_bytes, size_t max_count);

/* A hint without the lock: TRUE when a record of `charge` bytes would be
 * refused now, so that the caller can skip copying it. */
BOOL queue_full_hint(const struct queue *q, size_t charge);

/* Appends `r` (the queue then owns it) and returns TRUE; or returns FALSE,
 * counting a drop unless the queue is closed, and the caller still owns `r`. */
BOOL queue_push(struct queue *q, struct record *r);

/* Counts a record dropped before it was even made. */
void queue_drop(struct queue *q);

/* The writer: waits up to `timeout_ms` for records, then moves them all
 * to *batch (NULL when none), a place the exit path can find them in
 * (writer.h): they are in *batch before they leave the queue. Returns
 * whether the queue is closed. */
BOOL queue_take(struct queue *q, DWORD timeout_ms, struct record *volatile *batch);

/* The records still queued, taken without the lock: only for process
 * exit, once every other thread is gone (one of them may have died holding
 * the lock). The list is whole even if a push was cut short: a record's
 * `next` is set before it is linked. */
struct record *queue_abandoned(struct queue *q);

/* The counters, consistent with each other. */
void queue_counts(struct queue *q, ULONGLONG *offered, ULONGLONG *dropped);

/* Refuses every later push and wakes the writer. */
void queue_close(struct queue *q);

/* Frees a list of records. */
void records_free(struct record *list);

#endif
