/* SPDX-License-Identifier: MIT */
/* Winsock errors as the NTSTATUS of a completed request (wsastatus.h). */
#define WIN32_NO_STATUS
#include <winsock2.h>
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include "wsastatus.h"

/* The NTSTATUS the transport reports for each Winsock error, chosen so
 * that Wine's ws2_32 (WSAGetOverlappedResult) maps it back to the same
 * error, and GetQueuedCompletionStatus/GetOverlappedResult report what
 * they do for a Windows socket (e.g. ERROR_NETNAME_DELETED for a reset). */
static const struct {
    DWORD error;
    NTSTATUS status;
} status_of_error[] = {
    { WSAEINTR,              STATUS_REQUEST_ABORTED },
    { WSAEACCES,             STATUS_ACCESS_DENIED },
    { WSAEFAULT,             STATUS_ACCESS_VIOLATION },
    { WSAEINVAL,             STATUS_INVALID_PARAMETER },
    { WSAEWOULDBLOCK,        STATUS_DEVICE_NOT_READY },
    { WSAEMSGSIZE,           STATUS_BUFFER_OVERFLOW },
    { WSAENOTSOCK,           STATUS_INVALID_HANDLE },
    { WSAEOPNOTSUPP,         STATUS_NOT_SUPPORTED },
    { WSAEADDRINUSE,         STATUS_ADDRESS_ALREADY_EXISTS },
    { WSAEADDRNOTAVAIL,      STATUS_INVALID_ADDRESS_COMPONENT },
    { WSAENETDOWN,           STATUS_UNEXPECTED_NETWORK_ERROR },
    { WSAENETUNREACH,        STATUS_NETWORK_UNREACHABLE },
    { WSAECONNABORTED,       STATUS_CONNECTION_ABORTED },
    { WSAECONNRESET,         STATUS_CONNECTION_RESET },
    { WSAENOBUFS,            STATUS_INSUFFICIENT_RESOURCES },
    { WSAEISCONN,            STATUS_CONNECTION_ACTIVE },
    { WSAENOTCONN,           STATUS_INVALID_CONNECTION },
    { WSAESHUTDOWN,          STATUS_PIPE_DISCONNECTED },
    { WSAETIMEDOUT,          STATUS_IO_TIMEOUT },
    { WSAECONNREFUSED,       STATUS_CONNECTION_REFUSED },
    { WSAEHOSTDOWN,          STATUS_HOST_DOWN },
    { WSAEHOSTUNREACH,       STATUS_HOST_UNREACHABLE },
    { WSAEDISCON,            STATUS_GRACEFUL_DISCONNECT },
    { WSA_OPERATION_ABORTED, STATUS_CANCELLED },
};

/* Other Win32/Winsock codes travel as FACILITY_NTWIN32 statuses
 * (0xC007xxxx), which RtlNtStatusToDosError turns back into the code
 * itself; anything wider than a Win32 code is a plain failure. The
 * completion is delivered whatever the code: dropping it would leave the
 * application waiting forever. */
NTSTATUS status_of_wsa_error(DWORD error)
{
    size_t i;

    if (!error)
        return STATUS_SUCCESS;
    for (i = 0; i < sizeof(status_of_error) / sizeof(status_of_error[0]); i++)
        if (status_of_error[i].error == error)
            return status_of_error[i].status;
    if (error > 0xFFFF)
        return STATUS_UNSUCCESSFUL;
    return (NTSTATUS)(0xC0070000u | error);
}
