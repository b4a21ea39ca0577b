/* SPDX-License-Identifier: MIT */
/* Address conversion. The protocol info handed to us is our catalog entry,
 * which the system's converters would not recognise; the address family
 * (in the sockaddr, or given) is all they need. */
#include "base.h"

INT WSPAPI WSPAddressToString(LPSOCKADDR lpsaAddress, DWORD dwAddressLength,
                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPWSTR lpszAddressString,
                              LPDWORD lpdwAddressStringLength, LPINT lpErrno)
{
    (void)lpProtocolInfo;
    return base_int_result(sys.WSAAddressToStringW(lpsaAddress, dwAddressLength, NULL,
                                                   lpszAddressString, lpdwAddressStringLength),
                           lpErrno);
}

INT WSPAPI WSPStringToAddress(LPWSTR AddressString, INT AddressFamily,
                              LPWSAPROTOCOL_INFOW lpProtocolInfo, LPSOCKADDR lpAddress,
                              LPINT lpAddressLength, LPINT lpErrno)
{
    (void)lpProtocolInfo;
    return base_int_result(sys.WSAStringToAddressW(AddressString, AddressFamily, NULL, lpAddress,
                                                   lpAddressLength), lpErrno);
}
