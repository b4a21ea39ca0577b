/* SPDX-License-Identifier: MIT */
/* An in-memory Winsock catalog behind the WSC* function table
 * (installer/wsc.h), with the semantics of Windows' and lspkit's front
 * end: ids from one counter shared by both catalogs, installation at the
 * end, WSCInstallProvider64_32 into both with the same ids, updates by id,
 * removal by GUID, WSCInstallProviderAndChains putting chains first. It
 * lets the installer's logic be tested without Winsock. */
#ifndef LSPKIT_TEST_INSTALLER_FAKEWSC_H
#define LSPKIT_TEST_INSTALLER_FAKEWSC_H

#include "../wsc.h"

/* Starts over with these catalogs (`wow` NULL: a 32-bit Windows, one
 * catalog); ids are handed out from `next_id` on. */
void fake_reset(const struct cm_catalog *native, const struct cm_catalog *wow, DWORD next_id);

/* The table; `with_chains` decides whether WSCInstallProviderAndChains
 * (and its 64_32 form) exist. */
void fake_api(struct wsc_api *api, BOOL with_chains);

/* The fake's catalog of `view` as it stands (for comparisons). */
const struct cm_catalog *fake_catalog(enum cm_view view);

#endif
