/* SPDX-License-Identifier: MIT */
/* Extension functions (SIO_GET_EXTENSION_FUNCTION_POINTER) on non-IFS
 * sockets.
 *
 * A program calls them through the pointer it was given, so the front end
 * never sees them start - yet their overlapped operations must be real
 * requests on the handle like WSARecv's (pending.h), or CancelIoEx could
 * not reach a pending AcceptEx or ConnectEx (Go cancels both: a listener's
 * Close, a dial's timeout). So on a non-IFS socket the program gets the
 * front end's function, which looks the provider's up on each call and
 * runs it between pending_begin and pending_issued. */
#include <string.h>
#include <mswsock.h>
#include "lspkit/extensions.h"
#include "extension.h"
#include "dispatch.h"
#include "pending.h"

void *extension_provider_function(struct dsocket *ds, const GUID *guid, int *error)
{
    GUID id = *guid;
    void *function = NULL;
    DWORD returned;

    if (PROCS(ds)->lpWSPIoctl(ds->handle, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id),
                              &function, sizeof(function), &returned, NULL, NULL,
                              dthread_current_id(), error))
        return NULL;
    if (!function)
        *error = WSAEOPNOTSUPP;
    return function;
}

/* A call of an extension function, from the socket's lookup to the end of
 * the provider's function. */
struct ext_call {
    struct dsocket *ds;
    struct pending *pending;
};

/* The provider's function `id` for `s`, with the operation bracketed
 * (ext_end); NULL with the last error set. */
static void *ext_begin(struct ext_call *call, SOCKET s, enum ext_id id,
                       LPWSAOVERLAPPED overlapped, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    void *function;
    int error = 0;

    call->ds = dispatch_begin(s);
    if (!call->ds)
        return NULL;
    function = extension_provider_function(call->ds, &ext_guids[id], &error);
    if (!function) {
        dispatch_end(call->ds, SOCKET_ERROR, error);
        return NULL;
    }
    call->pending = pending_begin(call->ds, overlapped, routine);
    return function;
}

/* `failed` and `error`: how the provider's function returned. The
 * program reads the last error the function left. */
static void ext_end(struct ext_call *call, BOOL failed, DWORD error)
{
    pending_issued(call->pending, failed ? SOCKET_ERROR : 0, (int)error);
    dsocket_release(call->ds);
    SetLastError(error);
}

static BOOL PASCAL front_connectex(SOCKET s, const struct sockaddr *name, int namelen,
                                   PVOID send_buffer, DWORD send_length, LPDWORD sent,
                                   LPOVERLAPPED overlapped)
{
    struct ext_call call;
    LPFN_CONNECTEX function = ext_begin(&call, s, EXT_CONNECTEX, overlapped, NULL);
    BOOL ok;

    if (!function)
        return FALSE;
    ok = function(s, name, namelen, send_buffer, send_length, sent, overlapped);
    ext_end(&call, !ok, GetLastError());
    return ok;
}

/* The operation is the listening socket's: that is where it is pended. */
static BOOL PASCAL front_acceptex(SOCKET listener, SOCKET accepted, PVOID buffer,
                                  DWORD receive_length, DWORD local_length,
                                  DWORD remote_length, LPDWORD received,
                                  LPOVERLAPPED overlapped)
{
    struct ext_call call;
    LPFN_ACCEPTEX function = ext_begin(&call, listener, EXT_ACCEPTEX, overlapped, NULL);
    BOOL ok;

    if (!function)
        return FALSE;
    ok = function(listener, accepted, buffer, receive_length, local_length, remote_length,
                  received, overlapped);
    ext_end(&call, !ok, GetLastError());
    return ok;
}

static BOOL PASCAL front_transmitfile(SOCKET s, HANDLE file, DWORD write_length,
                                      DWORD send_length, LPOVERLAPPED overlapped,
                                      LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    struct ext_call call;
    LPFN_TRANSMITFILE function = ext_begin(&call, s, EXT_TRANSMITFILE, overlapped, NULL);
    BOOL ok;

    if (!function)
        return FALSE;
    ok = function(s, file, write_length, send_length, overlapped, buffers, flags);
    ext_end(&call, !ok, GetLastError());
    return ok;
}

static BOOL PASCAL front_transmitpackets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements,
                                         DWORD count, DWORD send_size,
                                         LPOVERLAPPED overlapped, DWORD flags)
{
    struct ext_call call;
    LPFN_TRANSMITPACKETS function = ext_begin(&call, s, EXT_TRANSMITPACKETS, overlapped,
                                              NULL);
    BOOL ok;

    if (!function)
        return FALSE;
    ok = function(s, elements, count, send_size, overlapped, flags);
    ext_end(&call, !ok, GetLastError());
    return ok;
}

static BOOL PASCAL front_disconnectex(SOCKET s, LPOVERLAPPED overlapped, DWORD flags,
                                      DWORD reserved)
{
    struct ext_call call;
    LPFN_DISCONNECTEX function = ext_begin(&call, s, EXT_DISCONNECTEX, overlapped, NULL);
    BOOL ok;

    if (!function)
        return FALSE;
    ok = function(s, overlapped, flags, reserved);
    ext_end(&call, !ok, GetLastError());
    return ok;
}

static INT PASCAL front_wsarecvmsg(SOCKET s, LPWSAMSG msg, LPDWORD received,
                                   LPWSAOVERLAPPED overlapped,
                                   LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct ext_call call;
    LPFN_WSARECVMSG function = ext_begin(&call, s, EXT_WSARECVMSG, overlapped, routine);
    INT result;

    if (!function)
        return SOCKET_ERROR;
    result = function(s, msg, received, overlapped, pending_routine(call.pending, routine));
    ext_end(&call, result == SOCKET_ERROR, GetLastError());
    return result;
}

/* WSASendMsg is the front end's own export (sendmsg.c), which does all
 * of the above already; GetAcceptExSockaddrs takes no socket and starts
 * nothing, so the provider's own is left. */
static void *const front_functions[EXT_COUNT] = {
    [EXT_CONNECTEX] = (void *)front_connectex,
    [EXT_ACCEPTEX] = (void *)front_acceptex,
    [EXT_TRANSMITFILE] = (void *)front_transmitfile,
    [EXT_TRANSMITPACKETS] = (void *)front_transmitpackets,
    [EXT_DISCONNECTEX] = (void *)front_disconnectex,
    [EXT_WSARECVMSG] = (void *)front_wsarecvmsg,
    [EXT_WSASENDMSG] = (void *)WSASendMsg,
};

void extension_wrap(struct dsocket *ds, const void *in, DWORD in_size, void *out,
                    DWORD out_size)
{
    GUID guid;
    int id;

    if (ds->ifs || in_size < sizeof(guid) || out_size < sizeof(void *))
        return;
    memcpy(&guid, in, sizeof(guid));
    for (id = 0; id < EXT_COUNT; id++) {
        if (IsEqualGUID(&guid, &ext_guids[id])) {
            if (front_functions[id])
                memcpy(out, &front_functions[id], sizeof(void *));
            return;
        }
    }
}
