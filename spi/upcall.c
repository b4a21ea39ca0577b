/* SPDX-License-Identifier: MIT */
/* The WSPUPCALLTABLE handed to every provider's WSPStartup, and the upcalls
 * that are thin wrappers over Win32: events, WPUPostMessage, WPUFDIsSet.
 * The others live in upcall_*.c, one file per concern. */
#include "upcall.h"
#include "upcall_parts.h"

/* Events are what WSACreateEvent makes: manual-reset, initially clear. */
static WSAEVENT WSPAPI create_event(LPINT err)
{
    WSAEVENT event = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (!event)
        *err = WSA_NOT_ENOUGH_MEMORY;
    return event;
}

static BOOL WSPAPI close_event(WSAEVENT event, LPINT err)
{
    if (!CloseHandle(event)) {
        *err = WSA_INVALID_HANDLE;
        return FALSE;
    }
    return TRUE;
}

static BOOL WSPAPI set_event(WSAEVENT event, LPINT err)
{
    if (!SetEvent(event)) {
        *err = WSA_INVALID_HANDLE;
        return FALSE;
    }
    return TRUE;
}

static BOOL WSPAPI reset_event(WSAEVENT event, LPINT err)
{
    if (!ResetEvent(event)) {
        *err = WSA_INVALID_HANDLE;
        return FALSE;
    }
    return TRUE;
}

/* WSAAsyncSelect notifications a provider sends on the application's behalf. */
static BOOL WSPAPI post_message(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    return PostMessageW(window, message, wparam, lparam);
}

/* __WSAFDIsSet: nonzero when `s` is in the set. A provider's set may be
 * larger than FD_SETSIZE (an application may define its own), so fd_count
 * is trusted as the set's size. */
static int WSPAPI fd_is_set(SOCKET s, fd_set *set)
{
    u_int i;

    if (!set)
        return 0;
    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s)
            return 1;
    return 0;
}

void upcall_fill_table(WSPUPCALLTABLE *table)
{
    table->lpWPUCreateEvent = create_event;
    table->lpWPUCloseEvent = close_event;
    table->lpWPUSetEvent = set_event;
    table->lpWPUResetEvent = reset_event;
    table->lpWPUPostMessage = post_message;
    table->lpWPUFDIsSet = fd_is_set;
    upcall_fill_handles(table);
    upcall_fill_threads(table);
    upcall_fill_blocking(table);
    upcall_fill_path(table);
}
