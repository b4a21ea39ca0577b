/* SPDX-License-Identifier: MIT */
/* t_hosted.c: the provider under test driven through its own proc table,
 * with spicheck as its Winsock (S17, L01).
 *
 * What a provider does with the WSATHREADID and with WPUQueueApc cannot
 * be seen through ws2_32: the front end's WSATHREADID lives as long as its
 * thread, and its WPUQueueApc does not say who called it. So these tests
 * load the provider themselves, start it with an upcall table of their
 * own (WPUQueueApc records what it is given), and call WSPSend with a
 * WSATHREADID that is theirs - valid for the call only, as the SPI says.
 * The child does nothing else with Winsock, so this WSPStartup is the
 * provider's first and the table is the one it keeps. */
#include "sc.h"

#include <stdlib.h>
#include <string.h>

#define BIG (4u << 20)

/* --- the upcall table ------------------------------------------------- */

/* Socket handles the provider creates: an event handle each, for a value
 * no other object has. */
#define MAX_HANDLES 64
static struct { SOCKET s; DWORD_PTR context; } handles[MAX_HANDLES];
static SRWLOCK handles_lock = SRWLOCK_INIT;

/* What WPUQueueApc was given, the last time. */
static struct {
    volatile LONG calls;
    LPWSATHREADID id;          /* the pointer */
    WSATHREADID value;         /* what it pointed to, during the call */
    LPWSAUSERAPC apc;
} queued;

static SOCKET WSPAPI up_create_socket_handle(DWORD entry, DWORD_PTR context, LPINT err)
{
    HANDLE h = CreateEventW(NULL, FALSE, FALSE, NULL);

    (void)entry;
    AcquireSRWLockExclusive(&handles_lock);
    for (int i = 0; h && i < MAX_HANDLES; i++)
        if (!handles[i].s) {
            handles[i].s = (SOCKET)h;
            handles[i].context = context;
            ReleaseSRWLockExclusive(&handles_lock);
            return (SOCKET)h;
        }
    ReleaseSRWLockExclusive(&handles_lock);
    if (h)
        CloseHandle(h);
    *err = WSAENOBUFS;
    return INVALID_SOCKET;
}

static int find_handle(SOCKET s)
{
    for (int i = 0; i < MAX_HANDLES; i++)
        if (handles[i].s == s && s)
            return i;
    return -1;
}

static int WSPAPI up_close_socket_handle(SOCKET s, LPINT err)
{
    int i;

    AcquireSRWLockExclusive(&handles_lock);
    i = find_handle(s);
    if (i >= 0)
        handles[i].s = 0;
    ReleaseSRWLockExclusive(&handles_lock);
    if (i < 0) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    CloseHandle((HANDLE)s);
    return 0;
}

static int WSPAPI up_query_context(SOCKET s, PDWORD_PTR context, LPINT err)
{
    int i;

    AcquireSRWLockShared(&handles_lock);
    i = find_handle(s);
    if (i >= 0)
        *context = handles[i].context;
    ReleaseSRWLockShared(&handles_lock);
    if (i < 0) {
        *err = WSAENOTSOCK;
        return SOCKET_ERROR;
    }
    return 0;
}

