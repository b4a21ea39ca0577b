/* SPDX-License-Identifier: MIT */
/* Which catalog entry each socket of this provider was created for.
 *
 * The system knows the socket but not our catalog (its own entries have
 * other ids and another ProviderId), so SO_PROTOCOL_INFOW, accept and
 * duplication look the entry up here. Lookups are O(1): open hashing on
 * the handle value. */
#ifndef LSPKIT_BASE_SOCKETS_H
#define LSPKIT_BASE_SOCKETS_H

#include <winsock2.h>

/* Records (or replaces: handle values are reused once closed) the entry of
 * socket `s`. `entry` must be a stored entry (entries.h). Returns 0 or
 * WSAENOBUFS. */
int sockets_set(SOCKET s, const WSAPROTOCOL_INFOW *entry);

/* The entry of `s`, or NULL when `s` is not one of ours. */
const WSAPROTOCOL_INFOW *sockets_entry(SOCKET s);

/* Forgets `s`; returns its entry (NULL when it was not there). */
const WSAPROTOCOL_INFOW *sockets_remove(SOCKET s);

/* Forgets every socket: after the last WSPCleanup none is valid. */
void sockets_clear(void);

#endif
