/* SPDX-License-Identifier: MIT */
/* Helpers shared by the WSC* catalog API (see wsc.h). */
#include "wsc.h"

#include <string.h>
#include <wchar.h>

#ifdef _WIN64
const enum catalog_view wsc_both_views[] = { CATALOG_NATIVE, CATALOG_32 };
#else
const enum catalog_view wsc_both_views[] = { CATALOG_NATIVE };
#endif
const DWORD wsc_both_count = sizeof(wsc_both_views) / sizeof(wsc_both_views[0]);

int wsc_fail(LPINT lpErrno, int error)
{
    *lpErrno = error;
    return SOCKET_ERROR;
}

int wsc_no_errno(void)
{
    SetLastError(WSAEFAULT);
    return SOCKET_ERROR;
}

int wsc_path_to_ansi(const WCHAR *path, CHAR out[MAX_PATH])
{
    BOOL utf8 = GetACP() == CP_UTF8, lossy = FALSE;

    if (!path)
        return WSAEFAULT;
    if (!path[0])
        return WSAEINVAL;
    /* A path the ANSI code page cannot hold would name another file. UTF-8
     * holds every path, and takes neither the flag nor the question. */
    if (!WideCharToMultiByte(CP_ACP, utf8 ? 0 : WC_NO_BEST_FIT_CHARS, path, -1, out, MAX_PATH,
                             NULL, utf8 ? NULL : &lossy) ||
        lossy)
        return WSAEINVAL;
    return 0;
}

BOOL wsc_has_provider(const struct catalog *cat, const GUID *id)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, id))
            return TRUE;
    return FALSE;
}

BOOL wsc_protocol_selected(const WSAPROTOCOL_INFOW *info, const INT *protocols)
{
    if (!protocols)
        return TRUE;
    if (info->iProtocol == 0)
        return FALSE;   /* 0 ends the list, so no filter can ask for it */
    for (; *protocols; protocols++)
        if (*protocols >= info->iProtocol &&
            *protocols <= info->iProtocol + info->iProtocolMaxOffset)
            return TRUE;
    return FALSE;
}

int wsc_check_info(const struct catalog *cat, const WSAPROTOCOL_INFOW *info)
{
    int i, len = info->ProtocolChain.ChainLen;

    if (!wmemchr(info->szProtocol, 0, WSAPROTOCOL_LEN + 1))
        return WSAEINVAL;
    if (len < LAYERED_PROTOCOL || len > MAX_PROTOCOL_CHAIN)
        return WSAEINVAL;
    if (info->iAddressFamily < AF_UNSPEC || info->iAddressFamily >= AF_MAX)
        return WSAEINVAL;
    /* A chain naming an entry that does not exist could never load. */
    for (i = 0; len > BASE_PROTOCOL && i < len; i++)
        if (!catalog_find_id(cat, info->ProtocolChain.ChainEntries[i]))
            return WSAEINVAL;
    return 0;
}

void wsc_make_entry(struct catalog_entry *entry, const CHAR *path, const WSAPROTOCOL_INFOW *info,
                    const GUID *provider, DWORD id)
{
    memset(entry, 0, sizeof(*entry));
    strcpy(entry->dll_path, path);
    entry->info = *info;
    entry->info.ProviderId = *provider;
    entry->info.dwCatalogEntryId = id;
    if (entry->info.ProtocolChain.ChainLen == BASE_PROTOCOL)
        entry->info.ProtocolChain.ChainEntries[0] = id;
}

int wsc_new_ids(DWORD *ids, DWORD n)
{
    DWORD i;
    int error;

    for (i = 0; i < n; i++) {
        error = catalog_next_id(&ids[i]);
        if (error)
            return error;
    }
    return 0;
}

int wsc_write_views(const enum catalog_view *views, DWORD nviews, const struct catalog *old,
                    struct catalog *updated)
{
    DWORD v, w;
    int error;

    for (v = 0; v < nviews; v++) {
        error = catalog_write(views[v], updated[v].entries, updated[v].count);
        if (error) {
            for (w = 0; w < v; w++)
                catalog_write(views[w], old[w].entries, old[w].count);
            return error;
        }
    }
    return 0;
}

/* Applications see neither hidden entries nor layered ones, which only
 * chains may use. */
static BOOL reported(const WSAPROTOCOL_INFOW *info, const INT *protocols, BOOL for_applications)
{
    if (for_applications && ((info->dwProviderFlags & PFL_HIDDEN) ||
                             info->ProtocolChain.ChainLen == LAYERED_PROTOCOL))
        return FALSE;
    return wsc_protocol_selected(info, protocols);
}

int wsc_enum_entries(const struct catalog *cat, const INT *protocols, BOOL for_applications,
                     void *buffer, LPDWORD length, size_t item_size,
                     void (*convert)(const WSAPROTOCOL_INFOW *info, void *item), int *error)
{
    DWORD i, n = 0, needed;

    for (i = 0; i < cat->count; i++)
        if (reported(&cat->entries[i].info, protocols, for_applications))
            n++;
    needed = n * (DWORD)item_size;
    /* Without a buffer there is no room at all, whatever *length says. */
    if ((buffer ? *length : 0) < needed) {
        *length = needed;
        *error = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    n = 0;
    for (i = 0; i < cat->count; i++)
        if (reported(&cat->entries[i].info, protocols, for_applications))
            convert(&cat->entries[i].info, (BYTE *)buffer + (size_t)n++ * item_size);
    return (int)n;
}
