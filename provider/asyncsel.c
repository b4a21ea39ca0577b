/* SPDX-License-Identifier: MIT */
/* WSPAsyncSelect through a hidden message-only window of ours, served by
 * its own thread, and a registry from lower sockets to our contexts. */
#include "lsp.h"
#include "asyncsel.h"

#define ASYNC_MESSAGE (WM_APP + 1)
#define ASYNC_BUCKETS 256
#define ASYNC_CLASS L"lspkit-asyncselect"

static struct context *registry[ASYNC_BUCKETS];
static SRWLOCK registry_lock = SRWLOCK_INIT;

static SRWLOCK window_lock = SRWLOCK_INIT;
static HWND window;
static HANDLE window_thread;

static size_t bucket(SOCKET lower)
{
    return (size_t)(((ULONG_PTR)lower >> 2) % ASYNC_BUCKETS);
}

static struct context *find(SOCKET lower)
{
    struct context *ctx;

    for (ctx = registry[bucket(lower)]; ctx; ctx = ctx->async_next)
        if (ctx->lower == lower)
            return ctx;
    return NULL;
}

/* Under registry_lock, exclusive. */
static void unlink_context(struct context *ctx)
{
    struct context **p;

    for (p = &registry[bucket(ctx->lower)]; *p; p = &(*p)->async_next) {
        if (*p == ctx) {
            *p = ctx->async_next;
            ctx->async_registered = FALSE;
            context_release(ctx);
            return;
        }
    }
}

/* Under registry_lock, exclusive. A stale entry for the same lower handle
 * value (a socket closed and the value reused) goes first. */
static void link_context(struct context *ctx, HWND target, UINT message)
{
    struct context *stale = find(ctx->lower);

    if (stale && stale != ctx)
        unlink_context(stale);
    ctx->async_window = target;
    ctx->async_message = message;
    if (ctx->async_registered)
        return;
    context_addref(ctx);
    ctx->async_registered = TRUE;
    ctx->async_next = registry[bucket(ctx->lower)];
    registry[bucket(ctx->lower)] = ctx;
}

static LRESULT CALLBACK window_proc(HWND hwnd, UINT message, WPARAM wparam, LPARAM lparam)
{
    struct context *ctx;

    if (message == ASYNC_MESSAGE) {
        AcquireSRWLockShared(&registry_lock);
        ctx = find((SOCKET)wparam);
        if (ctx)
            lsp_upcalls.lpWPUPostMessage(ctx->async_window, ctx->async_message,
                                         (WPARAM)ctx->app, lparam);
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
    HWND ours;
    int result;

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
    if (result == 0 && lEvent)
        link_context(ctx, hWnd, wMsg);
    else if (result == 0 && ctx->async_registered)
        unlink_context(ctx);
    ReleaseSRWLockExclusive(&registry_lock);
    context_release(ctx);
    return result;
}

BOOL asyncsel_accept_begin(struct context *listener)
{
    if (!listener->async_registered)
        return FALSE;
    AcquireSRWLockExclusive(&registry_lock);
    return TRUE;
}

void asyncsel_accept_end(struct context *listener, struct context *accepted, BOOL held)
{
    if (!held)
        return;
    if (accepted && listener->async_registered)
        link_context(accepted, listener->async_window, listener->async_message);
    ReleaseSRWLockExclusive(&registry_lock);
}

void asyncsel_forget(struct context *ctx)
{
    if (!ctx->async_registered)
        return;
    AcquireSRWLockExclusive(&registry_lock);
    if (ctx->async_registered)
        unlink_context(ctx);
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
}
