/* SPDX-License-Identifier: MIT */
/* Operations pended on non-IFS handles (pending.h).
 *
 * Each operation has a record, keyed by socket and WSAOVERLAPPED, from
 * pending_begin until its completion is delivered. The provider may
 * complete it at any moment after its call began - inside the call, or on
 * another thread before the pend has reached the driver - so the record
 * says who delivers:
 *  - ISSUING, IN_FLIGHT: the issuer; a completion arriving now is kept
 *    (FINISHED_EARLY) and delivered by the issuer once it knows whether
 *    the request was pended;
 *  - PENDED: whoever completes it, through the pended request;
 *  - ABANDONED: the provider could not cancel, so the front end ended the
 *    request itself; the provider's late completion is dropped.
 * A cancel that arrives while the pend is IN_FLIGHT is acted on by the
 * issuer once the request is PENDED.
 *
 * An operation with a completion routine is pended too, quietly (the
 * application's hEvent is its own, and the routine is the only report).
 * The provider reports it through its APC, not WPUCompleteOverlappedRequest:
 * it is given routine_done in place of the application's routine, which
 * ends the request and then runs the application's. Its record is kept in
 * a table of its own, by WSAOVERLAPPED (all routine_done is told), from
 * pending_begin until routine_done, whether or not it was pended:
 *  - AT_ONCE: done inside the call, or not pended; the routine is to come;
 *  - ROUTINE_RAN: the routine came inside the call; the issuer frees it. */
#define WIN32_NO_STATUS
#include <winsock2.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include "lspkit/cancel.h"
#include "pending.h"
#include "dispatch.h"
#include "cancel_listener.h"
#include "upcall_ifs.h"
#include "wsastatus.h"
#include "../common/hash.h"
#include "lspkit/trace.h"

enum pending_state {
    ISSUING,
    IN_FLIGHT,
    PENDED,
    FINISHED_EARLY,
    ABANDONED,
    AT_ONCE,
    ROUTINE_RAN,
};

struct pending {
    SOCKET socket;
    LPWSAOVERLAPPED overlapped;
    enum pending_state state;
    BOOL cancel_asked;            /* a cancel came while IN_FLIGHT */
    HANDLE issuer;                /* the issuing thread, whose thread Wine ties the
                                   * request to: a handle, for an operation with an
                                   * event (see fill_early_if_needed) */
    ULONGLONG listener;           /* whom the driver tells of a cancel */
    LONG status;                  /* FINISHED_EARLY's completion */
    DWORD count;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;   /* the application's */
    DWORD error, flags;           /* a routine's report that the issuer delivers */
    struct hash_link link;        /* on `table` or, with a routine, `routines` */
};

#define PENDING(l) CONTAINING_RECORD(l, struct pending, link)

/* Keyed by socket, so that the operations of one socket are found together. */
HASH_TABLE(table, 1024);
/* Operations with a completion routine, keyed by WSAOVERLAPPED. */
HASH_TABLE(routines, 1024);
static SRWLOCK table_lock = SRWLOCK_INIT;

/* The record of (s, overlapped) in `table`, or NULL. Under table_lock. */
static struct pending *find(SOCKET s, LPWSAOVERLAPPED overlapped)
{
    struct hash_link *link;

    for (link = hash_first(&table, (ULONG_PTR)s); link; link = hash_next(link))
        if (PENDING(link)->overlapped == overlapped)
            return PENDING(link);
    return NULL;
}

/* The routine operation on `overlapped`, or NULL. Under table_lock. */
static struct pending *find_routine(LPWSAOVERLAPPED overlapped)
{
    struct hash_link *link = hash_first(&routines, (ULONG_PTR)overlapped);

    return link ? PENDING(link) : NULL;
}

/* The record of (s, overlapped), whichever table holds it. Under table_lock. */
static struct pending *lookup(SOCKET s, LPWSAOVERLAPPED overlapped)
{
    struct pending *p = find(s, overlapped);

    if (!p) {
        p = find_routine(overlapped);
        if (p && p->socket != s)
            p = NULL;
    }
    return p;
}

