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

/* WPUCompleteOverlappedRequest returns before its completion is delivered:
 * winedevice finishes the request. Closing the handle right after could lose
 * completions still on their way, so one last request, with no port packet
 * (low bit of hEvent set), is sent and waited for; the driver completes
 * requests in order, so every earlier one has been delivered by then. */
static void flush_completions(HANDLE handle)
{
    WSAOVERLAPPED overlapped = { 0 };
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (!event)
        return;
    overlapped.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    if (upcall_ifs_complete(handle, &overlapped, 0, 0) == 0)
        WaitForSingleObject(event, FLUSH_TIMEOUT_MS);
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
