/* SPDX-License-Identifier: MIT */
/* The cancel listener: one thread per process, waiting in the driver. */
#include "cancel_listener.h"
#include "upcall_ifs.h"

/* Cancels taken per wait: one wait drains a burst (a closing program
 * cancels everything at once). */
#define CANCELS_PER_WAIT 64

static INIT_ONCE start_once = INIT_ONCE_STATIC_INIT;
static HANDLE listener;
static ULONGLONG listener_id;
static cancel_callback callback;

static DWORD WINAPI listen_main(void *arg)
{
    struct lspkit_ifs_cancel cancels[CANCELS_PER_WAIT];
    DWORD count, i;

    (void)arg;
    while ((count = upcall_ifs_wait_cancels(listener, cancels, CANCELS_PER_WAIT)))
        for (i = 0; i < count; i++)
            callback((SOCKET)cancels[i].socket, (LPWSAOVERLAPPED)(ULONG_PTR)cancels[i].key);
    return 0;
}

/* The thread runs our code until the process ends, so this module stays
 * loaded until then: a FreeLibrary of ws2_32 must not unmap it. */
static BOOL pin_module(void)
{
    HMODULE self;

    return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                              GET_MODULE_HANDLE_EX_FLAG_PIN, (LPCWSTR)(void *)listen_main,
                              &self);
}

static BOOL CALLBACK start(INIT_ONCE *once, void *param, void **context)
{
    HANDLE thread;

    (void)once; (void)context;
    callback = (cancel_callback)param;
    listener = upcall_ifs_listen(&listener_id);
    if (!listener)
        return FALSE;
    thread = pin_module() ? CreateThread(NULL, 0, listen_main, NULL, 0, NULL) : NULL;
    if (!thread) {
        CloseHandle(listener);
        listener = NULL;
        return FALSE;
    }
    CloseHandle(thread);
    return TRUE;
}

BOOL cancel_listener_start(cancel_callback on_cancel, ULONGLONG *id)
{
    if (!InitOnceExecuteOnce(&start_once, start, (void *)on_cancel, NULL))
        return FALSE;
    *id = listener_id;
    return TRUE;
}
