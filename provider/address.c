/* SPDX-License-Identifier: MIT */
/* WSPAddressToString and WSPStringToAddress: no socket, so the protocol
 * info names the layer; its lower provider converts, given its own info. */
#include "lsp.h"
#include "chain.h"

INT WSPAPI WSPAddressToString(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                              LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    struct chain_descent descent;
    struct layer *layer;
    int error = lpProtocolInfo ? chain_layer(lpProtocolInfo, &layer) : WSAEINVAL;
    int result;

    if (error)
        return lsp_fail(lpErrno, error);
    chain_descend(&descent, layer);
    result = layer->lower->procs.lpWSPAddressToString(lpsaAddress, dwAddressLength,
                                                      &layer->lower->info, lpszAddressString,
                                                      lpdwAddressStringLength, lpErrno);
    chain_ascend(&descent);
    return result;
}

INT WSPAPI WSPStringToAddress(LPWSTR AddressString, INT AddressFamily,
                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                              LPINT lpAddressLength, LPINT lpErrno)
{
    struct chain_descent descent;
    struct layer *layer;
    int error = lpProtocolInfo ? chain_layer(lpProtocolInfo, &layer) : WSAEINVAL;
    int result;

    if (error)
        return lsp_fail(lpErrno, error);
    chain_descend(&descent, layer);
    result = layer->lower->procs.lpWSPStringToAddress(AddressString, AddressFamily,
                                                      &layer->lower->info, lpAddress,
                                                      lpAddressLength, lpErrno);
    chain_ascend(&descent);
    return result;
}
