/* SPDX-License-Identifier: MIT */
/* Providers as the front end sees them: a loaded DLL, started once with
 * WSPStartup, whose proc table serves every socket it owns. */
#ifndef LSPKIT_DPROVIDE_H
#define LSPKIT_DPROVIDE_H

#include <winsock2.h>
#include <ws2spi.h>
#include "dcatalog.h"

struct provider {
    LONG refs;                    /* one per socket, one for the started list */
    GUID provider_id;             /* WSPStartup is called once per provider id */
    HMODULE module;
    WSPPROC_TABLE procs;
    WSPDATA wsp_data;
    WSAPROTOCOL_INFOW info;       /* the entry it was started for */
    struct provider *next;
};

/* Returns the provider serving `entry`, loading and starting it on first
 * use, with a reference for the caller. On failure returns NULL and sets
 * *err to WSAEPROVIDERFAILEDINIT, WSAEINVALIDPROVIDER or WSAEINVALIDPROCTABLE. */
struct provider *provider_get(const struct catalog_entry *entry, int *err);

void provider_addref(struct provider *p);
void provider_release(struct provider *p);

/* Calls WSPCleanup on every started provider and unloads them (the last WSACleanup). */
void provider_cleanup_all(void);

#endif
