/* SPDX-License-Identifier: MIT */
/* Local and peer addresses. */
#include "base.h"

int WSPAPI WSPGetPeerName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    return base_int_result(sys.getpeername(s, name, namelen), lpErrno);
}

int WSPAPI WSPGetSockName(SOCKET s, struct sockaddr *name, LPINT namelen, LPINT lpErrno)
{
    return base_int_result(sys.getsockname(s, name, namelen), lpErrno);
}
