/* SPDX-License-Identifier: MIT */
/* WSPStartup and WSPCleanup (L01, L02), WSPCancelBlockingCall, and the
 * proc table. Startups are counted; the last cleanup closes every socket
 * still open, stops the worker and the window, and cleans up and unloads
 * the lower providers. */
#include "lsp.h"
#include "chain.h"
#include "context.h"
#include "overlapped.h"
#include "worker.h"
#include "asyncsel.h"
#include "capture/capture.h"
#include "filters.h"
#include "dial.h"
#include "../common/lazy_lock.h"

static struct lazy_lock start_lock;
static LONG starts;

static void fill_proc_table(LPWSPPROC_TABLE table)
{
    table->lpWSPAccept = WSPAccept;
    table->lpWSPAddressToString = WSPAddressToString;
    table->lpWSPAsyncSelect = WSPAsyncSelect;
    table->lpWSPBind = WSPBind;
    table->lpWSPCancelBlockingCall = WSPCancelBlockingCall;
    table->lpWSPCleanup = WSPCleanup;
    table->lpWSPCloseSocket = WSPCloseSocket;
    table->lpWSPConnect = WSPConnect;
    table->lpWSPDuplicateSocket = WSPDuplicateSocket;
    table->lpWSPEnumNetworkEvents = WSPEnumNetworkEvents;
    table->lpWSPEventSelect = WSPEventSelect;
    table->lpWSPGetOverlappedResult = WSPGetOverlappedResult;
    table->lpWSPGetPeerName = WSPGetPeerName;
    table->lpWSPGetSockName = WSPGetSockName;
    table->lpWSPGetSockOpt = WSPGetSockOpt;
    table->lpWSPGetQOSByName = WSPGetQOSByName;
    table->lpWSPIoctl = WSPIoctl;
    table->lpWSPJoinLeaf = WSPJoinLeaf;
    table->lpWSPListen = WSPListen;
    table->lpWSPRecv = WSPRecv;
    table->lpWSPRecvDisconnect = WSPRecvDisconnect;
    table->lpWSPRecvFrom = WSPRecvFrom;
    table->lpWSPSelect = WSPSelect;
    table->lpWSPSend = WSPSend;
    table->lpWSPSendDisconnect = WSPSendDisconnect;
    table->lpWSPSendTo = WSPSendTo;
    table->lpWSPSetSockOpt = WSPSetSockOpt;
    table->lpWSPShutdown = WSPShutdown;
    table->lpWSPSocket = WSPSocket;
    table->lpWSPStringToAddress = WSPStringToAddress;
}

/* The upcalls this provider makes; without any of them it cannot run. */
static BOOL upcalls_usable(const WSPUPCALLTABLE *upcalls)
{
    return upcalls->lpWPUCreateSocketHandle && upcalls->lpWPUCloseSocketHandle &&
           upcalls->lpWPUQuerySocketHandleContext && upcalls->lpWPUQueueApc &&
           upcalls->lpWPUOpenCurrentThread && upcalls->lpWPUCloseThread &&
           upcalls->lpWPUPostMessage;
}

/* The first start: the worker, and this DLL pinned. Completion routines
 * queued to the application's threads run our APC, and the worker and
 * window threads run our code, possibly after the last WSPCleanup, so the
 * DLL must never be unloaded under them. */
static int first_start(const WSPUPCALLTABLE *upcalls)
{
    int error;

    if (!lsp_module &&
        !GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
                            (LPCWSTR)(void *)first_start, &lsp_module))
        return WSAEPROVIDERFAILEDINIT;
    lsp_upcalls = *upcalls;
    fill_proc_table(&lsp_procs);
    capture_init();
    filters_load();
    error = op_exit_event_start();
    if (error)
        return error;
    error = worker_start();
    if (error)
        op_exit_event_stop();
    return error;
}

static void last_cleanup(void)
{
    context_close_all();
    asyncsel_stop();
    worker_stop();
    op_exit_event_stop();
    capture_shutdown();
    dial_close_all();
    chain_unload_all();
}

int WSPAPI WSPStartup(WORD wVersionRequested, LPWSPDATA lpWSPData,
                      LPWSAPROTOCOL_INFOW lpProtocolInfo, WSPUPCALLTABLE UpcallTable,
                      LPWSPPROC_TABLE lpProcTable)
{
    struct layer *layer;
    int error = 0;

    if (!lpWSPData || !lpProtocolInfo || !lpProcTable)
        return WSAEFAULT;
    if (LOBYTE(wVersionRequested) < 2 ||
        (LOBYTE(wVersionRequested) == 2 && HIBYTE(wVersionRequested) < 2))
        return WSAVERNOTSUPPORTED;
    if (!upcalls_usable(&UpcallTable))
        return WSAEINVAL;
    lazy_lock_enter(&start_lock);
    if (starts == 0)
        error = first_start(&UpcallTable);
    /* Counted before the chain is resolved, so that a failure below undoes
     * exactly this start. */
    if (!error) {
        starts++;
        error = chain_layer(lpProtocolInfo, &layer);
        if (error && --starts == 0)
            last_cleanup();
    }
    lazy_lock_leave(&start_lock);
    if (error)
        return error;
    lpWSPData->wVersion = MAKEWORD(2, 2);
    lpWSPData->wHighVersion = MAKEWORD(2, 2);
    lstrcpynW(lpWSPData->szDescription, L"lspkit layered provider", WSPDESCRIPTION_LEN + 1);
    *lpProcTable = lsp_procs;
    return 0;
}

int WSPAPI WSPCleanup(LPINT lpErrno)
{
    int result = 0;

    lazy_lock_enter(&start_lock);
    if (starts == 0)
        result = lsp_fail(lpErrno, WSANOTINITIALISED);
    else if (--starts == 0)
        last_cleanup();
    lazy_lock_leave(&start_lock);
    return result;
}

static int cancel_lower(struct lower *lower, void *arg)
{
    return lower->procs.lpWSPCancelBlockingCall((LPINT)arg) ? SOCKET_ERROR : 0;
}

/* The blocking call in progress, if any, is in one of the lower providers. */
int WSPAPI WSPCancelBlockingCall(LPINT lpErrno)
{
    return chain_for_each_lower(cancel_lower, lpErrno);
}

/* Process exit, WSACleanup or not: what the capture still holds goes to
 * its file (the module is pinned, so this is the only detach). */
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_DETACH)
        capture_shutdown();
    return TRUE;
}
