/* SPDX-License-Identifier: MIT */
/* Closing one or both directions of a connection. */
#include "base.h"

int WSPAPI WSPShutdown(SOCKET s, int how, LPINT lpErrno)
{
    return base_int_result(sys.shutdown(s, how), lpErrno);
}

int WSPAPI WSPSendDisconnect(SOCKET s, LPWSABUF lpOutboundDisconnectData, LPINT lpErrno)
{
    return base_int_result(sys.WSASendDisconnect(s, lpOutboundDisconnectData), lpErrno);
}

int WSPAPI WSPRecvDisconnect(SOCKET s, LPWSABUF lpInboundDisconnectData, LPINT lpErrno)
{
    return base_int_result(sys.WSARecvDisconnect(s, lpInboundDisconnectData), lpErrno);
}
