/* SPDX-License-Identifier: MIT */
/* Addressing and connection management: bind, listen, connect, WSAConnect,
 * getpeername, getsockname, shutdown. */
#include "dispatch.h"

int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPBind(s, name, namelen, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI listen(SOCKET s, int backlog)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPListen(s, backlog, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller_data,
                      LPWSABUF callee_data, LPQOS sqos, LPQOS gqos)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPConnect(s, name, namelen, caller_data, callee_data, sqos, gqos,
                                     &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    return WSAConnect(s, name, namelen, NULL, NULL, NULL, NULL);
}

int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPGetPeerName(s, name, namelen, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPGetSockName(s, name, namelen, &error);
    return dispatch_end(ds, result, error);
}

int WSAAPI shutdown(SOCKET s, int how)
{
    struct dsocket *ds = dispatch_begin(s);
    int error = 0, result;

    if (!ds)
        return SOCKET_ERROR;
    result = PROCS(ds)->lpWSPShutdown(s, how, &error);
    return dispatch_end(ds, result, error);
}
