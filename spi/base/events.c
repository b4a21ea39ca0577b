/* SPDX-License-Identifier: MIT */
/* Network event notification (WSAEventSelect, WSAAsyncSelect): the system
 * watches its own handles and signals the caller's event or window. */
#include "base.h"

int WSPAPI WSPEventSelect(SOCKET s, WSAEVENT hEventObject, __LONG32 lNetworkEvents,
                          LPINT lpErrno)
{
    return base_int_result(sys.WSAEventSelect(s, hEventObject, lNetworkEvents), lpErrno);
}

int WSPAPI WSPAsyncSelect(SOCKET s, HWND hWnd, unsigned int wMsg, __LONG32 lEvent, LPINT lpErrno)
{
    return base_int_result(sys.WSAAsyncSelect(s, hWnd, wMsg, lEvent), lpErrno);
}

int WSPAPI WSPEnumNetworkEvents(SOCKET s, WSAEVENT hEventObject,
                                LPWSANETWORKEVENTS lpNetworkEvents, LPINT lpErrno)
{
    return base_int_result(sys.WSAEnumNetworkEvents(s, hEventObject, lpNetworkEvents), lpErrno);
}
