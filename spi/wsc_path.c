/* SPDX-License-Identifier: MIT */
/* WSCGetProviderPath and WSCGetProviderPath32: a provider's DLL path as
 * stored, environment strings unexpanded. *lpProviderDllPathLen counts
 * WCHARs: on success it becomes the path's length; when the buffer is too
 * small (documented as WSAEFAULT) it becomes the size needed, NUL included. */
#include "wsc.h"

static int provider_path(enum catalog_view view, LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                         LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    const struct catalog_entry *entry = NULL;
    struct catalog cat;
    int error, needed;
    DWORD i;

    if (!lpErrno)
        return wsc_no_errno();
    if (!lpProviderId)
        return wsc_fail(lpErrno, WSAEINVAL);
    if (!lpProviderDllPathLen)
        return wsc_fail(lpErrno, WSAEFAULT);
    error = catalog_read(view, &cat);
    if (error)
        return wsc_fail(lpErrno, error);
    for (i = 0; i < cat.count && !entry; i++)
        if (IsEqualGUID(&cat.entries[i].info.ProviderId, lpProviderId))
            entry = &cat.entries[i];
    if (!entry)
        error = WSAEINVAL;   /* documented: no such provider */
    if (!error) {
        needed = MultiByteToWideChar(CP_ACP, 0, entry->dll_path, -1, NULL, 0);
        if (!needed)
            error = WSANO_RECOVERY;
        else if (!lpszProviderDllPath || *lpProviderDllPathLen < needed) {
            *lpProviderDllPathLen = needed;
            error = WSAEFAULT;
        } else {
            MultiByteToWideChar(CP_ACP, 0, entry->dll_path, -1, lpszProviderDllPath, needed);
            *lpProviderDllPathLen = needed - 1;
        }
    }
    catalog_free(&cat);
    return error ? wsc_fail(lpErrno, error) : 0;
}

int WSPAPI WSCGetProviderPath(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                              LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return provider_path(CATALOG_NATIVE, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen,
                         lpErrno);
}

int WSPAPI WSCGetProviderPath32(LPGUID lpProviderId, WCHAR *lpszProviderDllPath,
                                LPINT lpProviderDllPathLen, LPINT lpErrno)
{
    return provider_path(CATALOG_32, lpProviderId, lpszProviderDllPath, lpProviderDllPathLen,
                         lpErrno);
}
