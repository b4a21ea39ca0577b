/* SPDX-License-Identifier: MIT */
/* WSCSetProviderInfo / WSCGetProviderInfo and their 32 variants. The one
 * information class Windows implements, ProviderInfoLspCategories, is a
 * DWORD of LSP_* flags; it is stored with each entry of the provider (see
 * catalog_set_categories). ProviderInfoAudit is documented as
 * ERROR_CALL_NOT_IMPLEMENTED. */
#include "wsc.h"

/* Validates the information class; 0 when it is ProviderInfoLspCategories. */
static int check_info_type(WSC_PROVIDER_INFO_TYPE type)
{
    if (type == ProviderInfoAudit)
        return ERROR_CALL_NOT_IMPLEMENTED;
    return type == ProviderInfoLspCategories ? 0 : WSAEINVAL;
}

/* Called with the catalog lock held: sets the categories of every entry of
 * the provider, so its layered entry and its chains agree. */
static int set_locked(enum catalog_view view, const GUID *provider, DWORD categories)
{
    struct catalog cat;
    BOOL found = FALSE;
    DWORD i;
    int error;

    error = catalog_read(view, &cat);
    for (i = 0; !error && i < cat.count; i++) {
        if (!IsEqualGUID(&cat.entries[i].info.ProviderId, provider))
            continue;
        found = TRUE;
        error = catalog_set_categories(view, cat.entries[i].info.dwCatalogEntryId, categories);
    }
    catalog_free(&cat);
    return error ? error : found ? 0 : WSAEINVAL;
}

static int set_info(enum catalog_view view, LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType,
                    PBYTE Info, size_t InfoSize, DWORD Flags, LPINT lpErrno)
{
    DWORD categories;
    int error;

    if (!lpErrno)
        return wsc_no_errno();
    error = check_info_type(InfoType);
    if (!error && (!lpProviderId || !Info))
        error = WSAEFAULT;
    if (!error && (InfoSize != sizeof(DWORD) || Flags))   /* no flags are defined */
        error = WSAEINVAL;
    if (!error)
        error = catalog_lock();
    if (error)
        return wsc_fail(lpErrno, error);
    CopyMemory(&categories, Info, sizeof(categories));
    error = set_locked(view, lpProviderId, categories);
    catalog_unlock();
    return error ? wsc_fail(lpErrno, error) : 0;
}

static int get_info(enum catalog_view view, LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType,
                    PBYTE Info, size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    struct catalog cat;
    DWORD categories, i;
    int error;

    if (!lpErrno)
        return wsc_no_errno();
    error = check_info_type(InfoType);
    if (!error && (!lpProviderId || !InfoSize))
        error = WSAEFAULT;
    if (!error && Flags)
        error = WSAEINVAL;
    if (!error)
        error = catalog_read(view, &cat);
    if (error)
        return wsc_fail(lpErrno, error);
    for (i = 0; i < cat.count; i++)
        if (IsEqualGUID(&cat.entries[i].info.ProviderId, lpProviderId))
            break;
    if (i == cat.count)
        error = WSAEINVALIDPROVIDER;   /* documented: no entry for lpProviderId */
    else if (!Info || *InfoSize < sizeof(DWORD)) {
        /* Documented: without a buffer, InfoSize receives the size needed. */
        *InfoSize = sizeof(DWORD);
        error = WSAEFAULT;
    } else {
        error = catalog_get_categories(view, cat.entries[i].info.dwCatalogEntryId, &categories);
        if (!error) {
            CopyMemory(Info, &categories, sizeof(categories));
            *InfoSize = sizeof(categories);
        }
    }
    catalog_free(&cat);
    return error ? wsc_fail(lpErrno, error) : 0;
}

int WSPAPI WSCSetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                              size_t InfoSize, DWORD Flags, LPINT lpErrno)
{
    return set_info(CATALOG_NATIVE, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCSetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                                size_t InfoSize, DWORD Flags, LPINT lpErrno)
{
    return set_info(CATALOG_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCGetProviderInfo(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                              size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    return get_info(CATALOG_NATIVE, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}

int WSPAPI WSCGetProviderInfo32(LPGUID lpProviderId, WSC_PROVIDER_INFO_TYPE InfoType, PBYTE Info,
                                size_t *InfoSize, DWORD Flags, LPINT lpErrno)
{
    return get_info(CATALOG_32, lpProviderId, InfoType, Info, InfoSize, Flags, lpErrno);
}
