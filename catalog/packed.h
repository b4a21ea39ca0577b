/* SPDX-License-Identifier: MIT */
/* A PackedCatalogItem as Windows stores it in the registry (and as the
 * front end's store keeps it, spi/dcatalog.h): the provider DLL path as
 * CHAR[MAX_PATH] followed by a WSAPROTOCOL_INFOW, under a key named by its
 * index. One test of whether such bytes and names are an entry, so that
 * the front end's reading and lspinst's checking of the store never
 * disagree. */
#ifndef LSPKIT_CATALOG_PACKED_H
#define LSPKIT_CATALOG_PACKED_H

#include <winsock2.h>
#include <ws2spi.h>

#define CM_PACKED_SIZE (MAX_PATH + sizeof(WSAPROTOCOL_INFOW))

/* TRUE when an item is well formed: a non-empty NUL-terminated DLL path, a
 * NUL-terminated szProtocol, a non-zero id, ChainLen 0..MAX_PROTOCOL_CHAIN
 * and an address family in [AF_UNSPEC, AF_MAX). */
BOOL cm_packed_valid(const CHAR *dll_path, const WSAPROTOCOL_INFOW *info);

/* Entry keys are named by twelve digits ("000000000001"); their order is
 * catalog order. */
#define CM_ENTRY_NAME_LEN 12

/* The index an entry key's name stands for; 0 when it is not twelve
 * digits (no entry key). */
ULONGLONG cm_entry_index(const WCHAR *name);

#endif
