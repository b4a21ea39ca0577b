/* SPDX-License-Identifier: MIT */
#include "dstate.h"
#include "dprovide.h"
#include "sysws2.h"

/* One lock guards the start count and the catalog snapshot; it is held only
 * for copies, never across a provider call. */
static SRWLOCK state_lock = SRWLOCK_INIT;
static LONG start_count;
static struct catalog snapshot;

int dstate_fail(int error)
{
    SetLastError(error);
    return SOCKET_ERROR;
}

int dstate_check_started(void)
{
    LONG count;

    AcquireSRWLockShared(&state_lock);
    count = start_count;
    ReleaseSRWLockShared(&state_lock);
    return count > 0 ? 0 : WSANOTINITIALISED;
}

BOOL dstate_entry_by_id(DWORD id, struct catalog_entry *out)
{
    const struct catalog_entry *entry;

    AcquireSRWLockShared(&state_lock);
    entry = catalog_find_id(&snapshot, id);
    if (entry)
        *out = *entry;
    ReleaseSRWLockShared(&state_lock);
    return entry != NULL;
}

static BOOL entry_matches(const WSAPROTOCOL_INFOW *info, int af, int type, int protocol)
{
    if (info->dwProviderFlags & PFL_HIDDEN)
        return FALSE;
    if (info->ProtocolChain.ChainLen == LAYERED_PROTOCOL)
        return FALSE;
    if (af != AF_UNSPEC && info->iAddressFamily != af)
        return FALSE;
    if (type != 0 && info->iSocketType != type)
        return FALSE;
    if (protocol == 0)
        return TRUE;
    /* Raw entries accept a range of protocols: iProtocolMaxOffset says how many. */
    return protocol >= info->iProtocol && protocol <= info->iProtocol + info->iProtocolMaxOffset;
}

/* Which of af/type/protocol no entry matched decides the error, as Windows
 * reports it: an unknown family first, then type, then protocol. */
static int mismatch_error(int af, int type)
{
    BOOL family_seen = FALSE, type_seen = FALSE;
    DWORD i;

    for (i = 0; i < snapshot.count; i++) {
        const WSAPROTOCOL_INFOW *info = &snapshot.entries[i].info;
        if (af != AF_UNSPEC && info->iAddressFamily != af)
            continue;
        family_seen = TRUE;
        if (type == 0 || info->iSocketType == type)
            type_seen = TRUE;
    }
    if (!family_seen)
        return WSAEAFNOSUPPORT;
    if (!type_seen)
        return WSAESOCKTNOSUPPORT;
    return WSAEPROTONOSUPPORT;
}

int dstate_entry_for_socket(int af, int type, int protocol, struct catalog_entry *out)
{
    int error = 0;
    DWORD i;

    AcquireSRWLockShared(&state_lock);
    for (i = 0; i < snapshot.count; i++) {
        if (entry_matches(&snapshot.entries[i].info, af, type, protocol)) {
            *out = snapshot.entries[i];
            break;
        }
    }
    if (i == snapshot.count)
        error = mismatch_error(af, type);
    ReleaseSRWLockShared(&state_lock);
    return error;
}

/* Re-reads the catalog when it changed since the snapshot, so a change is
 * seen by the next WSAStartup of any process. Called with the lock held. */
static int refresh_snapshot(void)
{
    struct catalog fresh;
    int error;

    if (snapshot.entries && snapshot.serial == catalog_serial())
        return 0;
    error = catalog_read(CATALOG_NATIVE, &fresh);
    if (error)
        return error;
    catalog_free(&snapshot);
    snapshot = fresh;
    return 0;
}

/* The system ws2_32 serves the forwarded functions (name resolution and the
 * like), which need their own WSAStartup to be in effect. */
static int system_startup(WORD version)
{
    int (WSAAPI *startup)(WORD, LPWSADATA) = (void *)sysws2_proc("WSAStartup");
    WSADATA data;

    if (!startup)
        return WSASYSNOTREADY;
    return startup(version, &data);
}

static void system_cleanup(void)
{
    int (WSAAPI *cleanup)(void) = (void *)sysws2_proc("WSACleanup");

    if (cleanup)
        cleanup();
}

/* The version Windows' ws2_32 grants for `requested`, which must name a
 * major version of 1 or more: every 1.x above 1.1 gets 1.1, every version
 * above 2.2 gets 2.2, and 1.0, 1.1, 2.0, 2.1, 2.2 get themselves. */
static WORD granted_version(WORD requested)
{
    BYTE major = LOBYTE(requested), minor = HIBYTE(requested);

    if (major == 1 && minor > 1)
        return MAKEWORD(1, 1);
    if (major > 2 || (major == 2 && minor > 2))
        return MAKEWORD(2, 2);
    return requested;
}

/* As Windows fills it: the Winsock 1 limits only for a 1.x version, and
 * lpVendorInfo left as the caller had it. */
static void fill_wsadata(WORD version, LPWSADATA data)
{
    BOOL winsock1 = LOBYTE(version) == 1;

    data->wVersion = version;
    data->wHighVersion = MAKEWORD(2, 2);
    data->iMaxSockets = winsock1 ? 32767 : 0;
    data->iMaxUdpDg = winsock1 ? 65467 : 0;
    lstrcpyA(data->szDescription, "WinSock 2.0");
    lstrcpyA(data->szSystemStatus, "Running");
}

int WSAAPI WSAStartup(WORD version, LPWSADATA data)
{
    int error;

    /* Only a major version of 0 is refused; the answer still names 2.2. */
    if (LOBYTE(version) == 0) {
        if (data)
            fill_wsadata(MAKEWORD(2, 2), data);
        return WSAVERNOTSUPPORTED;
    }
    if (!data)
        return WSAEFAULT;

    error = system_startup(MAKEWORD(2, 2));
    if (error)
        return error;
    AcquireSRWLockExclusive(&state_lock);
    error = refresh_snapshot();
    if (!error)
        start_count++;
    ReleaseSRWLockExclusive(&state_lock);
    if (error) {
        system_cleanup();
        return error;
    }
    fill_wsadata(granted_version(version), data);
    return 0;
}

int WSAAPI WSACleanup(void)
{
    BOOL last;

    AcquireSRWLockExclusive(&state_lock);
    if (start_count == 0) {
        ReleaseSRWLockExclusive(&state_lock);
        return dstate_fail(WSANOTINITIALISED);
    }
    last = --start_count == 0;
    ReleaseSRWLockExclusive(&state_lock);

    if (last)
        provider_cleanup_all();
    system_cleanup();
    return 0;
}

int WSAAPI WSAGetLastError(void)
{
    return GetLastError();
}

void WSAAPI WSASetLastError(int error)
{
    SetLastError(error);
}
