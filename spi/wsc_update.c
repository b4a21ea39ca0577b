/* SPDX-License-Identifier: MIT */
/* WSCUpdateProvider and WSCUpdateProvider32: replace entries of a provider.
 * Each given WSAPROTOCOL_INFOW names the entry it replaces by its
 * dwCatalogEntryId, as WSCEnumProtocols reported it; that entry must belong
 * to the provider. Id, GUID and position stay; the rest and the DLL path
 * are taken from the caller. */
#include "wsc.h"

/* Called with the catalog lock held. */
static int update_locked(enum catalog_view view, const GUID *provider, const CHAR *path,
                         const WSAPROTOCOL_INFOW *list, DWORD n)
{
    struct catalog_entry *entry;
    struct catalog cat;
    DWORD i;
    int error;

    error = catalog_read(view, &cat);
    if (error)
        return error;
    if (!wsc_has_provider(&cat, provider))
        error = WSAEINVAL;
    for (i = 0; !error && i < n; i++) {
        entry = (struct catalog_entry *)catalog_find_id(&cat, list[i].dwCatalogEntryId);
        if (!entry || !IsEqualGUID(&entry->info.ProviderId, provider))
            error = WSAEINVAL;
        else
            error = wsc_check_info(&cat, &list[i]);
        if (!error)
            wsc_make_entry(entry, path, &list[i], provider, list[i].dwCatalogEntryId);
    }
    if (!error)
        error = catalog_write(view, cat.entries, cat.count);
    catalog_free(&cat);
    return error;
}

static int update(enum catalog_view view, LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                  const WSAPROTOCOL_INFOW *lpProtocolInfoList, DWORD dwNumberOfEntries,
                  LPINT lpErrno)
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
    error = update_locked(view, lpProviderId, path, lpProtocolInfoList, dwNumberOfEntries);
    catalog_unlock();
    return error ? wsc_fail(lpErrno, error) : 0;
}

int WSPAPI WSCUpdateProvider(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                             const LPWSAPROTOCOL_INFOW lpProtocolInfoList, DWORD dwNumberOfEntries,
                             LPINT lpErrno)
{
    return update(CATALOG_NATIVE, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                  dwNumberOfEntries, lpErrno);
}

int WSPAPI WSCUpdateProvider32(LPGUID lpProviderId, const WCHAR *lpszProviderDllPath,
                               const LPWSAPROTOCOL_INFOW lpProtocolInfoList,
                               DWORD dwNumberOfEntries, LPINT lpErrno)
{
    return update(CATALOG_32, lpProviderId, lpszProviderDllPath, lpProtocolInfoList,
                  dwNumberOfEntries, lpErrno);
}
