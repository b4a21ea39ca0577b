/* SPDX-License-Identifier: MIT */
/* The front end's side of lspkit_ifs.sys (spi/ifs/): opening handles on its
 * device, starting the driver service when the device is missing, and the
 * IOCTLs that pend and complete requests and listen for their cancels. */
#define WIN32_NO_STATUS
#include <winsock2.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include "upcall_ifs.h"

/* services.exe refuses to start a service while another one is starting
 * (ERROR_SERVICE_DATABASE_LOCKED), as happens just after a prefix boots;
 * a start is retried for up to START_ATTEMPTS * START_RETRY_MS. */
#define START_ATTEMPTS   40
#define START_RETRY_MS   250
/* How long a start the service manager reports as pending may take. */
#define RUNNING_WAIT_MS  10000
#define RUNNING_POLL_MS  20

typedef NTSTATUS (NTAPI *ioctl_fn)(HANDLE, HANDLE, PIO_APC_ROUTINE, PVOID, PIO_STATUS_BLOCK,
                                   ULONG, PVOID, ULONG, PVOID, ULONG);

static SRWLOCK start_lock = SRWLOCK_INIT;
static INIT_ONCE ioctl_once = INIT_ONCE_STATIC_INIT;
static ioctl_fn device_ioctl;

static HANDLE open_device(void)
{
    return CreateFileW(LSPKIT_IFS_WIN32_NAME, GENERIC_READ | GENERIC_WRITE,
                       FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                       FILE_FLAG_OVERLAPPED, NULL);
}

/* The driver's service, created on first use as a demand-start kernel
 * driver whose image bin/lspkit-wine (or an installer) puts in system32. */
static SC_HANDLE open_service(SC_HANDLE manager)
{
    const DWORD access = SERVICE_START | SERVICE_QUERY_STATUS;
    SC_HANDLE service = OpenServiceW(manager, LSPKIT_IFS_SERVICE_NAME, access);

    if (service || GetLastError() != ERROR_SERVICE_DOES_NOT_EXIST)
        return service;
    service = CreateServiceW(manager, LSPKIT_IFS_SERVICE_NAME, L"lspkit socket handles", access,
                             SERVICE_KERNEL_DRIVER, SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                             LSPKIT_IFS_IMAGE_PATH, NULL, NULL, NULL, NULL, NULL);
    /* Another process may have created it in between. */
    if (!service && GetLastError() == ERROR_SERVICE_EXISTS)
        service = OpenServiceW(manager, LSPKIT_IFS_SERVICE_NAME, access);
    return service;
}

static BOOL start_service(SC_HANDLE service)
{
    int attempt;

    for (attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        if (StartServiceW(service, 0, NULL))
            return TRUE;
        if (GetLastError() == ERROR_SERVICE_ALREADY_RUNNING)
            return TRUE;
        if (GetLastError() != ERROR_SERVICE_DATABASE_LOCKED)
            return FALSE;
        Sleep(START_RETRY_MS);
    }
    return FALSE;
}

/* The device exists once DriverEntry has run, which the service manager
 * reports as SERVICE_RUNNING; a start begun by another process may still
 * be pending. */
static BOOL wait_running(SC_HANDLE service)
{
    SERVICE_STATUS status;
    DWORD waited;

    for (waited = 0; waited <= RUNNING_WAIT_MS; waited += RUNNING_POLL_MS) {
        if (!QueryServiceStatus(service, &status))
            return FALSE;
        if (status.dwCurrentState == SERVICE_RUNNING)
            return TRUE;
        if (status.dwCurrentState != SERVICE_START_PENDING)
            return FALSE;
        Sleep(RUNNING_POLL_MS);
    }
    return FALSE;
}

static BOOL start_driver(void)
{
    SC_HANDLE manager, service;
    BOOL running = FALSE;

    manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT | SC_MANAGER_CREATE_SERVICE);
    if (!manager)
        return FALSE;
    service = open_service(manager);
    if (service) {
        running = start_service(service) && wait_running(service);
        CloseServiceHandle(service);
    }
    CloseServiceHandle(manager);
    return running;
}

HANDLE upcall_ifs_open(void)
{
    HANDLE handle = open_device();

    if (handle != INVALID_HANDLE_VALUE)
        return handle;
    /* One thread starts the driver; the others find the device after it. */
    AcquireSRWLockExclusive(&start_lock);
    handle = open_device();
    if (handle == INVALID_HANDLE_VALUE && start_driver())
        handle = open_device();
    ReleaseSRWLockExclusive(&start_lock);
    return handle;
}

static BOOL CALLBACK find_ioctl(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    device_ioctl = (ioctl_fn)(void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"),
                                                    "NtDeviceIoControlFile");
    return device_ioctl != NULL;
}

static BOOL have_ioctl(void)
{
    return InitOnceExecuteOnce(&ioctl_once, find_ioctl, NULL, NULL);
}

