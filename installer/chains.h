/* SPDX-License-Identifier: MIT */
/* Installing through WSCInstallProviderAndChains(64_32), where ws2_32 has it.
 *
 * That call installs the layered entry and a chain over the top-most entry
 * of each protocol asked for, and orders them first, in one catalog write.
 * What it made is then adopted into the desired catalog (ids, and the GUIDs
 * ws2_32 chose for the chains), and the ordinary plan finishes the rest:
 * names, categories, order, chains it did not make. */
#ifndef LSPKIT_INSTALLER_CHAINS_H
#define LSPKIT_INSTALLER_CHAINS_H

#include "lspinst.h"
#include "../catalog/plan.h"

enum chains_method {
    CHAINS_AUTO,                 /* when ws2_32 has it and lspkit goes above other LSPs */
    CHAINS_ALWAYS,               /* fail without it */
    CHAINS_NEVER,                /* WSCInstallProvider and WSCWriteProviderOrder only */
};

struct chains_request {
    const WCHAR *name, *dll, *dll32;
    enum chains_method method;
    enum cm_placement placement;
};

void chains_request_init(struct chains_request *req, const WCHAR *name, const WCHAR *dll,
                         const WCHAR *dll32, enum chains_method method,
                         enum cm_placement placement);

/* change_step_fn for install: `arg` is a struct chains_request. */
int install_step(struct lspinst *ctx, struct cm_views *desired, void *arg, struct cm_error *err);

#endif
