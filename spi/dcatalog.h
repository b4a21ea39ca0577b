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

/* Reads a whole catalog, seeding the store with the base entries on first
 * use. Entries whose PackedCatalogItem is truncated or garbage are skipped.
 * Returns 0 or a WSA error code. */
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

#endif
