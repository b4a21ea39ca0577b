/* SPDX-License-Identifier: MIT */
/* Binding, listening, connecting and accepting: straight to the system,
 * except that sockets the system creates here (accept, a root's join) are
 * adopted like WSPSocket's. */
#include "base.h"
#include "entries.h"
#include "sockets.h"

/* The entry a socket derived from `s` belongs to. */
static const WSAPROTOCOL_INFOW *entry_of(SOCKET s)
{
    const WSAPROTOCOL_INFOW *entry = sockets_entry(s);
    return entry ? entry : entries_first_started();
}

int WSPAPI WSPBind(SOCKET s, const struct sockaddr *name, int namelen, LPINT lpErrno)
{
    return base_int_result(sys.bind(s, name, namelen), lpErrno);
}

int WSPAPI WSPListen(SOCKET s, int backlog, LPINT lpErrno)
{
    return base_int_result(sys.listen(s, backlog), lpErrno);
}

int WSPAPI WSPConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, LPINT lpErrno)
{
    return base_int_result(sys.WSAConnect(s, name, namelen, lpCallerData, lpCalleeData,
                                          lpSQOS, lpGQOS), lpErrno);
}

SOCKET WSPAPI WSPAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen,
                        LPCONDITIONPROC lpfnCondition, DWORD_PTR dwCallbackData, LPINT lpErrno)
{
    SOCKET accepted = sys.WSAAccept(s, addr, addrlen, lpfnCondition, dwCallbackData);

    if (accepted == INVALID_SOCKET) {
        *lpErrno = sys.WSAGetLastError();
        return INVALID_SOCKET;
    }
    return base_adopt(accepted, entry_of(s), lpErrno);
}

SOCKET WSPAPI WSPJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen,
                          LPWSABUF lpCallerData, LPWSABUF lpCalleeData, LPQOS lpSQOS,
                          LPQOS lpGQOS, DWORD dwFlags, LPINT lpErrno)
{
    SOCKET joined = sys.WSAJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData,
                                    lpSQOS, lpGQOS, dwFlags);

    if (joined == INVALID_SOCKET) {
        *lpErrno = sys.WSAGetLastError();
        return INVALID_SOCKET;
    }
    /* A leaf joins with its own socket; only a new one needs adopting. */
    if (joined == s)
        return s;
    return base_adopt(joined, entry_of(s), lpErrno);
}
