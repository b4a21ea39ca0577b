/* SPDX-License-Identifier: MIT */
/* Pended requests and cancel listeners (see lspkit_ifs.h).
 *
 * A pended request is completed by exactly one of: a keyed completion from
 * the front end, the cleanup of its handle, or - when nobody listens for
 * its cancel - the cancel itself. Whoever takes it off `requests` under
 * `lock` completes it. A cancel only queues the request on its listener,
 * leaving it on `requests`: the provider decides what it completes with.
 *
 * The cancel routine runs with the system cancel lock held and takes
 * `lock` inside it; the completing side takes `lock`, lets go of it, then
 * takes the cancel lock to clear the routine. So a request found on
 * `requests` by a cancel routine cannot be completed under it. */
#include "pended.h"

/* "lspk", read backwards in a pool dump. */
#define POOL_TAG 0x6b70736cu

struct pended {
    LIST_ENTRY entry;             /* in `requests` */
    LIST_ENTRY cancel_entry;      /* in its listener's `cancelled`, when queued */
    BOOLEAN cancel_queued;
    IRP *irp;
    FILE_OBJECT *file;
    struct lspkit_ifs_pend pend;
};

struct listener {
    LIST_ENTRY entry;             /* in `listeners` */
    FILE_OBJECT *file;
    ULONGLONG id;
    LIST_ENTRY cancelled;         /* struct pended, by cancel_entry */
    IRP *waiting;                 /* a WAIT_CANCELS request, pending */
};

static KSPIN_LOCK lock;
static LIST_ENTRY requests;
static LIST_ENTRY listeners;
static ULONGLONG last_listener_id;

void pended_init(void)
{
    KeInitializeSpinLock(&lock);
    InitializeListHead(&requests);
    InitializeListHead(&listeners);
}

NTSTATUS ifs_finish(IRP *irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

/* Takes the cancel routine off an IRP this driver owns again, so that a
 * cancel arriving now finds nothing to call. */
static void clear_cancel_routine(IRP *irp)
{
    KIRQL irql;

    IoAcquireCancelSpinLock(&irql);
    IoSetCancelRoutine(irp, NULL);
    IoReleaseCancelSpinLock(irql);
}

static struct pended *find_request(FILE_OBJECT *file, ULONGLONG key, IRP *irp)
{
    LIST_ENTRY *e;

    for (e = requests.Flink; e != &requests; e = e->Flink) {
        struct pended *p = CONTAINING_RECORD(e, struct pended, entry);

        if (irp ? p->irp == irp : (p->file == file && p->pend.key == key))
            return p;
    }
    return NULL;
}

static struct listener *find_listener(FILE_OBJECT *file, ULONGLONG id)
{
    LIST_ENTRY *e;

    for (e = listeners.Flink; e != &listeners; e = e->Flink) {
        struct listener *l = CONTAINING_RECORD(e, struct listener, entry);

        if (file ? l->file == file : l->id == id)
            return l;
    }
    return NULL;
}

/* Moves queued cancels into a WAIT_CANCELS request's buffer; the count of
 * bytes written. Under `lock`. */
static ULONG_PTR take_cancels(struct listener *l, IRP *irp)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);
    struct lspkit_ifs_cancel *out = irp->AssociatedIrp.SystemBuffer;
    ULONG room = stack->Parameters.DeviceIoControl.OutputBufferLength / sizeof(*out);
    ULONG n = 0;

    while (n < room && !IsListEmpty(&l->cancelled)) {
        struct pended *p = CONTAINING_RECORD(RemoveHeadList(&l->cancelled), struct pended,
                                             cancel_entry);

        p->cancel_queued = FALSE;
        out[n].socket = p->pend.socket;
        out[n].key = p->pend.key;
        n++;
    }
    return n * sizeof(*out);
}

/* What a cancel leaves to be completed once `lock` is released. */
struct cancel_outcome {
    struct pended *abandoned;     /* no listener: cancelled outright */
    IRP *woken;                   /* the listener's wait, now with entries */
    ULONG_PTR woken_bytes;
};

/* A cancel of `p` (under `lock`): told to its listener, or, without one,
 * the end of the request. */
