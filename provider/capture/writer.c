/* SPDX-License-Identifier: MIT */
/* The writer thread (writer.h). */
#include <stdio.h>
#include "writer.h"
#include "clock.h"
#include "log.h"
#include "packets.h"
#include "storage.h"
#include "../../common/text.h"

#define WAKE_MS 1000              /* the longest a drop waits to reach the file */
#define STATS_INTERVAL (10000000ULL)   /* 1 s in 100 ns units */
#define FLUSH_BYTES (1u << 20)
#define STOP_TIMEOUT_MS 10000

/* The one line the user gets, and capture off for the rest of the process. */
static void fail(struct writer *w, const char *what, DWORD error)
{
    char path[MAX_PATH * 3];

    log_line("capture: cannot %s %s (error %lu); capture is off for this process", what,
             text_utf8(w->path, path, sizeof(path)), error);
    w->failed = TRUE;
    InterlockedExchange(w->active, 0);
    /* At exit the queue's lock may be a dead thread's; nobody pushes then anyway. */
    if (!w->exiting)
        queue_close(w->queue);
}

/* Below the free-space floor capture stops, with its own line. */
static BOOL space_left(struct writer *w)
{
    char path[MAX_PATH * 3];
    ULONGLONG free_bytes;

    if (limits_space_left(w->directory, w->limits.min_free, &free_bytes))
        return TRUE;
    log_line("capture: only %llu MiB free on the volume of %s, below MinFreeMiB %llu; "
             "capture is off for this process", free_bytes / MIB,
             text_utf8(w->directory, path, sizeof(path)), w->limits.min_free / MIB);
    w->failed = TRUE;
    InterlockedExchange(w->active, 0);
    if (!w->exiting)
        queue_close(w->queue);
    return FALSE;
}

/* A write that failed may have left part of a block: the file is cut back
 * to its last whole block, so that it stays readable. A short write is a
 * full disk, whatever the last error says. */
static void write_failed(struct writer *w, BOOL short_write)
{
    DWORD error = short_write ? ERROR_DISK_FULL : GetLastError();
    LARGE_INTEGER whole = { .QuadPart = (LONGLONG)(w->base + w->written) };

    if (SetFilePointerEx(w->file, whole, NULL, FILE_BEGIN))
        SetEndOfFile(w->file);
    fail(w, "write", error ? error : ERROR_WRITE_FAULT);
}

/* Writes the whole blocks of the buffer. */
static void flush(struct writer *w)
{
    DWORD written = 0;
    BOOL ok;

    if (!w->failed && w->out.complete && space_left(w)) {
        ok = WriteFile(w->file, w->out.data, (DWORD)w->out.complete, &written, NULL);
        if (ok && written == w->out.complete)
            w->written += written;
        else
            write_failed(w, ok);
    }
    w->out.len = w->out.complete = 0;
    w->out.failed = FALSE;
}

/* <image>-<pid>-<start>.pcapng, the start as 20261122T051500Z; the files
 * after the first get -0001, -0002... before the extension. */
static BOOL make_path(struct writer *w)
{
    FILETIME ft;
    SYSTEMTIME st;
    ULONGLONG t = w->id->start + CLOCK_UNIX_EPOCH;
    int n;

    ft.dwLowDateTime = (DWORD)t;
    ft.dwHighDateTime = (DWORD)(t >> 32);
    FileTimeToSystemTime(&ft, &st);
    n = _snwprintf(w->path, MAX_PATH, L"%ls\\%ls-%lu-%04u%02u%02uT%02u%02u%02uZ",
                   w->directory, w->id->image, w->id->pid, st.wYear, st.wMonth, st.wDay,
                   st.wHour, st.wMinute, st.wSecond);
    if (n > 0 && n < MAX_PATH && w->rotation)
        n += _snwprintf(w->path + n, MAX_PATH - n, L"-%04u", w->rotation);
    if (n > 0 && n < MAX_PATH)
        n += _snwprintf(w->path + n, MAX_PATH - n, L".pcapng");
    return n > 0 && n < MAX_PATH;
}

/* The folder and the file, made for their readers only and refused where
 * a link or another user's folder would steer the writes (storage.h). A
 * new file is made new; one this process began before (capture started
 * again) is opened to append, if it is still a plain file of one name. */
