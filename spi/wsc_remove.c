/* SPDX-License-Identifier: MIT */
/* WSCDeinstallProvider and WSCDeinstallProvider32: remove every entry of a
 * provider from a catalog. */
#include "wsc.h"

#include <stdlib.h>

/* Called with the catalog lock held. */
static int deinstall_locked(enum catalog_view view, const GUID *provider)
{
    struct catalog cat;
    DWORD i, kept = 0;
    int error;

    error = catalog_read(view, &cat);
    if (error)
        return error;
    for (i = 0; i < cat.count; i++)
        if (!IsEqualGUID(&cat.entries[i].info.ProviderId, provider))
            cat.entries[kept++] = cat.entries[i];
    /* Documented: an id that names no provider is WSAEINVAL. */
    error = kept == cat.count ? WSAEINVAL : catalog_write(view, cat.entries, kept);
    catalog_free(&cat);
    return error;
}

static int deinstall(enum catalog_view view, LPGUID lpProviderId, LPINT lpErrno)
{
    int error;

    if (!lpErrno)
        return wsc_no_errno();
    if (!lpProviderId)
        return wsc_fail(lpErrno, WSAEINVAL);
    error = catalog_lock();
    if (error)
        return wsc_fail(lpErrno, error);
    error = deinstall_locked(view, lpProviderId);
    catalog_unlock();
    return error ? wsc_fail(lpErrno, error) : 0;
}

int WSPAPI WSCDeinstallProvider(LPGUID lpProviderId, LPINT lpErrno)
{
    return deinstall(CATALOG_NATIVE, lpProviderId, lpErrno);
}

int WSPAPI WSCDeinstallProvider32(LPGUID lpProviderId, LPINT lpErrno)
{
    return deinstall(CATALOG_32, lpProviderId, lpErrno);
}
