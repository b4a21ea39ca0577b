/* SPDX-License-Identifier: MIT */
/* Process-wide front-end state: the WSAStartup count and the catalog
 * snapshot that socket creation chooses providers from. */
#ifndef LSPKIT_DSTATE_H
#define LSPKIT_DSTATE_H

#include <winsock2.h>
#include "dcatalog.h"

/* 0 when WSAStartup has succeeded and WSACleanup has not undone it,
 * else WSANOTINITIALISED. */
int dstate_check_started(void);

/* Copies the catalog entry with dwCatalogEntryId `id` from the current
 * snapshot; FALSE when there is none. */
BOOL dstate_entry_by_id(DWORD id, struct catalog_entry *out);

/* Copies the first entry in catalog order that serves (af, type, protocol)
 * the way WSASocket chooses one (0 = wildcard, PFL_HIDDEN skipped, layered
 * entries skipped). Returns 0 or the WSA error socket() should report. */
int dstate_entry_for_socket(int af, int type, int protocol, struct catalog_entry *out);

/* Sets the thread's last error and returns SOCKET_ERROR: the common tail of
 * every failing Winsock call. */
int dstate_fail(int error);

#endif
