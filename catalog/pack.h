/* SPDX-License-Identifier: MIT */
/* Both catalogs as bytes: the `lspinst backup` file and the installer's
 * record of the catalog before a command.
 *
 *   "LSPKCAT1"  DWORD version (1)  DWORD views present (bit per cm_view)
 *   per present view: DWORD count, then per entry:
 *       WCHAR path[MAX_PATH], WSAPROTOCOL_INFOW, DWORD categories
 *   DWORD CRC-32 of everything before it
 *
 * All little-endian. WSAPROTOCOL_INFOW holds no pointers, so 32- and 64-bit
 * builds read each other's files. */
#ifndef LSPKIT_CATALOG_PACK_H
#define LSPKIT_CATALOG_PACK_H

#include <stddef.h>
#include "model.h"

/* The CRC-32 (IEEE) that a packed catalog's last DWORD holds, of the
 * `size` bytes before it. */
DWORD cm_pack_checksum(const unsigned char *data, size_t size);

/* Returns 0 with a malloc'ed buffer in *out, or -1 when out of memory. */
int cm_pack(const struct cm_views *views, unsigned char **out, size_t *size);

/* Fills `views` (initialised) from `data`. Returns 0, or -1 with `err`
 * saying what is wrong (truncated, not a catalog file, damaged). */
int cm_unpack(const unsigned char *data, size_t size, struct cm_views *views,
              struct cm_error *err);

#endif
