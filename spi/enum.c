/* SPDX-License-Identifier: MIT */
/* WSAEnumProtocolsA/W: the catalog as applications see it, without hidden
 * (PFL_HIDDEN) and layered (ChainLen 0) entries. Needs WSAStartup. */
#include "dstate.h"
#include "wsc.h"
#include "../common/protocol_info.h"

#include <string.h>

static void copy_w(const WSAPROTOCOL_INFOW *info, void *item)
{
    memcpy(item, info, sizeof(*info));
}

static void copy_a(const WSAPROTOCOL_INFOW *info, void *item)
{
    protocol_info_narrow(info, item);
}

static int enum_for_applications(LPINT protocols, void *buffer, LPDWORD length, size_t item_size,
                                 void (*convert)(const WSAPROTOCOL_INFOW *, void *))
{
    struct catalog cat;
    int error = dstate_check_started(), n;

    if (error)
        return dstate_fail(error);
    if (!length)
        return dstate_fail(WSAEFAULT);
    error = catalog_read(CATALOG_NATIVE, &cat);
    if (error)   /* the store is gone: to an application, the network subsystem failed */
        return dstate_fail(error == WSA_NOT_ENOUGH_MEMORY ? WSAENOBUFS : WSAENETDOWN);
    n = wsc_enum_entries(&cat, protocols, TRUE, buffer, length, item_size, convert, &error);
    catalog_free(&cat);
    if (n == SOCKET_ERROR)
        return dstate_fail(error);
    return n;
}

int WSAAPI WSAEnumProtocolsW(LPINT lpiProtocols, LPWSAPROTOCOL_INFOW lpProtocolBuffer,
                             LPDWORD lpdwBufferLength)
{
    return enum_for_applications(lpiProtocols, lpProtocolBuffer, lpdwBufferLength,
                                 sizeof(*lpProtocolBuffer), copy_w);
}

int WSAAPI WSAEnumProtocolsA(LPINT lpiProtocols, LPWSAPROTOCOL_INFOA lpProtocolBuffer,
                             LPDWORD lpdwBufferLength)
{
    return enum_for_applications(lpiProtocols, lpProtocolBuffer, lpdwBufferLength,
                                 sizeof(*lpProtocolBuffer), copy_a);
}
