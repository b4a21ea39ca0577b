/* SPDX-License-Identifier: MIT */
/* WSCEnumProtocols and WSCEnumProtocols32: every entry of a catalog,
 * hidden and layered ones included, in catalog order. Unlike
 * WSAEnumProtocols they need no WSAStartup. */
#include "wsc.h"

#include <string.h>

static void copy_info(const WSAPROTOCOL_INFOW *info, void *item)
{
    memcpy(item, info, sizeof(*info));
}

static int enum_catalog(enum catalog_view view, LPINT lpiProtocols,
                        LPWSAPROTOCOL_INFOW lpProtocolBuffer, LPDWORD lpdwBufferLength,
                        LPINT lpErrno)
{
    struct catalog cat;
    int error, n;

    if (!lpErrno)
        return wsc_no_errno();
    if (!lpdwBufferLength)
        return wsc_fail(lpErrno, WSAEFAULT);
    error = catalog_read(view, &cat);
    if (error)
        return wsc_fail(lpErrno, error == WSA_NOT_ENOUGH_MEMORY ? WSAENOBUFS : error);
    n = wsc_enum_entries(&cat, lpiProtocols, FALSE, lpProtocolBuffer, lpdwBufferLength,
                         sizeof(*lpProtocolBuffer), copy_info, &error);
    catalog_free(&cat);
    if (n == SOCKET_ERROR)
        *lpErrno = error;
    return n;
}

int WSPAPI WSCEnumProtocols(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                            LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return enum_catalog(CATALOG_NATIVE, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}

int WSPAPI WSCEnumProtocols32(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                              LPDWORD lpdwBufferLength, LPINT lpErrno)
{
    return enum_catalog(CATALOG_32, lpiProtocols, lpProtocolBuffer, lpdwBufferLength, lpErrno);
}
