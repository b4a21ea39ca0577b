/* SPDX-License-Identifier: MIT */
/* ifsbench.c: what a completion through lspkit_ifs.sys costs, against a
 * plain call to the Wine server, so that the layered provider's figures
 * can be explained by measurement (docs/performance.md).
 *
 *   ifsbench.exe [COUNT]     (default 5000)
 *
 * Run it where lspkit is installed (bin/lspkit-wine, after lspinst
 * install): its first socket is then a layered one, which starts the
 * driver. It prints
 *   server_call_ns         ResetEvent: one request to the Wine server
 *   ifs_complete_ns        IOCTL_LSPKIT_IFS_COMPLETE and the wait for its
 *                          event: what a completion costs
 *   ifs_pend_complete_ns   IOCTL_LSPKIT_IFS_PEND, then
 *                          IOCTL_LSPKIT_IFS_COMPLETE_PENDED and the wait:
 *                          what a cancelable operation costs
 * Exit code 1 when the device cannot be opened or a request fails. */
#define WIN32_NO_STATUS
#include <winsock2.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include <stdio.h>
#include <stdlib.h>
#include "../spi/ifs/lspkit_ifs.h"

typedef NTSTATUS (NTAPI *ioctl_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK,
                                   ULONG, PVOID, ULONG, PVOID, ULONG);

static ioctl_fn device_ioctl;

static double now_seconds(void)
{
    LARGE_INTEGER f, t;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)f.QuadPart;
}

static void fail(const char *what, long code)
{
    fprintf(stderr, "ifsbench: %s failed: %#lx\n", what, code);
    exit(1);
}

/* One request on `device`, with `event` and `io`; returns its first answer. */
static NTSTATUS request(HANDLE device, HANDLE event, IO_STATUS_BLOCK *io, ULONG code,
                        void *input, ULONG size)
{
    return device_ioctl(device, event, NULL, NULL, io, code, input, size, NULL, 0);
}

static void complete_once(HANDLE device, HANDLE event)
{
    struct lspkit_ifs_completion completion = { 0, 0, 0 };
    IO_STATUS_BLOCK io;
    NTSTATUS status;

    ResetEvent(event);
    status = request(device, event, &io, IOCTL_LSPKIT_IFS_COMPLETE, &completion,
                     sizeof(completion));
    if (status != STATUS_PENDING)
        fail("IOCTL_LSPKIT_IFS_COMPLETE", status);
    WaitForSingleObject(event, INFINITE);
}

/* The listener id is not needed: nothing here is cancelled. */
static void pend_complete_once(HANDLE device, HANDLE event)
{
    IO_STATUS_BLOCK pended, io;
    struct lspkit_ifs_pend pend = { (ULONG_PTR)&pended, (ULONG_PTR)device, 0 };
    struct lspkit_ifs_keyed_completion keyed = { (ULONG_PTR)&pended, { 0, 0, 0 } };
    NTSTATUS status;

    ResetEvent(event);
    status = request(device, event, &pended, IOCTL_LSPKIT_IFS_PEND, &pend, sizeof(pend));
    if (status != STATUS_PENDING)
        fail("IOCTL_LSPKIT_IFS_PEND", status);
    status = request(device, NULL, &io, IOCTL_LSPKIT_IFS_COMPLETE_PENDED, &keyed,
                     sizeof(keyed));
    if (status != STATUS_SUCCESS)
        fail("IOCTL_LSPKIT_IFS_COMPLETE_PENDED", status);
    WaitForSingleObject(event, INFINITE);
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 5000;
    WSADATA data;
    HANDLE device, event;
    double start;

    if (count <= 0 || WSAStartup(MAKEWORD(2, 2), &data))
        fail("arguments or WSAStartup", 0);
    if (WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED) ==
        INVALID_SOCKET)
        fail("WSASocket", WSAGetLastError());
    device = CreateFileW(LSPKIT_IFS_WIN32_NAME, GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                         FILE_FLAG_OVERLAPPED, NULL);
    if (device == INVALID_HANDLE_VALUE)
        fail("opening the device (is lspkit installed here?)", GetLastError());
    device_ioctl = (ioctl_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                    "NtDeviceIoControlFile");
    event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!device_ioctl || !event)
        fail("setting up", GetLastError());

    start = now_seconds();
    for (int i = 0; i < count; i++)
        ResetEvent(event);
    printf("server_call_ns %.0f\n", (now_seconds() - start) * 1e9 / count);
    start = now_seconds();
    for (int i = 0; i < count; i++)
        complete_once(device, event);
    printf("ifs_complete_ns %.0f\n", (now_seconds() - start) * 1e9 / count);
    start = now_seconds();
    for (int i = 0; i < count; i++)
        pend_complete_once(device, event);
    printf("ifs_pend_complete_ns %.0f\n", (now_seconds() - start) * 1e9 / count);
    return 0;
}
