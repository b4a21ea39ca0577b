/* SPDX-License-Identifier: MIT */
/* The interface between the front end and lspkit_ifs.sys, the kernel driver
 * whose device files are the real handles WPUCreateSocketHandle returns.
 *
 * An application's overlapped operation on such a handle is a request
 * pended on it with the application's WSAOVERLAPPED; completing it is an
 * IOCTL naming it, so the I/O manager does what it does for any finished
 * request: fills the caller's IO_STATUS_BLOCK (the WSAOVERLAPPED), signals
 * its event and posts a packet to whatever completion port the handle is
 * bound to. Being a request, it can also be cancelled like any other. */
#ifndef LSPKIT_IFS_H
#define LSPKIT_IFS_H

#ifdef LSPKIT_IFS_DRIVER
#include <ntddk.h>
#else
#include <windows.h>
#include <winioctl.h>
#endif

#define LSPKIT_IFS_DEVICE_NAME  L"\\Device\\LspkitIfs"
#define LSPKIT_IFS_LINK_NAME    L"\\DosDevices\\LspkitIfs"
#define LSPKIT_IFS_WIN32_NAME   L"\\\\.\\LspkitIfs"
#define LSPKIT_IFS_SERVICE_NAME L"lspkit_ifs"
#define LSPKIT_IFS_IMAGE_PATH   L"%SystemRoot%\\system32\\lspkit_ifs.sys"

/* Input: struct lspkit_ifs_completion. No output buffer. Completes with
 * completion.status and completion.information, reported as pending so
 * that error statuses reach the event and the completion port too. Used
 * for an operation that was never pended (IOCTL_LSPKIT_IFS_PEND): one that
 * finished inside the call that started it, or one the front end did not
 * see start (an extension function called through its pointer). */
#define IOCTL_LSPKIT_IFS_COMPLETE \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Input: struct lspkit_ifs_pend. Issued with the application's own
 * WSAOVERLAPPED (event, port context, IO_STATUS_BLOCK) for an overlapped
 * operation a provider has started, so that the operation is a real
 * request on the socket handle from then on: CancelIo, CancelIoEx and the
 * end of the issuing thread reach it as they reach any I/O. It stays
 * pending until IOCTL_LSPKIT_IFS_COMPLETE_PENDED names its key, or the
 * handle is cleaned up (STATUS_CANCELLED). A cancel does not complete it:
 * the driver tells the pend's listener (IOCTL_LSPKIT_IFS_WAIT_CANCELS), so
 * that the provider can stop its own work and complete with what that
 * work did - a receive that already took bytes reports them. */
#define IOCTL_LSPKIT_IFS_PEND \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Input: struct lspkit_ifs_keyed_completion, on the handle the request was
 * pended on. Completes that request; the IOCTL itself completes at once,
 * with STATUS_NOT_FOUND when no request of the handle has the key. */
#define IOCTL_LSPKIT_IFS_COMPLETE_PENDED \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* No input; output: a ULONGLONG, the listener id that pends name. Makes
 * the handle the listener for cancels of a process. */
#define IOCTL_LSPKIT_IFS_LISTEN \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x804, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* On a listener handle. No input; output: an array of struct
 * lspkit_ifs_cancel, at least one entry long. Completes as soon as at
 * least one pended request naming this listener has been cancelled, with
 * as many of them as fit. */
#define IOCTL_LSPKIT_IFS_WAIT_CANCELS \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x805, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Fixed-size fields, so a 32-bit caller and a 64-bit driver agree. */
struct lspkit_ifs_completion {
    LONG status;                  /* the NTSTATUS to complete with */
    ULONG reserved;               /* zero */
    ULONGLONG information;        /* the byte count */
};

struct lspkit_ifs_pend {
    ULONGLONG key;                /* the application's WSAOVERLAPPED */
    ULONGLONG socket;             /* the handle, as the application knows it */
    ULONGLONG listener;           /* from IOCTL_LSPKIT_IFS_LISTEN */
};

struct lspkit_ifs_keyed_completion {
    ULONGLONG key;
    struct lspkit_ifs_completion completion;
};

struct lspkit_ifs_cancel {
    ULONGLONG socket;
    ULONGLONG key;
};

#endif