static void cancel_request(struct pended *p, struct cancel_outcome *out)
{
    struct listener *l = find_listener(NULL, p->pend.listener);

    if (!l) {
        RemoveEntryList(&p->entry);
        out->abandoned = p;
        return;
    }
    if (!p->cancel_queued) {
        InsertTailList(&l->cancelled, &p->cancel_entry);
        p->cancel_queued = TRUE;
    }
    if (l->waiting && IoSetCancelRoutine(l->waiting, NULL)) {
        out->woken = l->waiting;
        out->woken_bytes = take_cancels(l, out->woken);
        l->waiting = NULL;
    }
}

static void finish_outcome(const struct cancel_outcome *out)
{
    if (out->abandoned) {
        ifs_finish(out->abandoned->irp, STATUS_CANCELLED, 0);
        ExFreePool(out->abandoned);
    }
    if (out->woken)
        ifs_finish(out->woken, STATUS_SUCCESS, out->woken_bytes);
}

static void WINAPI cancel_pended(DEVICE_OBJECT *device, IRP *irp)
{
    struct cancel_outcome out = { 0 };
    KIRQL cancel_irql = irp->CancelIrql, irql;
    struct pended *p;

    (void)device;
    KeAcquireSpinLock(&lock, &irql);
    p = find_request(NULL, 0, irp);
    if (p)
        cancel_request(p, &out);
    KeReleaseSpinLock(&lock, irql);
    IoReleaseCancelSpinLock(cancel_irql);
    finish_outcome(&out);
}

NTSTATUS pended_pend(IRP *irp, FILE_OBJECT *file, const struct lspkit_ifs_pend *pend)
{
    struct pended *p = ExAllocatePoolWithTag(NonPagedPool, sizeof(*p), POOL_TAG);
    struct cancel_outcome out = { 0 };
    KIRQL irql;

    if (!p)
        return ifs_finish(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    RtlZeroMemory(p, sizeof(*p));
    p->irp = irp;
    p->file = file;
    p->pend = *pend;
    IoMarkIrpPending(irp);
    KeAcquireSpinLock(&lock, &irql);
    InsertTailList(&requests, &p->entry);
    IoSetCancelRoutine(irp, cancel_pended);
    /* Cancelled before the routine was in place: nobody will call it. */
    if (irp->Cancel && IoSetCancelRoutine(irp, NULL))
        cancel_request(p, &out);
    KeReleaseSpinLock(&lock, irql);
    finish_outcome(&out);
    return STATUS_PENDING;
}

NTSTATUS pended_complete(IRP *irp, FILE_OBJECT *file,
                         const struct lspkit_ifs_keyed_completion *keyed)
{
    struct pended *p;
    KIRQL irql;

    KeAcquireSpinLock(&lock, &irql);
    p = find_request(file, keyed->key, NULL);
    if (p) {
        RemoveEntryList(&p->entry);
        if (p->cancel_queued)
            RemoveEntryList(&p->cancel_entry);
    }
    KeReleaseSpinLock(&lock, irql);
    if (!p)
        return ifs_finish(irp, STATUS_NOT_FOUND, 0);
    clear_cancel_routine(p->irp);
    ifs_finish(p->irp, keyed->completion.status, (ULONG_PTR)keyed->completion.information);
    ExFreePool(p);
    return ifs_finish(irp, STATUS_SUCCESS, 0);
}

NTSTATUS pended_listen(IRP *irp, FILE_OBJECT *file)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);
    struct listener *l, *fresh;
    ULONGLONG id;
    KIRQL irql;

    if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(id))
        return ifs_finish(irp, STATUS_BUFFER_TOO_SMALL, 0);
    fresh = ExAllocatePoolWithTag(NonPagedPool, sizeof(*fresh), POOL_TAG);
    if (!fresh)
        return ifs_finish(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    RtlZeroMemory(fresh, sizeof(*fresh));
    KeAcquireSpinLock(&lock, &irql);
    l = find_listener(file, 0);
    if (!l) {
        l = fresh;
        fresh = NULL;
        l->file = file;
        l->id = ++last_listener_id;
        InitializeListHead(&l->cancelled);
        InsertTailList(&listeners, &l->entry);
    }
    id = l->id;
    KeReleaseSpinLock(&lock, irql);
    if (fresh)
        ExFreePool(fresh);
    RtlCopyMemory(irp->AssociatedIrp.SystemBuffer, &id, sizeof(id));
    return ifs_finish(irp, STATUS_SUCCESS, sizeof(id));
}

