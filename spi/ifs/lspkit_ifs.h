/* The interface between the front end and lspkit_ifs.sys, the kernel driver
 * whose device files are the real handles WPUCreateSocketHandle returns.
 *
 * Completing an overlapped request on such a handle is an IOCTL that the
 * driver completes at once with the status and byte count it is given, so
 * the I/O manager does what it does for any finished request: fills the
 * caller's IO_STATUS_BLOCK (the WSAOVERLAPPED), signals its event and posts
 * a packet to whatever completion port the handle is bound to. Windows'
 * ws2ifsl driver works the same way. */
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
 * that error statuses reach the event and the completion port too. */
#define IOCTL_LSPKIT_IFS_COMPLETE \
    CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Fixed-size fields, so a 32-bit caller and a 64-bit driver agree. */
struct lspkit_ifs_completion {
    LONG status;                  /* the NTSTATUS to complete with */
    ULONG reserved;               /* zero */
    ULONGLONG information;        /* the byte count */
};

#endif
