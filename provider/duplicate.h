/* SPDX-License-Identifier: MIT */
/* WSPDuplicateSocket across processes. The lower provider duplicates its
 * own socket into a WSAPROTOCOL_INFOW of its own; we hand that to the
 * target process in a file mapping, whose handle (duplicated into the
 * target) travels in dwProviderReserved of our chain entry's info. The
 * target's WSPSocket takes it back out (duplicate_import). */
#ifndef LSPKIT_PROVIDER_DUPLICATE_H
#define LSPKIT_PROVIDER_DUPLICATE_H

#include <winsock2.h>
#include <ws2spi.h>

/* TRUE when `info` came from our WSPDuplicateSocket. */
BOOL duplicate_is_import(const WSAPROTOCOL_INFOW *info);

/* Reads (and releases) the lower provider's info from `info`. Returns 0
 * or WSAEINVAL when the mapping is not there. */
int duplicate_import(const WSAPROTOCOL_INFOW *info, WSAPROTOCOL_INFOW *lower_info);

#endif