static void WINAPI cancel_wait(DEVICE_OBJECT *device, IRP *irp)
{
    KIRQL cancel_irql = irp->CancelIrql, irql;
    LIST_ENTRY *e;
    BOOLEAN found = FALSE;

    (void)device;
    KeAcquireSpinLock(&lock, &irql);
    for (e = listeners.Flink; e != &listeners && !found; e = e->Flink) {
        struct listener *l = CONTAINING_RECORD(e, struct listener, entry);

        if (l->waiting == irp) {
            l->waiting = NULL;
            found = TRUE;
        }
    }
    KeReleaseSpinLock(&lock, irql);
    IoReleaseCancelSpinLock(cancel_irql);
    if (found)
        ifs_finish(irp, STATUS_CANCELLED, 0);
}

NTSTATUS pended_wait_cancels(IRP *irp, FILE_OBJECT *file)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);
    struct listener *l;
    ULONG_PTR bytes = 0;
    NTSTATUS status = STATUS_PENDING;
    BOOLEAN cancelled = FALSE;
    KIRQL irql;

    if (stack->Parameters.DeviceIoControl.OutputBufferLength < sizeof(struct lspkit_ifs_cancel))
        return ifs_finish(irp, STATUS_BUFFER_TOO_SMALL, 0);
    KeAcquireSpinLock(&lock, &irql);
    l = find_listener(file, 0);
    if (!l) {
        status = STATUS_INVALID_DEVICE_REQUEST;
    } else if (l->waiting) {
        status = STATUS_DEVICE_BUSY;      /* one wait at a time */
    } else if ((bytes = take_cancels(l, irp))) {
        status = STATUS_SUCCESS;
    } else {
        IoMarkIrpPending(irp);
        l->waiting = irp;
        IoSetCancelRoutine(irp, cancel_wait);
        /* Cancelled before the routine was in place: nobody will call it. */
        cancelled = irp->Cancel && IoSetCancelRoutine(irp, NULL);
        if (cancelled)
            l->waiting = NULL;
    }
    KeReleaseSpinLock(&lock, irql);
    if (status != STATUS_PENDING)
        return ifs_finish(irp, status, bytes);
    if (cancelled)
        ifs_finish(irp, STATUS_CANCELLED, 0);
    return STATUS_PENDING;
}

/* Moves every request of `file`, and every request whose cancel waits on
 * listener `l` (nobody will act on it now), to `out`. Under `lock`. */
static void take_orphans(FILE_OBJECT *file, struct listener *l, LIST_ENTRY *out)
{
    LIST_ENTRY *e, *next;

    for (e = requests.Flink; e != &requests; e = next) {
        struct pended *p = CONTAINING_RECORD(e, struct pended, entry);

        next = e->Flink;
        if (p->file != file && !(l && p->cancel_queued && p->pend.listener == l->id))
            continue;
        RemoveEntryList(&p->entry);
        if (p->cancel_queued)
            RemoveEntryList(&p->cancel_entry);
        InsertTailList(out, &p->entry);
    }
}

void pended_cleanup(FILE_OBJECT *file)
{
    struct listener *l;
    LIST_ENTRY orphans;
    IRP *waiting = NULL;
    KIRQL irql;

    InitializeListHead(&orphans);
    KeAcquireSpinLock(&lock, &irql);
    l = find_listener(file, 0);
    if (l) {
        RemoveEntryList(&l->entry);
        waiting = l->waiting;
    }
    take_orphans(file, l, &orphans);
    KeReleaseSpinLock(&lock, irql);
    while (!IsListEmpty(&orphans)) {
        struct pended *p = CONTAINING_RECORD(RemoveHeadList(&orphans), struct pended, entry);

        clear_cancel_routine(p->irp);
        ifs_finish(p->irp, STATUS_CANCELLED, 0);
        ExFreePool(p);
    }
    if (waiting) {
        clear_cancel_routine(waiting);
        ifs_finish(waiting, STATUS_CANCELLED, 0);
    }
    if (l)
        ExFreePool(l);
}
