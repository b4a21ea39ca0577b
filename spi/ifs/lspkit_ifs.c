/* SPDX-License-Identifier: MIT */
/* lspkit_ifs.sys: the device whose file handles serve as the socket handles
 * of non-IFS providers (WPUCreateSocketHandle), under Wine's winedevice.exe.
 *
 * Every open of \\.\LspkitIfs is a new, real handle that applications can
 * bind to an I/O completion port. The IOCTLs of lspkit_ifs.h pend an
 * application's overlapped operation on it and complete it (pended.c). */
#include "pended.h"

static UNICODE_STRING device_name = RTL_CONSTANT_STRING(LSPKIT_IFS_DEVICE_NAME);
static UNICODE_STRING link_name = RTL_CONSTANT_STRING(LSPKIT_IFS_LINK_NAME);

static NTSTATUS WINAPI dispatch_open(DEVICE_OBJECT *device, IRP *irp)
{
    (void)device;
    return ifs_finish(irp, STATUS_SUCCESS, 0);
}

/* A handle going away takes its pended requests with it (cancelled), as
 * a closed socket's I/O ends on Windows. */
static NTSTATUS WINAPI dispatch_cleanup_close(DEVICE_OBJECT *device, IRP *irp)
{
    (void)device;
    pended_cleanup(IoGetCurrentIrpStackLocation(irp)->FileObject);
    return ifs_finish(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS WINAPI dispatch_unsupported(DEVICE_OBJECT *device, IRP *irp)
{
    (void)device;
    return ifs_finish(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}

/* GetFileType asks for the device type: a socket handle answers
 * FILE_TYPE_PIPE on Windows, because AFD reports a named-pipe device. */
static NTSTATUS WINAPI dispatch_query_volume(DEVICE_OBJECT *device, IRP *irp)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);
    FILE_FS_DEVICE_INFORMATION *info = irp->AssociatedIrp.SystemBuffer;

    if (stack->Parameters.QueryVolume.FsInformationClass != FileFsDeviceInformation)
        return ifs_finish(irp, STATUS_INVALID_INFO_CLASS, 0);
    if (!info || stack->Parameters.QueryVolume.Length < sizeof(*info))
        return ifs_finish(irp, STATUS_INFO_LENGTH_MISMATCH, 0);
    info->DeviceType = device->DeviceType;
    info->Characteristics = device->Characteristics;
    return ifs_finish(irp, STATUS_SUCCESS, sizeof(*info));
}

/* STATUS_PENDING would leave the caller's request pending forever; byte
 * counts are DWORDs (WPUCompleteOverlappedRequest's cbTransferred). */
static BOOLEAN completion_valid(const struct lspkit_ifs_completion *c)
{
    return c->status != STATUS_PENDING && !c->reserved && c->information <= MAXULONG;
}

/* Completes the request with the status and count the caller asks for.
 * The request is reported pending (IoMarkIrpPending + STATUS_PENDING), as
 * for any I/O that finishes later: only then does the I/O manager deliver an
 * error status to the event and the completion port. Completed without it,
 * an error status is a synchronous failure of the IOCTL itself: Wine 8
 * (server/async.c, async_set_result) then writes no IO_STATUS_BLOCK, sets
 * no event and queues no packet, as Windows does. */
static NTSTATUS complete_unpended(IRP *irp, const struct lspkit_ifs_completion *c)
{
    IoMarkIrpPending(irp);
    ifs_finish(irp, c->status, (ULONG_PTR)c->information);
    return STATUS_PENDING;
}

/* The input of an IOCTL, copied out of the system buffer when it has
 * exactly the expected size. */
static BOOLEAN read_input(IRP *irp, void *input, ULONG size)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);

    if (stack->Parameters.DeviceIoControl.InputBufferLength != size ||
        !irp->AssociatedIrp.SystemBuffer)
        return FALSE;
    RtlCopyMemory(input, irp->AssociatedIrp.SystemBuffer, size);
    return TRUE;
}

static NTSTATUS WINAPI dispatch_ioctl(DEVICE_OBJECT *device, IRP *irp)
{
    IO_STACK_LOCATION *stack = IoGetCurrentIrpStackLocation(irp);
    struct lspkit_ifs_completion completion;
    struct lspkit_ifs_keyed_completion keyed;
    struct lspkit_ifs_pend pend;

    (void)device;
    switch (stack->Parameters.DeviceIoControl.IoControlCode) {
    case IOCTL_LSPKIT_IFS_COMPLETE:
        if (!read_input(irp, &completion, sizeof(completion)) || !completion_valid(&completion))
            break;
        return complete_unpended(irp, &completion);
    case IOCTL_LSPKIT_IFS_PEND:
        if (!read_input(irp, &pend, sizeof(pend)))
            break;
        return pended_pend(irp, stack->FileObject, &pend);
    case IOCTL_LSPKIT_IFS_COMPLETE_PENDED:
        if (!read_input(irp, &keyed, sizeof(keyed)) || !completion_valid(&keyed.completion))
            break;
        return pended_complete(irp, stack->FileObject, &keyed);
    case IOCTL_LSPKIT_IFS_LISTEN:
        return pended_listen(irp, stack->FileObject);
    case IOCTL_LSPKIT_IFS_WAIT_CANCELS:
        return pended_wait_cancels(irp, stack->FileObject);
    default:
        return ifs_finish(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    return ifs_finish(irp, STATUS_INVALID_PARAMETER, 0);
}

static void WINAPI driver_unload(DRIVER_OBJECT *driver)
{
    IoDeleteSymbolicLink(&link_name);
    IoDeleteDevice(driver->DeviceObject);
}

NTSTATUS WINAPI DriverEntry(DRIVER_OBJECT *driver, UNICODE_STRING *registry_path)
{
    DEVICE_OBJECT *device;
    NTSTATUS status;
    int i;

    (void)registry_path;
    pended_init();
    for (i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++)
        driver->MajorFunction[i] = dispatch_unsupported;
    driver->MajorFunction[IRP_MJ_CREATE] = dispatch_open;
    driver->MajorFunction[IRP_MJ_CLEANUP] = dispatch_cleanup_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = dispatch_cleanup_close;
    driver->MajorFunction[IRP_MJ_QUERY_VOLUME_INFORMATION] = dispatch_query_volume;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = dispatch_ioctl;
    driver->DriverUnload = driver_unload;

    status = IoCreateDevice(driver, 0, &device_name, FILE_DEVICE_NAMED_PIPE, 0, FALSE, &device);
    if (!NT_SUCCESS(status))
        return status;
    status = IoCreateSymbolicLink(&link_name, &device_name);
    if (!NT_SUCCESS(status))
        IoDeleteDevice(device);
    return status;
}
