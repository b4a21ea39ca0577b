/* SPDX-License-Identifier: MIT */
/* lspguid_lsp.c: lspkit.dll identifying itself the way Microsoft's LSP
 * sample and the providers derived from it do, for spicheck's own test
 * (test/spicheck_faults.c). It exports GetLspGuid, the GUID its installer
 * is to give its hidden layered entry, and its WSPStartup refuses to start
 * (WSAEINVALIDPROVIDER) unless the first catalog entry with that GUID is a
 * hidden layered entry (ChainLen LAYERED_PROTOCOL) in the chain it is
 * started for. The rest is lspkit.dll, whose WSPStartup this one calls
 * (test/spicheck.mk builds the provider's sources with it renamed). */
#include <winsock2.h>
#include <ws2spi.h>
#include <stdlib.h>

int WSPAPI lspkit_WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info,
                             WSPUPCALLTABLE upcalls, LPWSPPROC_TABLE procs);

/* {5C1C00A1-7A3B-4E21-8F1D-53504943484B} */
static const GUID lsp_guid = { 0x5c1c00a1, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };

void WSPAPI GetLspGuid(LPGUID guid);
void WSPAPI GetLspGuid(LPGUID guid)
{
    *guid = lsp_guid;
}

/* The catalog id of the first entry with our GUID when it is a hidden
 * layered entry, else 0. */
static DWORD own_entry(void)
{
    WSAPROTOCOL_INFOW *all = NULL;
    DWORD size = 0, id = 0;
    int error = 0, n, i;

    while ((n = WSCEnumProtocols(NULL, all, &size, &error)) == SOCKET_ERROR) {
        free(all);
        if (error != WSAENOBUFS || !(all = malloc(size)))
            return 0;
    }
    for (i = 0; i < n && !IsEqualGUID(&all[i].ProviderId, &lsp_guid); i++)
        ;
    if (i < n && all[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL)
        id = all[i].dwCatalogEntryId;
    free(all);
    return id;
}

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info,
                      WSPUPCALLTABLE upcalls, LPWSPPROC_TABLE procs)
{
    DWORD self = own_entry();
    int i;

    if (!info)
        return WSAEFAULT;
    for (i = 0; self && i < info->ProtocolChain.ChainLen && i < MAX_PROTOCOL_CHAIN; i++)
        if (info->ProtocolChain.ChainEntries[i] == self)
            return lspkit_WSPStartup(version, data, info, upcalls, procs);
    return WSAEINVALIDPROVIDER;
}
