/* SPDX-License-Identifier: MIT */
/* The front end's socket table: every socket handle a provider created
 * through WPUCreateSocketHandle or registered through WPUModifyIFSHandle,
 * with the catalog entry it belongs to.
 *
 * Lookups are O(1) (open hashing on the handle value) and take a reference,
 * so a socket closed by one thread stays valid for a call already under way
 * in another. */
#ifndef LSPKIT_DSOCKET_H
#define LSPKIT_DSOCKET_H

#include <winsock2.h>
#include <ws2spi.h>
#include "dprovide.h"
#include "../common/hash.h"

struct dsocket {
    SOCKET handle;
    DWORD catalog_id;             /* the entry the provider registered it for */
    DWORD_PTR context;            /* WPUCreateSocketHandle's context; 0 for IFS */
    BOOL ifs;                     /* registered by WPUModifyIFSHandle */
    struct provider *provider;    /* the provider calls dispatch to; NULL until known */
    BOOL closed;                  /* closesocket succeeded; awaiting WPUCloseSocketHandle */
    LONG refs;
    struct hash_link link;        /* on the table of sockets, keyed by handle */
};

/* Registers a handle. Returns 0 or a WSA error (WSAENOBUFS). */
int dsocket_register(SOCKET handle, DWORD catalog_id, DWORD_PTR context, BOOL ifs);

/* Ties a registered handle to the provider that the front end called to
 * create it (takes a reference on the provider). Returns FALSE when the
 * handle is not registered. */
BOOL dsocket_attach_provider(SOCKET handle, struct provider *p);

/* Looks a handle up and takes a reference; NULL when it is not a socket. */
struct dsocket *dsocket_get(SOCKET handle);

/* Marks a socket closed for the application: calls on it fail with
 * WSAENOTSOCK from now on, while the record stays for the upcalls of a
 * non-IFS provider until its WPUCloseSocketHandle. */
void dsocket_mark_closed(struct dsocket *s);

void dsocket_release(struct dsocket *s);

/* Removes a handle from the table; FALSE when it was not there. */
BOOL dsocket_unregister(SOCKET handle);

/* Removes `s` from the table if it is still the record for its handle: a
 * closed handle value may already have been reused by another socket. */
void dsocket_unregister_record(struct dsocket *s);

#endif
