/* SPDX-License-Identifier: MIT */
/* WSCInstallProvider and WSCInstallProvider64_32: append a provider's
 * protocol entries to the native catalog, or to both catalogs. */
#include "wsc.h"

#include <stdlib.h>
#include <string.h>

/* Installs `list` as `provider` in each of `views`: every entry gets a fresh
 * catalog id, the same one in every catalog, and goes at the end. Called
 * with the catalog lock held. */
static int install_locked(const enum catalog_view *views, DWORD nviews, const GUID *provider,
                          const CHAR *path, const WSAPROTOCOL_INFOW *list, DWORD n)
{
    struct catalog old[WSC_MAX_VIEWS] = { { 0 } }, updated[WSC_MAX_VIEWS] = { { 0 } };
    DWORD *ids, v, i;
    int error = 0;

    ids = malloc(n * sizeof(*ids));
    if (!ids)
        return WSA_NOT_ENOUGH_MEMORY;
    for (v = 0; !error && v < nviews; v++)
        error = catalog_read(views[v], &old[v]);
    for (v = 0; !error && v < nviews; v++)
        for (i = 0; !error && i < n; i++)
            error = wsc_check_info(&old[v], &list[i]);
    /* Documented: "the provider is already installed" is WSANO_RECOVERY. */
    for (v = 0; !error && v < nviews; v++)
        if (wsc_has_provider(&old[v], provider))
            error = WSANO_RECOVERY;
    if (!error)
        error = wsc_new_ids(ids, n);
    for (v = 0; !error && v < nviews; v++) {
        updated[v].entries = malloc((old[v].count + n) * sizeof(*updated[v].entries));
        if (!updated[v].entries) {
            error = WSA_NOT_ENOUGH_MEMORY;
            break;
        }
        memcpy(updated[v].entries, old[v].entries, old[v].count * sizeof(*old[v].entries));
        for (i = 0; i < n; i++)
            wsc_make_entry(&updated[v].entries[old[v].count + i], path, &list[i], provider, ids[i]);
        updated[v].count = old[v].count + n;
    }
    if (!error)
        error = wsc_write_views(views, nviews, old, updated);
    for (v = 0; v < nviews; v++) {
        catalog_free(&old[v]);
        catalog_free(&updated[v]);
    }
    free(ids);
    return error;
}

static int install(const enum catalog_view *views, DWORD nviews, LPGUID lpProviderId,
                   const WCHAR *lpszProviderDllPath, const WSAPROTOCOL_INFOW *lpProtocolInfoList,
                   DWORD dwNumberOfEntries, LPINT lpErrno)
{
    CHAR path[MAX_PATH];
    int error;

    if (!lpErrno)
        return wsc_no_errno();
    if (!lpProviderId || !lpProtocolInfoList)
        return wsc_fail(lpErrno, WSAEFAULT);
    if (!dwNumberOfEntries)
        return wsc_fail(lpErrno, WSAEINVAL);
    error = wsc_path_to_ansi(lpszProviderDllPath, path);
    if (!error)
        error = catalog_lock();
    if (error)
        return wsc_fail(lpErrno, error);
    error = install_locked(views, nviews, lpProviderId, path, lpProtocolInfoList,
                           dwNumberOfEntries);
    catalog_unlock();
    return error ? wsc_fail(lpErrno, error) : 0;
}

int WSPAPI WSCInstallProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                              const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                              DWORD dwNumberOfEntries, LPINT lpErrno)
{
    static const enum catalog_view native[] = { CATALOG_NATIVE };

    return install(native, 1, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                   dwNumberOfEntries, lpErrno);
}

/* Under Wine one path serves both bitnesses: a 32-bit process resolves
 * system32 to its own system directory. */
int WSPAPI WSCInstallProvider64_32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                                   const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                                   DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return install(wsc_both_views, wsc_both_count, lpProviderId, lpszProviderDllPath,
                   lpProtocolInfoList, dwNumberOfEntries, lpErrno);
}
