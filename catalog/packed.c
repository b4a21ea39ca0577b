/* SPDX-License-Identifier: MIT */
/* Whether a PackedCatalogItem is an entry (see packed.h). */
#include "packed.h"

#include <string.h>
#include <wchar.h>

BOOL cm_packed_valid(const CHAR *dll_path, const WSAPROTOCOL_INFOW *info)
{
    return dll_path[0] && memchr(dll_path, 0, MAX_PATH) &&
           wmemchr(info->szProtocol, 0, WSAPROTOCOL_LEN + 1) &&
           info->dwCatalogEntryId != 0 &&
           info->ProtocolChain.ChainLen >= LAYERED_PROTOCOL &&
           info->ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN &&
           info->iAddressFamily >= AF_UNSPEC && info->iAddressFamily < AF_MAX;
}

ULONGLONG cm_entry_index(const WCHAR *name)
{
    ULONGLONG index = 0;
    int i;

    for (i = 0; i < CM_ENTRY_NAME_LEN; i++) {
        if (name[i] < L'0' || name[i] > L'9')
            return 0;
        index = index * 10 + (ULONGLONG)(name[i] - L'0');
    }
    return name[CM_ENTRY_NAME_LEN] ? 0 : index;
}