static int WSPAPI up_queue_apc(LPWSATHREADID id, LPWSAUSERAPC apc, DWORD_PTR context, LPINT err)
{
    queued.id = id;
    queued.value = *id;
    queued.apc = apc;
    InterlockedIncrement(&queued.calls);
    if (!QueueUserAPC((PAPCFUNC)(void *)apc, id->ThreadHandle, context)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return 0;
}

static int WSPAPI up_open_thread(LPWSATHREADID id, LPINT err)
{
    HANDLE self = GetCurrentProcess();

    id->Reserved = 0;
    if (!DuplicateHandle(self, GetCurrentThread(), self, &id->ThreadHandle, 0, FALSE,
                         DUPLICATE_SAME_ACCESS)) {
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    return 0;
}

static int WSPAPI up_close_thread(LPWSATHREADID id, LPINT err)
{
    (void)err;
    CloseHandle(id->ThreadHandle);
    return 0;
}

static SOCKET WSPAPI up_modify_ifs_handle(DWORD entry, SOCKET proposed, LPINT err)
{
    (void)entry, (void)err;
    return proposed;
}

static int WSPAPI up_query_blocking_callback(DWORD entry, LPBLOCKINGCALLBACK *callback,
                                             PDWORD_PTR context, LPINT err)
{
    (void)entry, (void)err;
    *callback = NULL;
    *context = 0;
    return 0;
}

static BOOL WSPAPI up_post_message(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
    return PostMessageW(w, msg, wp, lp);
}

static int WSPAPI up_get_provider_path(LPGUID id, WCHAR *path, LPINT len, LPINT err)
{
    return WSCGetProviderPath(id, path, len, err);
}

static int WSPAPI up_fd_is_set(SOCKET s, fd_set *set)
{
    return __WSAFDIsSet(s, set);
}

static WSAEVENT WSPAPI up_create_event(LPINT err)
{
    WSAEVENT e = CreateEventW(NULL, TRUE, FALSE, NULL);

    if (!e)
        *err = WSA_NOT_ENOUGH_MEMORY;
    return e ? e : WSA_INVALID_EVENT;
}

static BOOL WSPAPI up_close_event(WSAEVENT e, LPINT err)
{
    (void)err;
    return CloseHandle(e);
}

static BOOL WSPAPI up_set_event(WSAEVENT e, LPINT err)
{
    (void)err;
    return SetEvent(e);
}

static BOOL WSPAPI up_reset_event(WSAEVENT e, LPINT err)
{
    (void)err;
    return ResetEvent(e);
}

static WSPUPCALLTABLE upcalls(void)
{
    WSPUPCALLTABLE t;

    memset(&t, 0, sizeof(t));
    t.lpWPUCloseEvent = up_close_event;
    t.lpWPUCloseSocketHandle = up_close_socket_handle;
    t.lpWPUCreateEvent = up_create_event;
    t.lpWPUCreateSocketHandle = up_create_socket_handle;
    t.lpWPUFDIsSet = up_fd_is_set;
    t.lpWPUGetProviderPath = up_get_provider_path;
    t.lpWPUModifyIFSHandle = up_modify_ifs_handle;
    t.lpWPUPostMessage = up_post_message;
    t.lpWPUQueryBlockingCallback = up_query_blocking_callback;
    t.lpWPUQuerySocketHandleContext = up_query_context;
    t.lpWPUQueueApc = up_queue_apc;
    t.lpWPUResetEvent = up_reset_event;
    t.lpWPUSetEvent = up_set_event;
    t.lpWPUOpenCurrentThread = up_open_thread;
    t.lpWPUCloseThread = up_close_thread;
    return t;
}

/* --- the provider ----------------------------------------------------- */

/* The provider's IPv4 TCP chain entry, as installed by the runner. */
static void chain_entry(WSAPROTOCOL_INFOW *out)
{
    int n;
    WSAPROTOCOL_INFOW *all = sc_read_catalog(&n);
    DWORD layered;

    sc_check(all != NULL, "WSCEnumProtocols failed");
    layered = sc_provider_layered_id(all, n);
    for (int i = 0; i < n; i++)
        if (sc_is_provider_chain(&all[i], layered) && all[i].iAddressFamily == AF_INET &&
            all[i].iSocketType == SOCK_STREAM) {
            *out = all[i];
            free(all);
            return;
        }
    free(all);
    sc_skip("the provider under test is not installed over IPv4 TCP");
}

static LPWSPSTARTUP load_provider(void)
{
    WCHAR path[MAX_PATH];
    HMODULE dll;
    LPWSPSTARTUP startup;

    sc_check(ExpandEnvironmentStringsW(sc_env.provider, path, MAX_PATH), "bad provider path");
    dll = LoadLibraryW(path);
    sc_check(dll != NULL, "cannot load %ls: error %lu", path, GetLastError());
    startup = (LPWSPSTARTUP)(void *)GetProcAddress(dll, "WSPStartup");
    sc_check(startup != NULL, "%ls exports no WSPStartup", path);
    return startup;
}

static void start(WSAPROTOCOL_INFOW *info, WSPPROC_TABLE *procs)
{
    LPWSPSTARTUP startup;
    WSPDATA data;
    int rc;

    sc_require_arrangement(SC_IN(SC_LAYERED), "a duty of the layered provider: the front end "
                           "and Wine's ws2_32 have none to check");
    chain_entry(info);
    startup = load_provider();
    memset(procs, 0, sizeof(*procs));
    rc = startup(MAKEWORD(2, 2), &data, info, upcalls(), procs);
    sc_check(rc == 0, "WSPStartup(2.2) returned %d (%s)", rc, sc_error_name(rc));
    sc_check(data.wVersion == MAKEWORD(2, 2) && data.wHighVersion == MAKEWORD(2, 2),
             "WSPStartup negotiated %u.%u (highest %u.%u), expected 2.2 (2.2)",
             LOBYTE(data.wVersion), HIBYTE(data.wVersion), LOBYTE(data.wHighVersion),
             HIBYTE(data.wHighVersion));
}

/* L01: WSPStartup(2.2) succeeds with version 2.2 (the highest) and fills
 * every entry of the proc table. */
void t_L01(void)
{
    WSAPROTOCOL_INFOW info;
    WSPPROC_TABLE procs;
    FARPROC *entry = (FARPROC *)&procs;
    int err = 0, rc;

    start(&info, &procs);
    for (size_t i = 0; i < sizeof(procs) / sizeof(FARPROC); i++)
        sc_check(entry[i] != NULL, "proc table entry %u is NULL", (unsigned)i);
    /* *lpErrno says something only when the call returns SOCKET_ERROR. */
    rc = procs.lpWSPCleanup(&err);
    sc_check(rc != SOCKET_ERROR, "WSPCleanup returned SOCKET_ERROR with error %d (%s)", err,
             sc_error_name(err));
    sc_check(rc == 0, "WSPCleanup returned %d, neither 0 nor SOCKET_ERROR", rc);
}

/* --- S17 -------------------------------------------------------------- */

static WSPPROC_TABLE P;

static SOCKET hosted_socket(WSAPROTOCOL_INFOW *info)
{
    int err = 0, size = SC_SMALL_BUF;
    SOCKET s = P.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, info, 0, WSA_FLAG_OVERLAPPED,
                             &err);

    sc_check(s != INVALID_SOCKET, "WSPSocket: %d (%s)", err, sc_error_name(err));
    sc_check(!P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_SNDBUF, (char *)&size, sizeof(size), &err) &&
             !P.lpWSPSetSockOpt(s, SOL_SOCKET, SO_RCVBUF, (char *)&size, sizeof(size), &err),
             "WSPSetSockOpt: %d", err);
    return s;
}