/* Takes `p` out of its table. Under table_lock. */
static void unlink_record(struct pending *p)
{
    hash_remove(p->routine ? &routines : &table, &p->link);
}

static void free_record(struct pending *p)
{
    if (p->issuer)
        CloseHandle(p->issuer);
    HeapFree(GetProcessHeap(), 0, p);
}

/* The provider cannot cancel the operation: end it as a cancelled request
 * ends, unless its completion got there first. */
static void abandon(SOCKET s, LPWSAOVERLAPPED overlapped)
{
    struct pending *p;

    AcquireSRWLockExclusive(&table_lock);
    p = lookup(s, overlapped);
    if (p && p->state == PENDED)
        p->state = ABANDONED;
    else
        p = NULL;
    ReleaseSRWLockExclusive(&table_lock);
    if (p)
        upcall_ifs_complete_pended((HANDLE)s, overlapped, STATUS_CANCELLED, 0);
}

/* Asks the socket's provider to stop the operation (cancel.h). */
static void ask_provider(SOCKET s, LPWSAOVERLAPPED overlapped)
{
    struct dsocket *ds = dsocket_get(s);
    DWORD returned = 0;
    int error = 0, result = SOCKET_ERROR;

    if (ds && ds->provider)
        result = PROCS(ds)->lpWSPIoctl(s, SIO_LSPKIT_CANCEL, &overlapped, sizeof(overlapped),
                                       NULL, 0, &returned, NULL, NULL, dthread_current_id(),
                                       &error);
    if (ds)
        dsocket_release(ds);
    TRACE("cancel of overlapped %p on socket %#Ix: provider answered %d, error %d",
          (void *)overlapped, (ULONG_PTR)s, result, result ? error : 0);
    if (result != 0)
        abandon(s, overlapped);
}

/* The listener's callback: the request of (s, overlapped) was cancelled. */
static void on_cancel(SOCKET s, LPWSAOVERLAPPED overlapped)
{
    struct pending *p;
    BOOL ask = FALSE;

    AcquireSRWLockExclusive(&table_lock);
    p = lookup(s, overlapped);
    if (p && p->state == IN_FLIGHT)
        p->cancel_asked = TRUE;
    ask = p && p->state == PENDED;
    ReleaseSRWLockExclusive(&table_lock);
    if (ask)
        ask_provider(s, overlapped);
}

struct pending *pending_begin(struct dsocket *ds, LPWSAOVERLAPPED overlapped,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct pending *p, *stale;
    ULONGLONG listener;

    if (!overlapped || ds->ifs || !cancel_listener_start(on_cancel, &listener))
        return NULL;
    p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*p));
    if (!p)
        return NULL;
    p->socket = ds->handle;
    p->overlapped = overlapped;
    p->state = ISSUING;
    /* A handle, not an id: the id of a thread that has exited may already
     * be another thread's when the operation completes. */
    if (overlapped->hEvent)
        DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(),
                        &p->issuer, SYNCHRONIZE, FALSE, 0);
    p->listener = listener;
    p->routine = routine;
    AcquireSRWLockExclusive(&table_lock);
    /* A record left for the same WSAOVERLAPPED (an abandoned operation
     * whose provider never completed it) is of no use any more. */
    stale = routine ? find_routine(overlapped) : find(p->socket, overlapped);
    if (stale) {
        unlink_record(stale);
        free_record(stale);
    }
    if (routine)
        hash_add(&routines, &p->link, (ULONG_PTR)overlapped);
    else
        hash_add(&table, &p->link, (ULONG_PTR)p->socket);
    ReleaseSRWLockExclusive(&table_lock);
    return p;
}

/* Ends the issuer's part: the record is gone, and the completion the
 * provider already made (if any) is delivered, through the pended request
 * when there is one. */
static void deliver_early(struct pending *p, BOOL pended)
{
    if (p->state == FINISHED_EARLY) {
        if (pended)
            upcall_ifs_complete_pended((HANDLE)p->socket, p->overlapped, p->status, p->count);
        else
            upcall_ifs_complete((HANDLE)p->socket, p->overlapped, p->status, p->count);
    }
    free_record(p);
}

