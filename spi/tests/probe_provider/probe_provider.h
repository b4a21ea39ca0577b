/* SPDX-License-Identifier: MIT */
/* What tests know of probe_provider.dll (see probe_provider.c). */
#ifndef LSPKIT_PROBE_PROVIDER_H
#define LSPKIT_PROBE_PROVIDER_H

#include <winsock2.h>
#include <ws2spi.h>

/* Exit code of a process in which the front end called a slot the probe
 * does not serve. */
#define PROBE_UNEXPECTED_EXIT 98

/* Socket n (from 1) the probe creates has context PROBE_CONTEXT_BASE + n. */
#define PROBE_CONTEXT_BASE 0x5EED0000

/* Exports, found with GetProcAddress. */
typedef const WSPUPCALLTABLE *(*probe_upcall_table_fn)(void);
/* The WSATHREADID the front end passed to the last overlapped WSPRecv. */
typedef WSATHREADID (*probe_last_thread_id_fn)(void);

#endif
