/* SPDX-License-Identifier: MIT */
/* WSADuplicateSocketA/W and WSAGetQOSByName: provider calls that hand back
 * data rather than a status. */
#include "dispatch.h"
#include "../common/protocol_info.h"

int WSAAPI WSADuplicateSocketW(SOCKET s, DWORD process_id, LPWSAPROTOCOL_INFOW info)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPDuplicateSocket(s, process_id, info, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSADuplicateSocketA(SOCKET s, DWORD process_id, LPWSAPROTOCOL_INFOA info)
{
    WSAPROTOCOL_INFOW wide;

    if (!info) {
        SetLastError(WSAEFAULT);
        return SOCKET_ERROR;
    }
    if (WSADuplicateSocketW(s, process_id, &wide) == SOCKET_ERROR)
        return SOCKET_ERROR;
    protocol_info_narrow(&wide, info);
    return 0;
}

BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF name, LPQOS qos)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0;
    BOOL found;

    if (!ds)
        return FALSE;
    found = PROCS(ds)->lpWSPGetQOSByName(s, name, qos, &error);
    dsocket_release(ds);
    if (!found)
        SetLastError(error);
    return found;
}