/* What the provider reports for an operation with a routine: the request
 * (if pended) ends with that result, then the application's routine runs.
 * The provider calls it in the issuing thread's APC, after the call. */
static void CALLBACK routine_done(DWORD error, DWORD count, LPWSAOVERLAPPED overlapped,
                                  DWORD flags)
{
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine = NULL;
    struct pending *p;
    BOOL pended = FALSE;
    SOCKET s = INVALID_SOCKET;

    AcquireSRWLockExclusive(&table_lock);
    p = find_routine(overlapped);
    switch (p ? p->state : ROUTINE_RAN) {
    case ISSUING:                 /* called inside the provider's call */
        p->state = ROUTINE_RAN;
        routine = p->routine;
        p = NULL;
        break;
    case IN_FLIGHT:               /* from another thread, while pending: the issuer delivers */
        p->state = FINISHED_EARLY;
        p->error = error;
        p->count = count;
        p->flags = flags;
        p = NULL;
        break;
    case ROUTINE_RAN:
    case FINISHED_EARLY:          /* none, or a second report: nothing to run */
        p = NULL;
        break;
    default:                      /* AT_ONCE, PENDED, ABANDONED */
        unlink_record(p);
        routine = p->routine;
        pended = p->state == PENDED;
        s = p->socket;
        break;
    }
    ReleaseSRWLockExclusive(&table_lock);
    if (pended)
        upcall_ifs_complete_pended((HANDLE)s, overlapped, status_of_wsa_error(error), count);
    if (p)
        free_record(p);
    if (routine)
        routine(error, count, overlapped, flags);
}

LPWSAOVERLAPPED_COMPLETION_ROUTINE pending_routine(const struct pending *p,
                                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return p && p->routine ? routine_done : routine;
}

/* pending_issued for an operation with a routine (see the top). */
static void routine_issued(struct pending *p, int result, int error)
{
    SOCKET s = p->socket;
    LPWSAOVERLAPPED overlapped = p->overlapped;
    /* Done at once: the routine is to come, as it is for a datagram cut
     * short (WSAEMSGSIZE, which completes as well). Any other failure
     * started nothing. */
    BOOL at_once = result == 0 || error == WSAEMSGSIZE;
    BOOL cancel, early;
    int pend_error;

    AcquireSRWLockExclusive(&table_lock);
    if (p->state == ROUTINE_RAN || (!at_once && error != WSA_IO_PENDING)) {
        /* Its routine ran already, or none will. */
        unlink_record(p);
        ReleaseSRWLockExclusive(&table_lock);
        free_record(p);
        return;
    }
    p->state = at_once ? AT_ONCE : IN_FLIGHT;
    ReleaseSRWLockExclusive(&table_lock);
    if (at_once)
        return;

    pend_error = upcall_ifs_pend((HANDLE)s, overlapped, TRUE, p->listener);

    AcquireSRWLockExclusive(&table_lock);
    early = p->state == FINISHED_EARLY;
    if (early)
        unlink_record(p);
    else
        p->state = pend_error ? AT_ONCE : PENDED;
    cancel = !early && !pend_error && p->cancel_asked;
    ReleaseSRWLockExclusive(&table_lock);
    if (early) {
        if (!pend_error)
            upcall_ifs_complete_pended((HANDLE)s, overlapped, status_of_wsa_error(p->error),
                                       p->count);
        p->routine(p->error, p->count, overlapped, p->flags);
        free_record(p);
        return;
    }
    if (cancel)
        ask_provider(s, overlapped);
}

