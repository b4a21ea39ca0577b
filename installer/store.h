/* SPDX-License-Identifier: MIT */
/* Reading the registry store's facts that the WSC* API does not show
 * (catalog/store.h). */
#ifndef LSPKIT_INSTALLER_STORE_H
#define LSPKIT_INSTALLER_STORE_H

#include "../catalog/store.h"

#define STORE_KEY \
    L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"

/* Fills `out` (zeroed or freed) from Protocol_Catalog9. A store or catalog
 * key that does not exist reads as absent. Returns 0, or -1 with `err` set
 * when the registry fails or memory runs out. */
int read_store(struct cm_store *out, struct cm_error *err);

#endif
