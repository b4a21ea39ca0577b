/* SPDX-License-Identifier: MIT */
/* probe_provider.dll: a test-only, non-IFS base provider that exposes the
 * WSPUPCALLTABLE the front end hands to WSPStartup (probe_upcall_table),
 * so tests can call every upcall the way a provider does.
 *
 * Its sockets are WPUCreateSocketHandle handles. Besides socket creation
 * and closing it serves only what the upcall tests drive through the front
 * end: WSPRecv (completes at once, from another thread, through
 * WPUCompleteOverlappedRequest or WPUQueueApc) and WSPGetOverlappedResult.
 * Any other slot ends the process with PROBE_UNEXPECTED_EXIT, so a test
 * that strays there fails loudly. */
#include <winsock2.h>
#include <ws2spi.h>
#include <stdio.h>
#include "probe_provider.h"

static WSPUPCALLTABLE upcalls;
static DWORD catalog_id;
static LONG socket_serial;
static WSATHREADID last_thread_id;

__declspec(dllexport) const WSPUPCALLTABLE *probe_upcall_table(void)
{
    return &upcalls;
}

__declspec(dllexport) WSATHREADID probe_last_thread_id(void)
{
    return last_thread_id;
}

static void unexpected_call(void)
{
    fprintf(stderr, "probe_provider: unexpected provider call\n");
    fflush(stderr);
    ExitProcess(PROBE_UNEXPECTED_EXIT);
}

static SOCKET WSPAPI probe_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info,
                                  GROUP group, DWORD flags, LPINT err)
{
    (void)af; (void)type; (void)protocol; (void)info; (void)group; (void)flags;
    return upcalls.lpWPUCreateSocketHandle(catalog_id,
                                           PROBE_CONTEXT_BASE + InterlockedIncrement(&socket_serial),
                                           err);
}

static int WSPAPI probe_close_socket(SOCKET s, LPINT err)
{
    return upcalls.lpWPUCloseSocketHandle(s, err);
}

/* A receive that completes at once with no data, delivered as an
 * overlapped completion would be by a real transport: from another thread. */
struct completion {
    SOCKET socket;
    LPWSAOVERLAPPED overlapped;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    WSATHREADID thread_id;        /* by value: the caller's may be gone (S17) */
};

static void CALLBACK run_routine(DWORD_PTR context)
{
    struct completion *c = (struct completion *)context;

    c->routine(0, 0, c->overlapped, 0);
    HeapFree(GetProcessHeap(), 0, c);
}

static DWORD WINAPI complete_later(void *param)
{
    struct completion *c = param;
    int err;

    if (c->routine) {
        if (upcalls.lpWPUQueueApc(&c->thread_id, run_routine, (DWORD_PTR)c, &err))
            HeapFree(GetProcessHeap(), 0, c);
        return 0;
    }
    /* WSPGetOverlappedResult reads the outcome from Offset/OffsetHigh. */
    c->overlapped->Offset = 0;
    c->overlapped->OffsetHigh = 0;
    WPUCompleteOverlappedRequest(c->socket, c->overlapped, 0, 0, &err);
    HeapFree(GetProcessHeap(), 0, c);
    return 0;
}

static int WSPAPI probe_recv(SOCKET s, LPWSABUF buffers, DWORD count, LPDWORD received,
                             LPDWORD flags, LPWSAOVERLAPPED overlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, LPWSATHREADID thread_id,
                             LPINT err)
{
    struct completion *c;
    HANDLE thread;

    (void)buffers; (void)count;
    if (!overlapped) {
        *received = 0;
        *flags = 0;
        return 0;
    }
    if (routine && !thread_id) {
        *err = WSAEFAULT;
        return SOCKET_ERROR;
    }
    c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
    if (!c) {
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    c->socket = s;
    c->overlapped = overlapped;
    c->routine = routine;
    if (thread_id) {
        c->thread_id = *thread_id;
        last_thread_id = *thread_id;
    }
    overlapped->Internal = WSS_OPERATION_IN_PROGRESS;
    thread = CreateThread(NULL, 0, complete_later, c, 0, NULL);
    if (!thread) {
        HeapFree(GetProcessHeap(), 0, c);
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    CloseHandle(thread);
    *err = WSA_IO_PENDING;
    return SOCKET_ERROR;
}

/* As non-IFS providers do (Microsoft's LSP sample among them): the
 * provider keeps the outcome in Offset (flags) and OffsetHigh (error);
 * Internal only says whether the operation is still in progress. */
static BOOL WSPAPI probe_get_overlapped_result(SOCKET s, LPWSAOVERLAPPED overlapped,
                                               LPDWORD transferred, BOOL wait, LPDWORD flags,
                                               LPINT err)
{
    if (overlapped->Internal == WSS_OPERATION_IN_PROGRESS) {
        HANDLE event = (HANDLE)((ULONG_PTR)overlapped->hEvent & ~(ULONG_PTR)1);

        if (!wait) {
            *err = WSA_IO_INCOMPLETE;
            return FALSE;
        }
        if (WaitForSingleObject(event ? event : (HANDLE)s, INFINITE) != WAIT_OBJECT_0) {
            *err = WSA_INVALID_HANDLE;
            return FALSE;
        }
    }
    *transferred = overlapped->InternalHigh;
    *flags = overlapped->Offset;
    *err = overlapped->OffsetHigh;
    return overlapped->OffsetHigh == 0;
}

static int WSPAPI probe_cleanup(LPINT err)
{
    (void)err;
    return 0;
}

__declspec(dllexport) int WSPAPI WSPStartup(WORD version, LPWSPDATA data,
                                            LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE table,
                                            LPWSPPROC_TABLE procs)
{
    FARPROC *slot = (FARPROC *)procs;
    size_t i;

    if (LOBYTE(version) < 2)
        return WSAVERNOTSUPPORTED;
    upcalls = table;
    catalog_id = info->dwCatalogEntryId;
    for (i = 0; i < sizeof(*procs) / sizeof(FARPROC); i++)
        slot[i] = (FARPROC)unexpected_call;
    procs->lpWSPSocket = probe_socket;
    procs->lpWSPCloseSocket = probe_close_socket;
    procs->lpWSPRecv = probe_recv;
    procs->lpWSPGetOverlappedResult = probe_get_overlapped_result;
    procs->lpWSPCleanup = probe_cleanup;
    data->wVersion = MAKEWORD(2, 2);
    data->wHighVersion = MAKEWORD(2, 2);
    lstrcpyW(data->szDescription, L"lspkit upcall probe");
    return 0;
}
