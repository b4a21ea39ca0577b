/* SPDX-License-Identifier: MIT */
/* Carrying out plans: WSC* calls that bring the catalogs to desired ones.
 *
 * Each present catalog gets its own plan (catalog/diff.h). On 64-bit
 * Windows the 32-bit catalog has no installation call of its own, only
 * WSCInstallProvider64_32, which installs into both: a provider installed
 * into both is installed once that way and its 32-bit entries then get
 * their own DLL path and ids through WSCUpdateProvider32. */
#ifndef LSPKIT_INSTALLER_APPLY_H
#define LSPKIT_INSTALLER_APPLY_H

#include "wsc.h"

/* Brings every catalog `desired` has to it (entries may carry placeholder
 * ids), then reads them back and checks the result. Returns 0, or -1 with
 * `err` set; after a failure the catalogs may be part-way and the caller
 * rolls back. */
int apply_views(const struct wsc_api *api, const struct cm_views *desired, struct cm_error *err);

/* TRUE when every present catalog of `cur` already is `desired` (see
 * cm_same_layout). */
BOOL views_same_layout(const struct cm_views *cur, const struct cm_views *desired);

#endif
