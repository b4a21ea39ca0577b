/* SPDX-License-Identifier: MIT */
/* Reading the catalogs through the WSC* API into the model. */
#ifndef LSPKIT_INSTALLER_READ_H
#define LSPKIT_INSTALLER_READ_H

#include "wsc.h"

/* Fills `out` (initialised or freed) with every catalog `api` reaches:
 * entries in catalog order with their DLL paths and LSP categories.
 * Returns 0, or -1 with `err` set. */
int read_views(const struct wsc_api *api, struct cm_views *out, struct cm_error *err);

/* "WSAEINVAL (10022)" and the like, for messages. */
const char *wsa_error_name(int error, char *buf, size_t size);

#endif
