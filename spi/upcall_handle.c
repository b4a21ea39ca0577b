/* SPDX-License-Identifier: MIT */
/* Socket handles for providers: WPUCreateSocketHandle, WPUCloseSocketHandle,
 * WPUQuerySocketHandleContext (non-IFS providers) and WPUModifyIFSHandle
 * (IFS providers, whose own handles are real already).
 *
 * A non-IFS handle is a file handle on lspkit_ifs.sys's device: a real,
 * unique handle an application can bind to a completion port, on which
 * WPUCompleteOverlappedRequest later delivers completions. */
#include "upcall_parts.h"
#include "dsocket.h"
#include "pending.h"

/* How long a close waits for completions already sent to the driver; they
 * take tens of microseconds, so this bounds only a wedged winedevice. */
#define FLUSH_TIMEOUT_MS 5000

/* The registered non-IFS socket `s`, referenced; NULL when `s` is not one. */
static struct dsocket *get_created(SOCKET s)
{
    struct dsocket *ds = dsocket_get(s);

    if (ds && ds->ifs) {
        dsocket_release(ds);
        return NULL;
    }
    return ds;
}

static SOCKET WSPAPI create_socket_handle(DWORD catalog_id, DWORD_PTR context, LPINT err)
{
    HANDLE handle = upcall_ifs_open();
    int error;

    if (handle == INVALID_HANDLE_VALUE) {
        *err = WSAENOBUFS;
        return INVALID_SOCKET;
    }
    error = dsocket_register((SOCKET)handle, catalog_id, context, FALSE);
    if (error) {
        CloseHandle(handle);
        *err = error;
        return INVALID_SOCKET;
    }
    return (SOCKET)handle;
}

/* A flush that did not arrive in time: Wine still writes its WSAOVERLAPPED
 * when it does, so that and the event live until then, and are freed by
 * the pool's wait. `state` tells which of the registration and the arrival
 * came last: that one frees. */
struct late_flush {
    LPWSAOVERLAPPED overlapped;
    HANDLE event;
    HANDLE wait;
    volatile LONG state;          /* 0, then 1 registered, 2 arrived */
};

static void free_late_flush(struct late_flush *f)
{
    UnregisterWait(f->wait);      /* from inside its callback: returns at once */
    CloseHandle(f->event);
    HeapFree(GetProcessHeap(), 0, f->overlapped);
    HeapFree(GetProcessHeap(), 0, f);
}

static void CALLBACK late_flush_arrived(void *arg, BOOLEAN timed_out)
{
    struct late_flush *f = arg;

    (void)timed_out;
    if (InterlockedExchange(&f->state, 2) == 1)
        free_late_flush(f);
}

/* FALSE when the pool cannot wait for them: they are then left to the
 * flush, a small leak rather than memory it could still write to. */
static BOOL free_on_arrival(LPWSAOVERLAPPED overlapped, HANDLE event)
{
    struct late_flush *f = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*f));

    if (!f)
        return FALSE;
    f->overlapped = overlapped;
    f->event = event;
    if (!RegisterWaitForSingleObject(&f->wait, event, late_flush_arrived, f, INFINITE,
                                     WT_EXECUTEONLYONCE)) {
        HeapFree(GetProcessHeap(), 0, f);
        return FALSE;
    }
    if (InterlockedExchange(&f->state, 1) == 2)
        free_late_flush(f);
    return TRUE;
}

/* WPUCompleteOverlappedRequest returns before its completion is delivered:
 * winedevice finishes the request. Closing the handle right after could lose
 * completions still on their way, so one last request, with no port packet
 * (low bit of hEvent set), is sent and waited for; the driver completes
 * requests in order, so every earlier one has been delivered by then. This
 * is the one flush: a provider need not make its own before it closes a
 * handle, as it need not on Windows. */
static void flush_completions(HANDLE handle)
{
    LPWSAOVERLAPPED overlapped = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY,
                                           sizeof(*overlapped));
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (overlapped && event) {
        overlapped->hEvent = (HANDLE)((ULONG_PTR)event | 1);
        if (upcall_ifs_complete(handle, overlapped, 0, 0) == 0 &&
            WaitForSingleObject(event, FLUSH_TIMEOUT_MS) != WAIT_OBJECT_0) {
            free_on_arrival(overlapped, event);
            return;
        }
    }
    HeapFree(GetProcessHeap(), 0, overlapped);
    if (event)
        CloseHandle(event);
}

static int WSPAPI close_socket_handle(SOCKET s, LPINT err)
{
    struct dsocket *ds = get_created(s);

    if (!ds) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    flush_completions((HANDLE)s);
    pending_forget(s);
    /* Unregistered before the handle value can be reused by CloseHandle. */
    dsocket_unregister_record(ds);
    dsocket_release(ds);
    CloseHandle((HANDLE)s);
    return 0;
}

static int WSPAPI query_socket_handle_context(SOCKET s, PDWORD_PTR context, LPINT err)
{
    struct dsocket *ds;

    if (!context) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    ds = get_created(s);
    if (!ds) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    *context = ds->context;
    dsocket_release(ds);
    return 0;
}

static SOCKET WSPAPI modify_ifs_handle(DWORD catalog_id, SOCKET proposed, LPINT err)
{
    int error;

    if (proposed == INVALID_SOCKET || proposed == 0) {
        *err = WSAEINVAL;
        return INVALID_SOCKET;
    }
    error = dsocket_register(proposed, catalog_id, 0, TRUE);
    if (error) {
        *err = error;
        return INVALID_SOCKET;
    }
    return proposed;
}

void upcall_fill_handles(WSPUPCALLTABLE *table)
{
    table->lpWPUCreateSocketHandle = create_socket_handle;
    table->lpWPUCloseSocketHandle = close_socket_handle;
    table->lpWPUQuerySocketHandleContext = query_socket_handle_context;
    table->lpWPUModifyIFSHandle = modify_ifs_handle;
}