static DWORD open_storage(struct writer *w)
{
    PSECURITY_DESCRIPTOR folder_sd, file_sd;
    const WCHAR *readers = w->readers[0] ? w->readers : NULL;
    DWORD error = 0;

    folder_sd = storage_security(STORAGE_FOLDER, readers);
    file_sd = storage_security(STORAGE_CAPTURE_FILE, readers);
    if (!folder_sd || !file_sd)
        error = ERROR_INVALID_SECURITY_DESCR;
    else if ((error = storage_make_directory(w->directory, folder_sd)))
        lstrcpynW(w->path, w->directory, MAX_PATH);
    else if ((w->file = storage_open_file(w->path, GENERIC_WRITE, FILE_SHARE_READ, CREATE_NEW,
                                          file_sd, &error)) == INVALID_HANDLE_VALUE &&
             error == ERROR_FILE_EXISTS)
        w->file = storage_open_file(w->path, GENERIC_WRITE, FILE_SHARE_READ, OPEN_EXISTING,
                                    file_sd, &error);
    LocalFree(folder_sd);
    LocalFree(file_sd);
    if (error)
        fail(w, "write captures to", error);
    return error;
}

/* Opens the file, at its end: capture started again in the same process
 * appends a new section. Puts the section and interface headers first. */
static BOOL open_file(struct writer *w)
{
    char comment[MAX_PATH * 3 + 96], description[MAX_PATH * 3 + 96];
    LARGE_INTEGER zero = { .QuadPart = 0 }, end;
    DWORD error;

    if (w->file != INVALID_HANDLE_VALUE)
        return TRUE;
    if (w->failed)
        return FALSE;
    if (!make_path(w)) {
        lstrcpynW(w->path, w->directory, MAX_PATH);
        fail(w, "make a file name in", ERROR_FILENAME_EXCED_RANGE);
        return FALSE;
    }
    if ((error = open_storage(w)))
        return FALSE;
    if (!SetFilePointerEx(w->file, zero, &end, FILE_END)) {
        fail(w, "append to", GetLastError());
        return FALSE;
    }
    w->base = (ULONGLONG)end.QuadPart;
    w->written = 0;
    limits_prune(w->directory, w->limits.max_total, w->path);
    snprintf(comment, sizeof(comment), "lspkit capture of %s, pid %lu", w->id->image_utf8,
             w->id->pid);
    snprintf(description, sizeof(description),
             "sends and receives of %s (pid %lu) through the lspkit layered provider",
             w->id->image_utf8, w->id->pid);
    pcapng_section(&w->out, comment, "Windows", "lspkit");
    pcapng_interface(&w->out, "lspkit", description);
    return TRUE;
}

/* A file that reached MaxFileMiB is closed and the process's next one
 * begun. Only with the buffer written out, so that no block is split and
 * every mark is in the file it names. FALSE when the next cannot be made. */
static BOOL next_file_if_full(struct writer *w)
{
    if (w->out.len || w->file == INVALID_HANDLE_VALUE || w->written < w->limits.max_file)
        return TRUE;
    CloseHandle(w->file);
    w->file = INVALID_HANDLE_VALUE;
    w->rotation++;
    return open_file(w);
}

/* Encodes the records from `r` on; before each, notes where its blocks
 * will begin, then that it is the one in hand (see writer.h). */
static void encode(struct writer *w, struct record *r)
{
    for (; r && !w->failed && next_file_if_full(w); r = r->next) {
        r->mark = w->written + w->out.complete;
        r->delivered_before = w->delivered;
        __atomic_store_n(&w->pending, r, __ATOMIC_RELEASE);
        packets_append(&w->out, w->id, r, &w->ip_id);
        if (w->out.failed)
            w->lost++;         /* no memory for its blocks: left out */
        else
            w->delivered++;
        if (w->out.failed || w->out.len >= FLUSH_BYTES)
            flush(w);
    }
    flush(w);
}

/* Writes a batch, then forgets it: `batch` first, so that an exit path
 * finding `pending` alone knows it was the last one written. */
static void write_records(struct writer *w, struct record *list)
{
    if (list && open_file(w))
        encode(w, list);
    __atomic_store_n(&w->batch, NULL, __ATOMIC_RELEASE);
    __atomic_store_n(&w->pending, NULL, __ATOMIC_RELEASE);
    if (!w->exiting)
        records_free(list);
}

/* What a killed writer had in hand: its batch from the record it was on
 * (or the one after, when that one's blocks were written already), or
 * from the start when it had not begun. The file's position says what
 * was written, should the kill have come inside WriteFile. */
static void resume(struct writer *w, struct record *batch)
{
    struct record *r = w->pending;
    LARGE_INTEGER zero = { .QuadPart = 0 }, position;

    w->out.len = w->out.complete;
    w->out.failed = FALSE;
    if (w->file != INVALID_HANDLE_VALUE &&
        SetFilePointerEx(w->file, zero, &position, FILE_CURRENT) &&
        (ULONGLONG)position.QuadPart - w->base != w->written) {
        w->written = (ULONGLONG)position.QuadPart - w->base;
        w->out.len = w->out.complete = 0;
    }
    if (!r) {
        write_records(w, batch);
        return;
    }
    if (r->mark >= w->written) {
        w->out.len = w->out.complete = (size_t)(r->mark - w->written);
        w->delivered = r->delivered_before;
    } else {
        w->out.len = w->out.complete = 0;
        w->delivered = r->delivered_before + 1;
        r = r->next;
    }
    write_records(w, r);
}

