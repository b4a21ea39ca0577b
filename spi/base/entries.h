/* SPDX-License-Identifier: MIT */
/* The catalog entries this provider has been handed.
 *
 * Each socket points at the entry it was created for (SO_PROTOCOL_INFOW
 * answers with it), so every distinct entry is stored once and kept until
 * the last WSPCleanup, when no socket is left to point at it: the catalog
 * holds only a handful of base entries. */
#ifndef LSPKIT_BASE_ENTRIES_H
#define LSPKIT_BASE_ENTRIES_H

#include <winsock2.h>

/* Records an entry WSPStartup was called for; its ProviderId marks infos as
 * ours from then on. Returns the stored copy, NULL when out of memory. */
const WSAPROTOCOL_INFOW *entries_add_started(const WSAPROTOCOL_INFOW *info);

/* Returns the stored copy of `info`, storing it on first sight; NULL when
 * out of memory. */
const WSAPROTOCOL_INFOW *entries_intern(const WSAPROTOCOL_INFOW *info);

/* TRUE when `info` describes an entry of this provider (same ProviderId as
 * an entry it was started for), FALSE for anything else, such as the
 * system's own infos from socket duplication. */
BOOL entries_is_ours(const WSAPROTOCOL_INFOW *info);

/* The stored entry with this catalog id, or NULL. */
const WSAPROTOCOL_INFOW *entries_by_id(DWORD catalog_id);

/* The first entry WSPStartup was called for; NULL before any startup. */
const WSAPROTOCOL_INFOW *entries_first_started(void);

/* Forgets every entry; only when no socket refers to one any more (the
 * last WSPCleanup, after which the front end may unload us). */
void entries_clear(void);

#endif
