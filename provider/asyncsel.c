/* SPDX-License-Identifier: MIT */
/* WSPAsyncSelect through a hidden message-only window of ours, served by
 * its own thread, and a registry from lower sockets to our contexts. */
#include <stdlib.h>
#include "lsp.h"
#include "asyncsel.h"
#include "../common/hash.h"

#define ASYNC_MESSAGE (WM_APP + 1)
#define ASYNC_CLASS L"lspkit-asyncselect"

/* One socket's WSPAsyncSelect target, kept here rather than in its context:
 * a registration references its context until it is forgotten. */
struct registration {
    struct context *ctx;
    HWND window;
    UINT message;
    struct hash_link link;        /* on the registry, keyed by the lower socket */
};

#define REGISTRATION(l) CONTAINING_RECORD(l, struct registration, link)

HASH_TABLE(registry, 256);
static SRWLOCK registry_lock = SRWLOCK_INIT;

static SRWLOCK window_lock = SRWLOCK_INIT;
static HWND window;
static HANDLE window_thread;

/* The registration of the socket whose lower socket is `lower`; under
 * registry_lock. */
static struct registration *find(SOCKET lower)
{
    struct hash_link *link = hash_first(&registry, (ULONG_PTR)lower);

    return link ? REGISTRATION(link) : NULL;
}

/* `ctx`'s own registration, not a stale one for the same lower handle
 * value; under registry_lock. */
static struct registration *find_context(const struct context *ctx)
{
    struct registration *reg = find(ctx->lower);

    return reg && reg->ctx == ctx ? reg : NULL;
}

/* Under registry_lock, exclusive. */
static void unlink_registration(struct registration *gone)
{
    hash_remove(&registry, &gone->link);
    context_release(gone->ctx);
    free(gone);
}

/* Under registry_lock, exclusive. A stale entry for the same lower handle
 * value (a socket closed and the value reused) goes first. FALSE when
 * there is no memory for a new registration. */
static BOOL link_context(struct context *ctx, HWND target, UINT message)
{
    struct registration *reg = find(ctx->lower);

    if (reg && reg->ctx != ctx) {
        unlink_registration(reg);
        reg = NULL;
    }
    if (!reg) {
        if (!(reg = calloc(1, sizeof(*reg))))
            return FALSE;
        context_addref(ctx);
        reg->ctx = ctx;
        hash_add(&registry, &reg->link, (ULONG_PTR)ctx->lower);
    }
    reg->window = target;
    reg->message = message;
    return TRUE;
}

static LRESULT CALLBACK window_proc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    struct registration *reg;

    if (message == ASYNC_MESSAGE) {
        AcquireSRWLockShared(&registry_lock);
        reg = find((SOCKET)wparam);
        if (reg)
            lsp_upcalls.lpWPUPostMessage(reg->window, reg->message, (WPARAM)reg->ctx->app,
                                         lparam);
        ReleaseSRWLockShared(&registry_lock);
        return 0;
    }
    if (message == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(hwnd, message, wparam, lparam);
}

static DWORD WINAPI window_main(void *ready)
{
    WNDCLASSW cls = { 0 };
    MSG msg;

    cls.lpfnWndProc = window_proc;
    cls.hInstance = lsp_module;
    cls.lpszClassName = ASYNC_CLASS;
    RegisterClassW(&cls);
    window = CreateWindowExW(0, ASYNC_CLASS, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, lsp_module,
                             NULL);
    SetEvent(ready);
    if (!window)
        return 1;
    while (GetMessageW(&msg, NULL, 0, 0) > 0)
        DispatchMessageW(&msg);
    return 0;
}

/* Our window, created with its thread on first use; NULL if it cannot be. */
static HWND get_window(void)
{
    HANDLE ready;

    AcquireSRWLockExclusive(&window_lock);
    if (!window_thread && (ready = CreateEventW(NULL, TRUE, FALSE, NULL))) {
        window_thread = CreateThread(NULL, 0, window_main, ready, 0, NULL);
        if (window_thread)
            WaitForSingleObject(ready, INFINITE);
        CloseHandle(ready);
    }
    ReleaseSRWLockExclusive(&window_lock);
    return window;
}

int WSPAPI WSPAsyncSelect(SOCKET s, HWND hWnd, unsigned int wMsg, __LONG32 lEvent,
                          LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    struct registration *reg;
    HWND ours;
    int result, ignored;

    if (!ctx)
        return SOCKET_ERROR;
    ours = get_window();
    if (!ours) {
        context_release(ctx);
        return lsp_fail(lpErrno, WSAENOBUFS);
    }
    /* Held across the lower call: notifications it posts at once wait for
     * the registration. */
    AcquireSRWLockExclusive(&registry_lock);
    result = LOWER(ctx)->lpWSPAsyncSelect(ctx->lower, ours, ASYNC_MESSAGE, lEvent, lpErrno);
    /* The lower socket is non-blocking now, as WSPEventSelect makes it,
     * even if the registration below fails. */
    if (result == 0 && lEvent)
        ctx->known_blocking = FALSE;
    if (result == 0 && lEvent && !link_context(ctx, hWnd, wMsg)) {
        /* Nothing would pass the lower provider's notifications on. */
        LOWER(ctx)->lpWSPAsyncSelect(ctx->lower, ours, 0, 0, &ignored);
        result = lsp_fail(lpErrno, WSAENOBUFS);
    } else if (result == 0 && !lEvent && (reg = find_context(ctx))) {
        unlink_registration(reg);
    }
    ReleaseSRWLockExclusive(&registry_lock);
    context_release(ctx);
    return result;
}

BOOL asyncsel_accept_begin(struct context *listener)
{
    AcquireSRWLockExclusive(&registry_lock);
    if (find_context(listener))
        return TRUE;
    ReleaseSRWLockExclusive(&registry_lock);
    return FALSE;
}

void asyncsel_accept_end(struct context *listener, struct context *accepted, BOOL held)
{
    struct registration *reg;

    if (!held)
        return;
    /* Without memory for its registration, the accepted socket's
     * notifications are not passed on: it behaves as a socket without
     * WSPAsyncSelect, which the application can still call. */
    if (accepted && (reg = find_context(listener)))
        link_context(accepted, reg->window, reg->message);
    ReleaseSRWLockExclusive(&registry_lock);
}

void asyncsel_forget(struct context *ctx)
{
    struct registration *reg;

    AcquireSRWLockExclusive(&registry_lock);
    if ((reg = find_context(ctx)))
        unlink_registration(reg);
    ReleaseSRWLockExclusive(&registry_lock);
}

/* Every socket is closed by now; registrations left (of sockets whose
 * close failed) go with the window. */
static void forget_all(void)
{
    struct hash_link *link;

    AcquireSRWLockExclusive(&registry_lock);
    while ((link = hash_any(&registry)))
        unlink_registration(REGISTRATION(link));
    ReleaseSRWLockExclusive(&registry_lock);
}

void asyncsel_stop(void)
{
    AcquireSRWLockExclusive(&window_lock);
    if (window_thread) {
        if (window)
            PostMessageW(window, WM_CLOSE, 0, 0);
        WaitForSingleObject(window_thread, INFINITE);
        CloseHandle(window_thread);
        UnregisterClassW(ASYNC_CLASS, lsp_module);
        window_thread = NULL;
        window = NULL;
    }
    ReleaseSRWLockExclusive(&window_lock);
    forget_all();
}