/* An ISB with the counts so far; `force` at the end, else only when they
 * changed and a second has passed. A drop alone opens the file, so that
 * it is counted somewhere. */
static void statistics(struct writer *w, BOOL force, ULONGLONG offered, ULONGLONG dropped)
{
    ULONGLONG now = clock_now();
    struct pcapng_stats s;

    if (w->failed)
        return;
    if (!force && (now - w->stats_time < STATS_INTERVAL ||
                   (w->delivered == w->stats_delivered && dropped + w->lost == w->stats_dropped)))
        return;
    if (w->file == INVALID_HANDLE_VALUE && !dropped && !w->lost)
        return;
    if (!open_file(w))
        return;
    s.start = w->started;
    s.end = now;
    s.received = offered;
    s.dropped = dropped + w->lost;
    s.delivered = w->delivered;
    pcapng_statistics(&w->out, now, &s);
    flush(w);
    w->stats_time = now;
    w->stats_delivered = w->delivered;
    w->stats_dropped = s.dropped;
}

static void close_file(struct writer *w)
{
    if (w->file != INVALID_HANDLE_VALUE)
        CloseHandle(w->file);
    w->file = INVALID_HANDLE_VALUE;
    if (!w->exiting)
        outbuf_free(&w->out);
}

static DWORD WINAPI writer_main(void *arg)
{
    struct writer *w = arg;
    ULONGLONG offered, dropped;
    BOOL closed = FALSE;

    while (!closed) {
        closed = queue_take(w->queue, WAKE_MS, &w->batch);
        write_records(w, w->batch);
        queue_counts(w->queue, &offered, &dropped);
        statistics(w, closed, offered, dropped);
    }
    close_file(w);
    SetEvent(w->done);
    FreeLibraryAndExitThread(w->module, 0);
}

BOOL writer_start(struct writer *w, volatile LONG *active, struct queue *queue,
                  const struct capture_identity *id, const WCHAR *directory,
                  const WCHAR *readers, const struct capture_limits *limits)
{
    ZeroMemory(w, sizeof(*w));
    w->active = active;
    w->queue = queue;
    w->id = id;
    lstrcpynW(w->directory, directory, MAX_PATH);
    lstrcpynW(w->readers, readers, ARRAYSIZE(w->readers));
    w->limits = *limits;
    w->file = INVALID_HANDLE_VALUE;
    w->started = w->stats_time = clock_now();
    /* Used by one thread at a time: the writer, or the exiting thread after it. */
    w->out.heap = HeapCreate(HEAP_NO_SERIALIZE, 0, 0);
    if (!w->out.heap)
        return FALSE;
    w->done = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!w->done)
        goto no_event;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCWSTR)(void *)writer_main,
                            &w->module))
        goto no_module;
    w->thread = CreateThread(NULL, 0, writer_main, w, 0, NULL);
    if (w->thread)
        return TRUE;
    FreeLibrary(w->module);
no_module:
    CloseHandle(w->done);
no_event:
    HeapDestroy(w->out.heap);
    return FALSE;
}

/* Process exit ended the thread: the rest is done here. The other threads
 * are gone too, so the queue and its counters are read without the lock a
 * dead thread may hold, and nothing is freed (nor allocated, but from the
 * buffer's own heap): the process heap's lock may be held as well. */
static void finish_for_dead_writer(struct writer *w)
{
    struct record *queued = queue_abandoned(w->queue), *batch = w->batch;

    w->exiting = TRUE;
    /* Killed between putting the records in `batch` and taking them out
     * of the queue: they are still queued. */
    if (batch == queued)
        batch = NULL;
    resume(w, batch);
    write_records(w, queued);
    statistics(w, TRUE, w->queue->offered, w->queue->dropped);
    close_file(w);
}

BOOL writer_killed(const struct writer *w)
{
    return WaitForSingleObject(w->thread, 0) == WAIT_OBJECT_0 &&
           WaitForSingleObject(w->done, 0) != WAIT_OBJECT_0;
}

BOOL writer_stop(struct writer *w)
{
    if (writer_killed(w)) {
        finish_for_dead_writer(w);
    } else {
        queue_close(w->queue);
        if (WaitForSingleObject(w->done, STOP_TIMEOUT_MS) != WAIT_OBJECT_0) {
            log_line("capture: the writer did not finish within %u s; records still queued "
                     "are lost", STOP_TIMEOUT_MS / 1000);
            return FALSE;
        }
    }
    CloseHandle(w->thread);
    CloseHandle(w->done);
    if (!w->exiting)
        HeapDestroy(w->out.heap);
    return TRUE;
}
