/* SPDX-License-Identifier: MIT */
/* The WSC* functions the installer uses, per catalog view.
 *
 * All of them are looked up with GetProcAddress in the ws2_32 the process
 * loaded, so one binary runs on any ws2_32 (Windows' own, or lspkit's front
 * end under Wine): what is missing is just not used. The table also lets
 * unit tests run the installer's logic against an in-memory catalog.
 *
 * Every catalog write is preceded by wsc_write_begin(), the hook of the
 * fault injection that the installer's tests use. It is compiled only into
 * the test build of lspinst (LSPINST_FAULTS, installer/tests/tests.mk; faults.c),
 * which reads from the environment:
 *   LSPINST_FAIL_AFTER_WRITES=N  the process dies (exit code LSPINST_KILLED)
 *                                instead of doing write N+1
 *   LSPINST_FAIL_WRITE=N         write N (from 1) fails with WSANO_RECOVERY
 *                                without reaching the catalog
 * In the release build the hook is empty and the write goes ahead. */
#ifndef LSPKIT_INSTALLER_WSC_H
#define LSPKIT_INSTALLER_WSC_H

#include "../catalog/model.h"

#define LSPINST_KILLED 99

typedef int (WSPAPI *wsc_enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *wsc_path_fn)(LPGUID, WCHAR *, LPINT, LPINT);
typedef int (WSPAPI *wsc_provider_fn)(LPGUID, const WCHAR *, const LPWSAPROTOCOL_INFOW, DWORD,
                                      LPINT);
typedef int (WSPAPI *wsc_deinstall_fn)(LPGUID, LPINT);
typedef int (WSPAPI *wsc_order_fn)(LPDWORD, DWORD);
typedef int (WSPAPI *wsc_get_info_fn)(LPGUID, WSC_PROVIDER_INFO_TYPE, PBYTE, size_t *, DWORD,
                                      LPINT);
typedef int (WSPAPI *wsc_set_info_fn)(LPGUID, WSC_PROVIDER_INFO_TYPE, PBYTE, size_t, DWORD, LPINT);
typedef int (WSPAPI *wsc_chains_fn)(LPGUID, const LPWSTR, const LPWSTR, DWORD,
                                    LPWSAPROTOCOL_INFOW, DWORD, LPDWORD, LPINT);
typedef int (WSPAPI *wsc_chains64_32_fn)(LPGUID, const LPWSTR, const LPWSTR, const LPWSTR, DWORD,
                                         LPWSAPROTOCOL_INFOW, DWORD, LPDWORD, LPINT);

struct wsc_api {
    /* Per view; NULL where that ws2_32 lacks it. */
    wsc_enum_fn enum_protocols[CM_VIEWS];
    wsc_path_fn get_path[CM_VIEWS];
    wsc_provider_fn update[CM_VIEWS];
    wsc_deinstall_fn deinstall[CM_VIEWS];
    wsc_order_fn write_order[CM_VIEWS];
    wsc_get_info_fn get_info[CM_VIEWS];
    wsc_set_info_fn set_info[CM_VIEWS];
    wsc_provider_fn install;          /* WSCInstallProvider: native catalog */
    wsc_provider_fn install64_32;     /* WSCInstallProvider64_32: both catalogs */
    wsc_chains_fn install_chains;     /* WSCInstallProviderAndChains: native */
    wsc_chains64_32_fn install_chains64_32;
};

/* Binds `api` to the ws2_32 this process loaded. Returns FALSE, naming the
 * function in `missing`, when one that every ws2_32 has is absent. */
BOOL wsc_bind(struct wsc_api *api, const char **missing);

/* TRUE when `api` can read and change the 32-bit catalog. */
static inline BOOL wsc_has_view32(const struct wsc_api *api)
{
    return api->enum_protocols[CM_VIEW_32] && api->get_path[CM_VIEW_32] &&
           api->update[CM_VIEW_32] && api->deinstall[CM_VIEW_32] &&
           api->write_order[CM_VIEW_32] && api->install64_32;
}

#ifdef LSPINST_FAULTS
/* Call before each catalog write. Returns 0, or WSANO_RECOVERY for an
 * injected failure; never returns for an injected kill. */
int wsc_write_begin(void);

/* Arms fault injection (the state at start: write count 0) or disarms it
 * (for the rollback after a failure). */
void wsc_faults_arm(BOOL armed);
#else
static inline int wsc_write_begin(void)
{
    return 0;
}

static inline void wsc_faults_arm(BOOL armed)
{
    (void)armed;
}
#endif

#endif