static void hosted_pair(WSAPROTOCOL_INFOW *info, SOCKET *c, SOCKET *s)
{
    struct sockaddr_storage addr;
    int len = sock_loopback(AF_INET, &addr), err = 0;
    SOCKET l = hosted_socket(info);

    sc_check(!P.lpWSPBind(l, (struct sockaddr *)&addr, len, &err), "WSPBind: %d", err);
    sc_check(!P.lpWSPListen(l, 4, &err), "WSPListen: %d", err);
    len = sizeof(addr);
    sc_check(!P.lpWSPGetSockName(l, (struct sockaddr *)&addr, &len, &err), "WSPGetSockName");
    *c = hosted_socket(info);
    sc_check(!P.lpWSPConnect(*c, (struct sockaddr *)&addr, len, NULL, NULL, NULL, NULL, &err),
             "WSPConnect: %d", err);
    *s = P.lpWSPAccept(l, NULL, NULL, NULL, 0, &err);
    sc_check(*s != INVALID_SOCKET, "WSPAccept: %d", err);
    P.lpWSPCloseSocket(l, &err);
}

struct hosted_drain {
    SOCKET s;
    size_t got;
    unsigned char *buf;
};

static DWORD WINAPI hosted_drain_main(void *arg)
{
    struct hosted_drain *d = arg;
    DWORD n, flags;
    int err;

    while (d->got < BIG) {
        WSABUF b = { (ULONG)(BIG - d->got), (char *)d->buf + d->got };
        flags = 0;
        if (P.lpWSPRecv(d->s, &b, 1, &n, &flags, NULL, NULL, NULL, &err) || !n)
            break;
        d->got += n;
    }
    return 0;
}

static struct sc_routine_log routine_log;

/* S17 is a duty of a non-IFS provider only. An IFS layered provider hands
 * out its lower provider's handles (its chain entry keeps XP1_IFS_HANDLES,
 * or its sockets are not WPUCreateSocketHandle's) and passes overlapped
 * sends down whole: the system completes them and queues their routines,
 * so the provider never sees a completion to deliver. */
static void require_non_ifs(const WSAPROTOCOL_INFOW *info, SOCKET s)
{
    int i;

    AcquireSRWLockShared(&handles_lock);
    i = find_handle(s);
    ReleaseSRWLockShared(&handles_lock);
    if (info->dwServiceFlags1 & XP1_IFS_HANDLES)
        sc_skip("not applicable: an IFS layered provider (its chain entry has "
                "XP1_IFS_HANDLES) cannot see completions; the system queues its routines");
    if (i < 0)
        sc_skip("not applicable: an IFS layered provider (its socket is not a "
                "WPUCreateSocketHandle handle) cannot see completions; the system queues "
                "its routines");
}

