/* SPDX-License-Identifier: MIT */
/* The common frame of every call the front end dispatches to a provider. */
#ifndef LSPKIT_DISPATCH_H
#define LSPKIT_DISPATCH_H

#include <winsock2.h>
#include <ws2spi.h>
#include "dsocket.h"
#include "dthread.h"
#include "dstate.h"

/* Finds the socket a call names and makes sure it has a provider to
 * dispatch to: a handle registered by a provider the front end did not start
 * itself (a base socket an LSP created, handed out by SIO_BASE_HANDLE) gets
 * the provider of its catalog entry, as Windows' ws2_32 does. Returns the
 * referenced socket, or NULL (0 or a WSA error in *error). */
struct dsocket *dispatch_lookup(SOCKET s, int *error);

/* Starts a call on socket `s`: checks WSAStartup and finds the socket.
 * Returns the referenced socket, or NULL with the last error set
 * (WSANOTINITIALISED, WSAENOTSOCK). Both ends are traced with the name of
 * the API function they are called from. */
struct dsocket *dispatch_begin_call(SOCKET s, const char *call);
#define dispatch_begin(s) dispatch_begin_call((s), __func__)

/* Ends a call: drops the reference and, when the provider returned
 * SOCKET_ERROR, sets the last error to what it reported in lpErrno.
 * Returns `result` for the caller to return. */
int dispatch_end_call(struct dsocket *ds, int result, int error, const char *call);
#define dispatch_end(ds, result, error) dispatch_end_call((ds), (result), (error), __func__)

/* TRUE when a pointer the call writes through at completion is not
 * writable: Wine's ws2_32 writes through them without a guard, so a bad one
 * would crash the application where the documents promise WSAEFAULT. The
 * front end checks them before any provider sees the call. */
BOOL dispatch_bad_outputs(LPDWORD count, LPDWORD flags, LPWSAOVERLAPPED overlapped);

/* The provider proc table of a socket. */
#define PROCS(ds) (&(ds)->provider->procs)

#endif
