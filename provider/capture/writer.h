/* SPDX-License-Identifier: MIT */
/* The writer thread: drains the queue into the process's pcapng file.
 *
 * The file is created at the first record (or the first drop), so that a
 * process that never transfers anything leaves none. A file that cannot
 * be created or written gets one line in the log and turns capture off
 * for the process: the queue closes, records are discarded, traffic flows
 * on. Statistics (ISB, with the drop count) are written at most every
 * second when they changed, and at the end.
 *
 * The thread holds a reference on the module it runs in and leaves with
 * FreeLibraryAndExitThread, so that the module cannot be unloaded under
 * it; writer_stop therefore waits for its `done` event, never for the
 * thread itself, and is safe under the loader lock.
 *
 * Process exit kills the thread wherever it is, possibly in the middle of
 * a batch it took from the queue. So the batch it holds is in `batch`,
 * and before each record it notes where the record's blocks begin
 * (record.mark) and which record it is on (`pending`); the exiting thread
 * resumes from there, then writes what is left in the queue: nothing is
 * lost, nothing written twice (a kill inside WriteFile is told by the
 * file's own position). The output buffer lives in a heap of
 * its own without a lock, because at exit a killed thread may hold the
 * process heap's lock and nothing may allocate from it. */
#ifndef LSPKIT_CAPTURE_WRITER_H
#define LSPKIT_CAPTURE_WRITER_H

#include <windows.h>
#include "ident.h"
#include "pcapng.h"
#include "queue.h"
#include "bounds.h"

struct writer {
    volatile LONG *active;        /* capture's switch, turned off when the writer gives up */
    struct queue *queue;
    const struct capture_identity *id;
    WCHAR directory[MAX_PATH];
    WCHAR readers[256];           /* may read the captures; "": administrators only */
    WCHAR path[MAX_PATH];
    struct capture_limits limits;
    unsigned rotation;            /* files begun after the first: -0001, -0002... */
    HANDLE thread, done;
    HMODULE module;               /* the thread's reference */
    HANDLE file;                  /* INVALID_HANDLE_VALUE until the first record */
    struct outbuf out;
    ULONGLONG base;               /* the file's size when this writer opened it */
    ULONGLONG written;            /* bytes written since, as accounted */
    struct record *volatile batch;    /* the records taken from the queue, until written */
    struct record *volatile pending;  /* the one of them being encoded */
    ULONGLONG started;            /* isb_starttime */
    ULONGLONG delivered;          /* records written */
    ULONGLONG lost;               /* records that could not be encoded (no memory) */
    ULONGLONG stats_time;         /* when the last ISB was written */
    ULONGLONG stats_delivered, stats_dropped;   /* what it said */
    USHORT ip_id;
    BOOL failed;
    BOOL exiting;                 /* finishing on a dying process's behalf: free nothing */
};

/* Starts the thread for `queue`, to write into `directory` files that
 * `readers` (a group, or "") may read, within `limits`; a file that cannot
 * be written sets *active to 0. FALSE with nothing started when the thread
 * cannot be made. */
BOOL writer_start(struct writer *w, volatile LONG *active, struct queue *queue,
                  const struct capture_identity *id, const WCHAR *directory,
                  const WCHAR *readers, const struct capture_limits *limits);

/* TRUE when the thread ended without finishing: only process exit, which
 * ends every other thread before DLL_PROCESS_DETACH, does that. */
BOOL writer_killed(const struct writer *w);

/* Closes the queue and has everything queued written, the statistics and
 * the file closed. When process exit has killed the thread, does it on
 * the calling thread. FALSE when the writer did not finish in time: it
 * still uses its state and the queue, which must then be left alone. */
BOOL writer_stop(struct writer *w);

#endif