/* The event and port context of a request made with the application's
 * own WSAOVERLAPPED: hEvent's low bit says "no port packet". */
static HANDLE event_of(LPWSAOVERLAPPED overlapped)
{
    return (HANDLE)((ULONG_PTR)overlapped->hEvent & ~(ULONG_PTR)1);
}

static PVOID port_context_of(LPWSAOVERLAPPED overlapped)
{
    return ((ULONG_PTR)overlapped->hEvent & 1) ? NULL : overlapped;
}

/* A request in the application's name: it completes as the application's
 * I/O does. NtDeviceIoControlFile rather than DeviceIoControl: the event
 * handle is passed without its low bit, so an hEvent of just 1 ("no event,
 * no port packet") is not taken for an invalid handle. The driver answers
 * STATUS_PENDING to both IOCTLs; anything else means the request never
 * reached it. */
static int app_request(HANDLE handle, LPWSAOVERLAPPED overlapped, BOOL quiet, ULONG code,
                       void *input, ULONG size)
{
    NTSTATUS result;

    if (!have_ioctl())
        return WSAEINVAL;
    /* Pending until the driver's completion fills the block in. */
    overlapped->Internal = STATUS_PENDING;
    overlapped->InternalHigh = 0;
    result = device_ioctl(handle, quiet ? NULL : event_of(overlapped), NULL,
                          quiet ? NULL : port_context_of(overlapped),
                          (PIO_STATUS_BLOCK)overlapped, code, input, size, NULL, 0);
    return result == STATUS_PENDING ? 0 : WSAEINVAL;
}

int upcall_ifs_complete(HANDLE handle, LPWSAOVERLAPPED overlapped, LONG status, DWORD count)
{
    struct lspkit_ifs_completion completion = { status, 0, count };

    return app_request(handle, overlapped, FALSE, IOCTL_LSPKIT_IFS_COMPLETE, &completion,
                       sizeof(completion));
}

int upcall_ifs_pend(HANDLE handle, LPWSAOVERLAPPED overlapped, BOOL quiet, ULONGLONG listener)
{
    struct lspkit_ifs_pend pend = { (ULONG_PTR)overlapped, (ULONG_PTR)handle, listener };

    return app_request(handle, overlapped, quiet, IOCTL_LSPKIT_IFS_PEND, &pend, sizeof(pend));
}

/* A request of the front end's own: no port context, so nothing of the
 * application's is touched. With no `event` the request must be one the
 * driver answers at once (COMPLETE_PENDED, LISTEN): that spares the
 * completion path two server calls for an event it never waits on, and a
 * STATUS_PENDING answer then counts as a failure. */
static NTSTATUS own_request(HANDLE handle, HANDLE event, ULONG code, void *input,
                            ULONG in_size, void *output, ULONG out_size, ULONG_PTR *returned)
{
    IO_STATUS_BLOCK io = { 0 };
    NTSTATUS result;

    if (!have_ioctl())
        return STATUS_UNSUCCESSFUL;
    result = device_ioctl(handle, event, NULL, NULL, &io, code, input, in_size, output,
                          out_size);
    if (result == STATUS_PENDING && event) {
        WaitForSingleObject(event, INFINITE);
        result = io.Status;
    }
    if (returned)
        *returned = io.Information;
    return result;
}

int upcall_ifs_complete_pended(HANDLE handle, LPWSAOVERLAPPED overlapped, LONG status,
                               DWORD count)
{
    struct lspkit_ifs_keyed_completion keyed = { (ULONG_PTR)overlapped, { status, 0, count } };

    return own_request(handle, NULL, IOCTL_LSPKIT_IFS_COMPLETE_PENDED, &keyed, sizeof(keyed),
                       NULL, 0, NULL) == STATUS_SUCCESS ? 0 : WSAEINVAL;
}

HANDLE upcall_ifs_listen(ULONGLONG *id)
{
    HANDLE handle = upcall_ifs_open();

    if (handle == INVALID_HANDLE_VALUE)
        return NULL;
    if (own_request(handle, NULL, IOCTL_LSPKIT_IFS_LISTEN, NULL, 0, id, sizeof(*id), NULL)
        != STATUS_SUCCESS) {
        CloseHandle(handle);
        return NULL;
    }
    return handle;
}

DWORD upcall_ifs_wait_cancels(HANDLE listener, struct lspkit_ifs_cancel *cancels, DWORD room)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    ULONG_PTR bytes = 0;
    NTSTATUS result;

    if (!event)
        return 0;
    result = own_request(listener, event, IOCTL_LSPKIT_IFS_WAIT_CANCELS, NULL, 0, cancels,
                         room * sizeof(*cancels), &bytes);
    CloseHandle(event);
    return result == STATUS_SUCCESS ? (DWORD)(bytes / sizeof(*cancels)) : 0;
}
