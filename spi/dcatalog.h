/* SPDX-License-Identifier: MIT */
/* The Winsock catalog, stored in the registry as Windows stores it.
 *
 *   HKLM\SYSTEM\CurrentControlSet\Services\WinSock2\Parameters\Protocol_Catalog9
 *     Serial_Access_Num       REG_DWORD  bumped on every change
 *     Next_Catalog_Entry_ID   REG_DWORD  next dwCatalogEntryId to hand out
 *     Num_Catalog_Entries     REG_DWORD  (also under Catalog_Entries[64])
 *     Catalog_Entries64\000000000001\PackedCatalogItem   x64 catalog
 *     Catalog_Entries\000000000001\PackedCatalogItem     32-bit catalog
 *
 * A PackedCatalogItem is the provider DLL path as CHAR[MAX_PATH] followed by
 * a WSAPROTOCOL_INFOW. Key names give the catalog order. */
#ifndef LSPKIT_DCATALOG_H
#define LSPKIT_DCATALOG_H

#include <winsock2.h>
#include <ws2spi.h>

#define CATALOG_ROOT_KEY \
    L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"

enum catalog_view {
    CATALOG_NATIVE,   /* Catalog_Entries64 on x64, Catalog_Entries on x86 */
    CATALOG_32,       /* Catalog_Entries, the 32-bit catalog */
};

struct catalog_entry {
    CHAR dll_path[MAX_PATH];      /* as stored, environment variables unexpanded */
    WSAPROTOCOL_INFOW info;
};

/* A snapshot of one catalog, in catalog order. */
struct catalog {
    struct catalog_entry *entries;
    DWORD count;
    DWORD serial;                 /* Serial_Access_Num when read */
};

/* Reads a whole catalog, seeding the store with the base entries when the
 * catalog was never written (first use: its key is absent or holds
 * nothing). A catalog that was is never written by a read: entries whose PackedCatalogItem is truncated or
 * garbage are skipped and left in place, and an empty catalog reads as
 * empty. Returns 0 or a WSA error code. */
int catalog_read(enum catalog_view view, struct catalog *out);

/* Replaces a whole catalog with `entries` in the given order, bumping
 * Serial_Access_Num. Returns 0 or a WSA error code. */
int catalog_write(enum catalog_view view, const struct catalog_entry *entries, DWORD count);

/* Hands out a fresh catalog entry id (Next_Catalog_Entry_ID). */
int catalog_next_id(DWORD *id);

/* The current Serial_Access_Num, so callers can tell whether a snapshot is stale. */
DWORD catalog_serial(void);

void catalog_free(struct catalog *cat);

/* Finds an entry by dwCatalogEntryId; NULL when absent. */
const struct catalog_entry *catalog_find_id(const struct catalog *cat, DWORD id);

/* Expands environment variables in an entry's DLL path into `out` (MAX_PATH WCHARs). */
BOOL catalog_expand_path(const struct catalog_entry *entry, WCHAR *out);

/* TRUE when an entry is well formed (cm_packed_valid, catalog/packed.h).
 * catalog_read skips, and catalog_write refuses, any other. */
BOOL catalog_entry_valid(const struct catalog_entry *entry);

/* Holds the store's cross-process lock (the named mutex
 * Global\lspkit-catalog) so that a read-check-write sequence of several
 * calls is atomic against other threads and processes. Recursive within a
 * thread; catalog_read, catalog_write and catalog_next_id take it
 * themselves. catalog_lock returns 0 or WSANO_RECOVERY. */
int catalog_lock(void);
void catalog_unlock(void);

/* The LSP categories (WSCSetProviderInfo's ProviderInfoLspCategories) of
 * the entry with dwCatalogEntryId `id`, kept as the REG_DWORD value
 * LspCategories beside its PackedCatalogItem; catalog_write keeps the
 * value with its entry when the order changes. An entry without the value
 * has categories 0. Both return 0, WSAEINVAL when no entry has that id, or
 * WSANO_RECOVERY when the registry fails. */
int catalog_get_categories(enum catalog_view view, DWORD id, DWORD *categories);
int catalog_set_categories(enum catalog_view view, DWORD id, DWORD categories);

#endif
