/* SPDX-License-Identifier: MIT */
/* Helpers shared by the WSC* catalog API (spi/wsc_*.c) and WSAEnumProtocols.
 *
 * Every WSC* function reports through lpErrno; when lpErrno itself is NULL
 * there is nowhere to report, so the call fails with WSAEFAULT as the
 * thread's last error instead. */
#ifndef LSPKIT_WSC_H
#define LSPKIT_WSC_H

#include "dcatalog.h"

/* Stores `error` in *lpErrno and returns SOCKET_ERROR. */
int wsc_fail(LPINT lpErrno, int error);

/* The failure of a call whose lpErrno is NULL. */
int wsc_no_errno(void);

/* The catalogs a "64_32" call changes together: the native and the 32-bit
 * catalog on x64; on x86 they are one, changed once. */
#define WSC_MAX_VIEWS 2
extern const enum catalog_view wsc_both_views[];
extern const DWORD wsc_both_count;

/* Converts a provider DLL path to the CHAR[MAX_PATH] a PackedCatalogItem
 * holds. Returns 0, WSAEFAULT for NULL, or WSAEINVAL when it is empty, too
 * long or not representable in the ANSI code page. */
int wsc_path_to_ansi(const WCHAR *path, CHAR out[MAX_PATH]);

/* TRUE when some entry of `cat` belongs to provider `id`. */
BOOL wsc_has_provider(const struct catalog *cat, const GUID *id);

/* TRUE when iProtocol-filter `protocols` (zero-terminated, NULL for all)
 * selects `info`: a listed protocol within [iProtocol, iProtocol +
 * iProtocolMaxOffset]. An entry with iProtocol 0 is selected only by NULL. */
BOOL wsc_protocol_selected(const WSAPROTOCOL_INFOW *info, const INT *protocols);

/* Checks a protocol entry a caller asks to install or update in `cat`: a
 * NUL-terminated szProtocol, ChainLen 0..MAX_PROTOCOL_CHAIN, an address
 * family in [AF_UNSPEC, AF_MAX), and for a chain (ChainLen >= 2) entries
 * that all exist in `cat`. Returns 0 or WSAEINVAL. */
int wsc_check_info(const struct catalog *cat, const WSAPROTOCOL_INFOW *info);

/* Fills a new catalog entry: `info` as the caller gave it, with the
 * provider's GUID and id `id`; a base entry's chain names the entry itself. */
void wsc_make_entry(struct catalog_entry *entry, const CHAR *path, const WSAPROTOCOL_INFOW *info,
                    const GUID *provider, DWORD id);

/* Hands out `n` fresh catalog ids. Returns 0 or an error. */
int wsc_new_ids(DWORD *ids, DWORD n);

/* Writes new contents for several catalogs; when one write fails, the
 * catalogs already written get their old contents back. `old[i]` is what
 * views[i] held. Call it with the catalog lock held, so that nobody sees the
 * catalogs between the two writes. Returns 0 or the first error. */
int wsc_write_views(const enum catalog_view *views, DWORD nviews, const struct catalog *old,
                    struct catalog *updated);

/* The entries of `cat` that enumeration reports: those `protocols`
 * selects, and, for applications (WSAEnumProtocols), none hidden by
 * PFL_HIDDEN or layered (ChainLen 0). Copies them as `item_size` items to
 * `buffer` when its *length bytes hold them all; otherwise (a NULL buffer
 * holds nothing) sets *length to the size needed and fails with
 * WSAENOBUFS. `convert` copies one entry into an item. Returns the count,
 * or SOCKET_ERROR with *error set. */
int wsc_enum_entries(const struct catalog *cat, const INT *protocols, BOOL for_applications,
                     void *buffer, LPDWORD length, size_t item_size,
                     void (*convert)(const WSAPROTOCOL_INFOW *info, void *item), int *error);

#endif
