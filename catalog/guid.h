/* SPDX-License-Identifier: MIT */
/* GUIDs derived from other data. Plain code with no Winsock and no catalog
 * behind it, so the front end's WSCInstallProviderAndChains uses it too. */
#ifndef LSPKIT_CATALOG_GUID_H
#define LSPKIT_CATALOG_GUID_H

#include <windows.h>

/* A GUID determined by `seed` and `what`: the same inputs give the same
 * GUID (so a chain over the same lower entry gets one GUID in both
 * catalogs), and a new seed gives new GUIDs. */
GUID cm_derive_guid(const GUID *seed, const void *what, size_t size);

#endif
