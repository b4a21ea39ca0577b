/* SPDX-License-Identifier: MIT */
/* The Winsock extension functions (SIO_GET_EXTENSION_FUNCTION_POINTER)
 * that lspkit routes: the layered provider through itself (L06), the front
 * end through its own functions on non-IFS sockets (cancelable requests).
 * Include only where the table is used. */
#ifndef LSPKIT_EXTENSIONS_H
#define LSPKIT_EXTENSIONS_H

#include <winsock2.h>
#include <mswsock.h>

enum ext_id {
    EXT_CONNECTEX,
    EXT_ACCEPTEX,
    EXT_GETACCEPTEXSOCKADDRS,
    EXT_TRANSMITFILE,
    EXT_TRANSMITPACKETS,
    EXT_DISCONNECTEX,
    EXT_WSARECVMSG,
    EXT_WSASENDMSG,
    EXT_COUNT
};

static const GUID ext_guids[EXT_COUNT] = {
    [EXT_CONNECTEX] = WSAID_CONNECTEX,
    [EXT_ACCEPTEX] = WSAID_ACCEPTEX,
    [EXT_GETACCEPTEXSOCKADDRS] = WSAID_GETACCEPTEXSOCKADDRS,
    [EXT_TRANSMITFILE] = WSAID_TRANSMITFILE,
    [EXT_TRANSMITPACKETS] = WSAID_TRANSMITPACKETS,
    [EXT_DISCONNECTEX] = WSAID_DISCONNECTEX,
    [EXT_WSARECVMSG] = WSAID_WSARECVMSG,
    [EXT_WSASENDMSG] = WSAID_WSASENDMSG,
};

#endif
