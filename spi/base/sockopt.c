/* SPDX-License-Identifier: MIT */
/* Socket options: the system's, except the protocol info. The system would
 * describe its own catalog entry, whose id and ProviderId are not ours; the
 * socket's entry in our catalog is what the caller must see. */
#include <string.h>
#include "base.h"
#include "sockets.h"
#include "../../common/protocol_info.h"

static BOOL is_protocol_info(int level, int optname)
{
    return level == SOL_SOCKET && (optname == SO_PROTOCOL_INFOW || optname == SO_PROTOCOL_INFOA);
}

int WSPAPI WSPGetSockOpt(SOCKET s, int level, int optname, char *optval, LPINT optlen,
                         LPINT lpErrno)
{
    const WSAPROTOCOL_INFOW *entry;

    /* The system's answer comes first: it checks the handle, the buffer
     * and its size exactly as it does for everything else. */
    if (base_int_result(sys.getsockopt(s, level, optname, optval, optlen), lpErrno))
        return SOCKET_ERROR;
    if (!is_protocol_info(level, optname) || !(entry = sockets_entry(s)))
        return 0;
    if (optname == SO_PROTOCOL_INFOW)
        memcpy(optval, entry, sizeof(*entry));
    else
        protocol_info_narrow(entry, (WSAPROTOCOL_INFOA *)optval);
    return 0;
}

int WSPAPI WSPSetSockOpt(SOCKET s, int level, int optname, const char *optval, int optlen,
                         LPINT lpErrno)
{
    return base_int_result(sys.setsockopt(s, level, optname, optval, optlen), lpErrno);
}

BOOL WSPAPI WSPGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS, LPINT lpErrno)
{
    return base_bool_result(sys.WSAGetQOSByName(s, lpQOSName, lpQOS), lpErrno);
}
