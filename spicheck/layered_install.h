/* SPDX-License-Identifier: MIT */
/* layered_install.h: installing a layered service provider into the
 * Winsock catalog the way an LSP installer does, through WSC* calls only:
 * a hidden layered entry (ChainLen LAYERED_PROTOCOL) and one protocol
 * chain per entry it layers over, put first in the catalog order.
 *
 * spicheck's, and independent of Check, so that any test program can
 * install lspkit.dll (or a chain of it) in a fixture too. The functions return 0 or the WSC*
 * error code. */
#ifndef LSPKIT_SPICHECK_LAYERED_INSTALL_H
#define LSPKIT_SPICHECK_LAYERED_INSTALL_H

#include <winsock2.h>
#include <ws2spi.h>

/* Where bin/lspkit-wine (or an installer) puts the provider. */
#define LAYERED_DLL_PATH L"%SystemRoot%\\system32\\lspkit.dll"

/* At most this many entries are layered over in one install. */
#define LAYERED_MAX_CHAINS 16

struct layered_install {
    GUID layered_guid;            /* the hidden layered entry */
    GUID chain_guid;              /* its chain entries */
    DWORD layered_id;             /* the layered entry's catalog id */
    DWORD chain_ids[LAYERED_MAX_CHAINS];
    DWORD chain_count;
};

/* The catalog ids of the TCP and UDP base entries of IPv4 and IPv6, in
 * catalog order. Returns how many (at most `max`). */
DWORD layered_base_entries(DWORD *ids, DWORD max);

/* Installs `dll_path` (stored as given, e.g. LAYERED_DLL_PATH) as a layered
 * provider whose chains lie over each of the `count` entries `over` (base
 * entries, or chain entries of another layered provider: the new chain is
 * then one link longer), and moves the new chains to the front of the
 * catalog. Fills `out`. Removes anything installed under the same GUIDs
 * first, so a run interrupted earlier leaves no trace. */
int layered_install(const WCHAR *dll_path, const GUID *layered_guid, const GUID *chain_guid,
                    const DWORD *over, DWORD count, struct layered_install *out);

/* Removes the chains, then the layered entry (absent ones are fine). */
void layered_uninstall(const struct layered_install *installed);

/* The catalog entry with id `id`, hidden ones included. 0 or an error. */
int layered_catalog_entry(DWORD id, WSAPROTOCOL_INFOW *out);

#endif
