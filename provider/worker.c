/* SPDX-License-Identifier: MIT */
/* The completion port and its worker thread. */
#include "lsp.h"
#include "worker.h"
#include "finish.h"

/* Packets taken per wait: one system call drains a burst of completions. */
#define WORKER_BATCH 64

static HANDLE port;
static HANDLE thread;

static DWORD WINAPI worker_main(void *arg)
{
    OVERLAPPED_ENTRY entries[WORKER_BATCH];
    ULONG count, i;
    BOOL stop = FALSE;

    (void)arg;
    while (!stop) {
        if (!GetQueuedCompletionStatusEx(port, entries, WORKER_BATCH, &count, INFINITE, FALSE))
            break;
        for (i = 0; i < count; i++) {
            /* worker_stop's packet is the only one without an overlapped. */
            if (!entries[i].lpOverlapped)
                stop = TRUE;
            else
                finish_packet(entries[i].lpOverlapped, entries[i].dwNumberOfBytesTransferred);
        }
    }
    return 0;
}

int worker_start(void)
{
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    thread = port ? CreateThread(NULL, 0, worker_main, NULL, 0, NULL) : NULL;
    if (!thread) {
        if (port)
            CloseHandle(port);
        port = NULL;
        return WSAENOBUFS;
    }
    return 0;
}

void worker_stop(void)
{
    PostQueuedCompletionStatus(port, 0, 0, NULL);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(port);
    thread = port = NULL;
}

BOOL worker_bind(SOCKET lower)
{
    return CreateIoCompletionPort((HANDLE)lower, port, 0, 0) != NULL;
}