/* A WSATHREADID of the calling thread, as a ws2_32 would make one. */
static void thread_id(WSATHREADID *id)
{
    int err;

    sc_check(!up_open_thread(id, &err), "DuplicateHandle(current thread)");
}

/* S17: the provider delivers routines through WPUQueueApc, with its own
 * APC function and a WSATHREADID stored by value: for a send that goes
 * pending, the caller's WSATHREADID is scribbled on right after the call
 * (it was the caller's for the call only); WPUQueueApc must still get the
 * thread it named, from a copy of the provider's. */
void t_S17(void)
{
    WSAPROTOCOL_INFOW info;
    static WSATHREADID caller;
    HANDLE caller_handle;
    unsigned char *out = sc_pattern(BIG, 17);
    WSABUF buf = { BIG, (char *)out };
    WSAOVERLAPPED ov = { 0 };
    struct hosted_drain d = { 0 };
    DWORD sent = 0xdeadbeef;
    HANDLE drain;
    SOCKET c, s;
    int rc, err = 0;

    sc_require_arrangement(SC_IN(SC_LAYERED), "the base provider is an IFS provider: the "
                           "system queues its routines as part of its I/O, not WPUQueueApc; "
                           "Wine's ws2_32 has no SPI");
    start(&info, &P);
    hosted_pair(&info, &c, &s);
    require_non_ifs(&info, c);
    thread_id(&caller);
    caller_handle = caller.ThreadHandle;
    ov.hEvent = (HANDLE)&routine_log;
    rc = P.lpWSPSend(c, &buf, 1, &sent, 0, &ov, sc_log_routine, &caller, &err);
    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING,
             "a 4 MiB WSPSend did not go pending: %d, error %d (%s)", rc, err, sc_error_name(err));
    sc_check(routine_log.calls == 0, "the routine ran inside WSPSend");
    /* The caller's WSATHREADID was valid for the call only. */
    caller.ThreadHandle = (HANDLE)(ULONG_PTR)0xBAD0;
    caller.Reserved = 0xBAD1;

    d.s = s;
    d.buf = malloc(BIG);
    sc_check(d.buf != NULL, "out of memory");
    drain = CreateThread(NULL, 0, hosted_drain_main, &d, 0, NULL);
    sc_check(drain != NULL, "CreateThread");
    /* The peer has it all once the send is done; its routine is due then. */
    sc_check(WaitForSingleObject(drain, 4 * SC_WAIT_MS) == WAIT_OBJECT_0 && d.got == BIG,
             "the peer got %lu of %u bytes", (unsigned long)d.got, BIG);
    sc_wait_calls(&routine_log, 1, 2000);

    sc_check(queued.calls > 0 || routine_log.calls == 0,
             "the routine ran (in thread %lu) without the provider calling WPUQueueApc",
             routine_log.thread);
    sc_check(queued.calls > 0, "WPUQueueApc was never called for the completed send");
    sc_check(queued.id != &caller, "WPUQueueApc got the caller's own WSATHREADID pointer, "
             "read after WSPSend returned (stored by pointer, not by value)");
    sc_check(queued.value.ThreadHandle == caller_handle,
             "WPUQueueApc got thread handle %p; the caller's WSATHREADID named %p",
             (void *)queued.value.ThreadHandle, (void *)caller_handle);
    sc_check(queued.apc != (LPWSAUSERAPC)(void *)sc_log_routine,
             "the provider queued the client's routine itself, not an APC of its own");
    sc_check(routine_log.calls == 1, "the routine ran %ld times", routine_log.calls);
    sc_check(routine_log.thread == GetCurrentThreadId(), "the routine ran in another thread");
    sc_check(routine_log.error == 0 && routine_log.bytes == BIG && routine_log.ov == &ov &&
             routine_log.flags == 0, "routine arguments (%lu, %lu, %p, %lu)", routine_log.error,
             routine_log.bytes, (void *)routine_log.ov, routine_log.flags);
    CloseHandle(drain);
    free(d.buf);
    free(out);
    P.lpWSPCloseSocket(c, &err);
    P.lpWSPCloseSocket(s, &err);
    CloseHandle(caller_handle);
}