void pending_issued(struct pending *p, int result, int error)
{
    SOCKET s;
    LPWSAOVERLAPPED overlapped;
    BOOL cancel;
    int pend_error;

    if (!p)
        return;
    if (p->routine) {
        routine_issued(p, result, error);
        return;
    }
    AcquireSRWLockExclusive(&table_lock);
    /* Completed inside the call, or nothing started (a failure, or a
     * success the provider completes without us: a socket without
     * WSA_FLAG_OVERLAPPED). */
    if (p->state == FINISHED_EARLY || result != SOCKET_ERROR || error != WSA_IO_PENDING) {
        unlink_record(p);
        ReleaseSRWLockExclusive(&table_lock);
        deliver_early(p, FALSE);
        return;
    }
    p->state = IN_FLIGHT;
    ReleaseSRWLockExclusive(&table_lock);

    pend_error = upcall_ifs_pend((HANDLE)p->socket, p->overlapped, FALSE, p->listener);

    AcquireSRWLockExclusive(&table_lock);
    if (pend_error || p->state == FINISHED_EARLY) {
        unlink_record(p);
        ReleaseSRWLockExclusive(&table_lock);
        deliver_early(p, !pend_error);
        return;
    }
    TRACE("overlapped %p on socket %#Ix: pending, a request on the handle", (void *)p->overlapped,
          (ULONG_PTR)p->socket);
    p->state = PENDED;
    cancel = p->cancel_asked;
    s = p->socket;
    overlapped = p->overlapped;
    /* From here the record belongs to whoever completes the request. */
    ReleaseSRWLockExclusive(&table_lock);
    if (cancel)
        ask_provider(s, overlapped);
}

/* Wine fills the WSAOVERLAPPED of a finished device request in the
 * thread that issued it; once that thread has exited, it signals the event
 * but leaves the block pending (a port packet carries its own copy). So the
 * front end fills it in first, for the program that waits on the event and
 * then reads the result, when the issuer may not: when it is gone, and when
 * the operation was cancelled - a cancel that the issuer's exit causes
 * comes while the thread is still exiting, not yet seen as gone, and it
 * may die before it fills the block (measured: 1 run in 20 of the C04
 * clause test read 996). The values are the ones the issuer would write, and they
 * are written before the event is set. */
static void fill_early_if_needed(const struct pending *p, LONG status, DWORD count)
{
    if (!p->overlapped->hEvent)
        return;
    /* Without a handle (none could be made) the issuer is taken as gone:
     * the program then reads the result it waited for. */
    if (status != STATUS_CANCELLED && p->issuer &&
        WaitForSingleObject(p->issuer, 0) == WAIT_TIMEOUT)
        return;
    p->overlapped->InternalHigh = count;
    MemoryBarrier();
    p->overlapped->Internal = (ULONG_PTR)(ULONG)status;
}

BOOL pending_complete(SOCKET s, LPWSAOVERLAPPED overlapped, LONG status, DWORD count,
                      int *result)
{
    struct pending *p;

    *result = 0;
    AcquireSRWLockExclusive(&table_lock);
    p = find(s, overlapped);
    if (!p) {
        ReleaseSRWLockExclusive(&table_lock);
        return FALSE;
    }
    switch (p->state) {
    case ISSUING:
    case IN_FLIGHT:
        p->state = FINISHED_EARLY;
        p->status = status;
        p->count = count;
        p = NULL;
        break;
    case FINISHED_EARLY:
    case AT_ONCE:                 /* routine states: never in this table */
    case ROUTINE_RAN:
        *result = WSAEINVAL;          /* completed twice */
        p = NULL;
        break;
    case PENDED:
    case ABANDONED:
        unlink_record(p);
        break;
    }
    ReleaseSRWLockExclusive(&table_lock);
    if (!p)
        return TRUE;
    TRACE("overlapped %p on socket %#Ix: completed, status %#lx, %lu bytes%s",
          (void *)overlapped, (ULONG_PTR)s, (unsigned long)status, count,
          p->state == ABANDONED ? " (dropped: already ended as cancelled)" : "");
    if (p->state == PENDED) {
        fill_early_if_needed(p, status, count);
        *result = upcall_ifs_complete_pended((HANDLE)s, overlapped, status, count);
    }
    free_record(p);
    return TRUE;
}

void pending_forget(SOCKET s)
{
    struct hash_link *link, *next;

    AcquireSRWLockExclusive(&table_lock);
    /* Records still in their issuer's hands are the issuer's to free. */
    for (link = hash_first(&table, (ULONG_PTR)s); link; link = next) {
        struct pending *p = PENDING(link);

        next = hash_next(link);
        if (p->state == PENDED || p->state == ABANDONED) {
            unlink_record(p);
            free_record(p);
        }
    }
    ReleaseSRWLockExclusive(&table_lock);
}
