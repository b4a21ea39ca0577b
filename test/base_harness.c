/* SPDX-License-Identifier: MIT */
/* The base provider harness: loading, the test upcall table, the fixture
 * and socket helpers (see base_harness.h). */
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "base_harness.h"

WSPPROC_TABLE procs;
WSPDATA wsp_data;
WSAPROTOCOL_INFOW entry_tcp4, entry_tcp4b, entry_udp4, system_tcp4;
struct upcall_record upcalls;

static HMODULE provider;
static LPWSPSTARTUP provider_startup;
static BOOL started;

/* lspkit's provider GUID for the harness's entries: any value other than
 * the system's shows whose entry the provider reports. */
static const GUID test_provider_id =
    { 0x6c73706b, 0x6974, 0x4261, { 0x73, 0x65, 0x54, 0x65, 0x73, 0x74, 0x00, 0x01 } };

/* --- upcalls ------------------------------------------------------------ */

static void unexpected(const char *name)
{
    InterlockedIncrement(&upcalls.unexpected_calls);
    upcalls.unexpected_name = name;
    fprintf(stderr, "base harness: unexpected upcall %s\n", name);
}

static SOCKET WSPAPI up_modify_ifs_handle(DWORD catalog_id, SOCKET proposed, LPINT err)
{
    InterlockedIncrement(&upcalls.modify_calls);
    upcalls.modify_catalog_id = catalog_id;
    upcalls.modify_proposed = proposed;
    if (upcalls.modify_fail_with) {
        *err = upcalls.modify_fail_with;
        return INVALID_SOCKET;
    }
    return proposed;
}

static int WSPAPI up_queue_apc(LPWSATHREADID thread, LPWSAUSERAPC apc, DWORD_PTR context,
                               LPINT err)
{
    InterlockedIncrement(&upcalls.apc_calls);
    if (!QueueUserAPC((PAPCFUNC)apc, thread->ThreadHandle, context)) {
        *err = WSAEINVAL;
        return SOCKET_ERROR;
    }
    return 0;
}

static BOOL WSPAPI up_close_event(WSAEVENT e, LPINT err)
{ (void)e; unexpected("WPUCloseEvent"); *err = WSAEINVAL; return FALSE; }
static int WSPAPI up_close_socket_handle(SOCKET s, LPINT err)
{ (void)s; unexpected("WPUCloseSocketHandle"); *err = WSAEINVAL; return SOCKET_ERROR; }
static WSAEVENT WSPAPI up_create_event(LPINT err)
{ unexpected("WPUCreateEvent"); *err = WSAEINVAL; return WSA_INVALID_EVENT; }
static SOCKET WSPAPI up_create_socket_handle(DWORD id, DWORD_PTR context, LPINT err)
{ (void)id; (void)context; unexpected("WPUCreateSocketHandle"); *err = WSAEINVAL; return INVALID_SOCKET; }
static int WSPAPI up_fd_isset(SOCKET s, fd_set *set)
{ (void)s; (void)set; unexpected("WPUFDIsSet"); return 0; }
static int WSPAPI up_get_provider_path(LPGUID id, WCHAR *path, LPINT len, LPINT err)
{ (void)id; (void)path; (void)len; unexpected("WPUGetProviderPath"); *err = WSAEINVAL; return SOCKET_ERROR; }
static BOOL WSPAPI up_post_message(HWND w, UINT m, WPARAM wp, LPARAM lp)
{ (void)w; (void)m; (void)wp; (void)lp; unexpected("WPUPostMessage"); return FALSE; }
static int WSPAPI up_query_blocking_callback(DWORD id, LPBLOCKINGCALLBACK *cb, PDWORD_PTR ctx, LPINT err)
{ (void)id; (void)cb; (void)ctx; unexpected("WPUQueryBlockingCallback"); *err = WSAEINVAL; return SOCKET_ERROR; }
static int WSPAPI up_query_socket_handle_context(SOCKET s, PDWORD_PTR ctx, LPINT err)
{ (void)s; (void)ctx; unexpected("WPUQuerySocketHandleContext"); *err = WSAEINVAL; return SOCKET_ERROR; }
static BOOL WSPAPI up_reset_event(WSAEVENT e, LPINT err)
{ (void)e; unexpected("WPUResetEvent"); *err = WSAEINVAL; return FALSE; }
static BOOL WSPAPI up_set_event(WSAEVENT e, LPINT err)
{ (void)e; unexpected("WPUSetEvent"); *err = WSAEINVAL; return FALSE; }
static int WSPAPI up_open_current_thread(LPWSATHREADID id, LPINT err)
{ (void)id; unexpected("WPUOpenCurrentThread"); *err = WSAEINVAL; return SOCKET_ERROR; }
static int WSPAPI up_close_thread(LPWSATHREADID id, LPINT err)
{ (void)id; unexpected("WPUCloseThread"); *err = WSAEINVAL; return SOCKET_ERROR; }

WSPUPCALLTABLE base_upcall_table(void)
{
    WSPUPCALLTABLE t = {
        .lpWPUCloseEvent = up_close_event,
        .lpWPUCloseSocketHandle = up_close_socket_handle,
        .lpWPUCreateEvent = up_create_event,
        .lpWPUCreateSocketHandle = up_create_socket_handle,
        .lpWPUFDIsSet = up_fd_isset,
        .lpWPUGetProviderPath = up_get_provider_path,
        .lpWPUModifyIFSHandle = up_modify_ifs_handle,
        .lpWPUPostMessage = up_post_message,
        .lpWPUQueryBlockingCallback = up_query_blocking_callback,
        .lpWPUQuerySocketHandleContext = up_query_socket_handle_context,
        .lpWPUQueueApc = up_queue_apc,
        .lpWPUResetEvent = up_reset_event,
        .lpWPUSetEvent = up_set_event,
        .lpWPUOpenCurrentThread = up_open_current_thread,
        .lpWPUCloseThread = up_close_thread,
    };
    return t;
}

/* --- loading ------------------------------------------------------------ */

static BOOL find_system_entry(int type, WSAPROTOCOL_INFOW *out)
{
    static WSAPROTOCOL_INFOW entries[64];
    DWORD size = sizeof(entries);
    int i, count = WSAEnumProtocolsW(NULL, entries, &size);

    for (i = 0; i < count; i++)
        if (entries[i].iAddressFamily == AF_INET && entries[i].iSocketType == type &&
            entries[i].ProtocolChain.ChainLen == BASE_PROTOCOL) {
            *out = entries[i];
            return TRUE;
        }
    return FALSE;
}

/* A system entry as lspkit's catalog would store it: same transport, our
 * catalog id, ProviderId and name. */
static WSAPROTOCOL_INFOW as_lspkit_entry(const WSAPROTOCOL_INFOW *system, DWORD id,
                                         const WCHAR *name)
{
    WSAPROTOCOL_INFOW e = *system;

    e.dwCatalogEntryId = id;
    e.ProviderId = test_provider_id;
    e.ProtocolChain.ChainLen = BASE_PROTOCOL;
    e.ProtocolChain.ChainEntries[0] = id;
    memset(e.szProtocol, 0, sizeof(e.szProtocol));
    wcsncpy(e.szProtocol, name, WSAPROTOCOL_LEN);
    return e;
}

void base_load(void)
{
    WSAPROTOCOL_INFOW system_udp4;
    WCHAR path[MAX_PATH], *slash;
    WSADATA data;

    if (provider)
        return;
    /* The harness's own Winsock: for the catalog, and for comparisons. */
    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
    ck_assert_msg(find_system_entry(SOCK_STREAM, &system_tcp4), "no system TCP/IPv4 entry");
    ck_assert_msg(find_system_entry(SOCK_DGRAM, &system_udp4), "no system UDP/IPv4 entry");
    entry_tcp4 = as_lspkit_entry(&system_tcp4, BASE_ID_TCP4, L"lspkit test TCP/IPv4");
    entry_tcp4b = as_lspkit_entry(&system_tcp4, BASE_ID_TCP4B, L"lspkit test TCP/IPv4 (b)");
    entry_udp4 = as_lspkit_entry(&system_udp4, BASE_ID_UDP4, L"lspkit test UDP/IPv4");

    GetModuleFileNameW(NULL, path, MAX_PATH);
    slash = wcsrchr(path, L'\\');
    ck_assert_ptr_nonnull(slash);
    lstrcpyW(slash + 1, L"lspkit_base.dll");
    provider = LoadLibraryW(path);
    ck_assert_msg(provider != NULL, "cannot load %ls: error %lu", path, GetLastError());
    provider_startup = (LPWSPSTARTUP)GetProcAddress(provider, "WSPStartup");
    ck_assert_msg(provider_startup != NULL, "lspkit_base.dll exports no WSPStartup");
}

int base_startup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, LPWSPPROC_TABLE table)
{
    base_load();
    return provider_startup(version, data, info, base_upcall_table(), table);
}

/* --- fixture ------------------------------------------------------------ */

void base_setup(void)
{
    memset(&upcalls, 0, sizeof(upcalls));
    memset(&procs, 0, sizeof(procs));
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &wsp_data, &entry_tcp4, &procs), 0);
    started = TRUE;
}

void base_teardown(void)
{
    int err = 0;

    if (started) {
        started = FALSE;
        ck_assert_int_eq(procs.lpWSPCleanup(&err), 0);
    }
    ck_assert_msg(upcalls.unexpected_calls == 0, "unexpected upcall %s",
                  upcalls.unexpected_name);
}

TCase *base_tcase(const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, base_setup, base_teardown);
    tcase_set_timeout(tc, 30);
    return tc;
}

/* --- sockets ------------------------------------------------------------ */

SOCKET t_socket(const WSAPROTOCOL_INFOW *entry, DWORD flags)
{
    int err = 0;
    SOCKET s = procs.lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                                 (LPWSAPROTOCOL_INFOW)entry, 0, flags, &err);

    ck_assert_msg(s != INVALID_SOCKET, "WSPSocket failed: %d", err);
    return s;
}

void t_close(SOCKET s)
{
    int err = 0;
    ck_assert_msg(procs.lpWSPCloseSocket(s, &err) == 0, "WSPCloseSocket failed: %d", err);
}

static struct sockaddr_in loopback_any_port(void)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static void bind_loopback(SOCKET s, struct sockaddr_in *addr)
{
    struct sockaddr_in a = loopback_any_port();
    int err = 0, len = sizeof(a);

    ck_assert_msg(procs.lpWSPBind(s, (struct sockaddr *)&a, sizeof(a), &err) == 0,
                  "WSPBind failed: %d", err);
    ck_assert_msg(procs.lpWSPGetSockName(s, (struct sockaddr *)&a, &len, &err) == 0,
                  "WSPGetSockName failed: %d", err);
    if (addr)
        *addr = a;
}

SOCKET t_listener(const WSAPROTOCOL_INFOW *entry, struct sockaddr_in *addr)
{
    SOCKET s = t_socket(entry, WSA_FLAG_OVERLAPPED);
    int err = 0;

    bind_loopback(s, addr);
    ck_assert_msg(procs.lpWSPListen(s, 8, &err) == 0, "WSPListen failed: %d", err);
    return s;
}

void t_tcp_pair(SOCKET *client, SOCKET *server)
{
    struct sockaddr_in addr;
    SOCKET listener = t_listener(&entry_tcp4, &addr);
    int err = 0;

    *client = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    ck_assert_msg(procs.lpWSPConnect(*client, (struct sockaddr *)&addr, sizeof(addr),
                                     NULL, NULL, NULL, NULL, &err) == 0,
                  "WSPConnect failed: %d", err);
    *server = procs.lpWSPAccept(listener, NULL, NULL, NULL, 0, &err);
    ck_assert_msg(*server != INVALID_SOCKET, "WSPAccept failed: %d", err);
    t_close(listener);
}

void t_udp_pair(SOCKET *a, SOCKET *b, struct sockaddr_in *addr_b)
{
    *a = t_socket(&entry_udp4, WSA_FLAG_OVERLAPPED);
    *b = t_socket(&entry_udp4, WSA_FLAG_OVERLAPPED);
    bind_loopback(*a, NULL);
    bind_loopback(*b, addr_b);
}

void t_nonblocking(SOCKET s, BOOL on)
{
    u_long mode = on;
    DWORD bytes = 0;
    int err = 0;

    ck_assert_msg(procs.lpWSPIoctl(s, FIONBIO, &mode, sizeof(mode), NULL, 0, &bytes,
                                   NULL, NULL, NULL, &err) == 0, "FIONBIO failed: %d", err);
}

void t_send_all(SOCKET s, const void *data, DWORD len)
{
    WSABUF buf = { len, (char *)data };
    DWORD sent = 0;
    int err = 0;

    ck_assert_msg(procs.lpWSPSend(s, &buf, 1, &sent, 0, NULL, NULL, NULL, &err) == 0,
                  "WSPSend failed: %d", err);
    ck_assert_uint_eq(sent, len);
}

void t_recv_exact(SOCKET s, void *data, DWORD len)
{
    DWORD got = 0, n, flags;
    int err = 0;

    while (got < len) {
        WSABUF buf = { len - got, (char *)data + got };

        flags = 0;
        ck_assert_msg(procs.lpWSPRecv(s, &buf, 1, &n, &flags, NULL, NULL, NULL, &err) == 0,
                      "WSPRecv failed: %d", err);
        ck_assert_msg(n > 0, "connection closed after %lu of %lu bytes", got, len);
        got += n;
    }
}

void t_thread_id(WSATHREADID *id)
{
    memset(id, 0, sizeof(*id));
    ck_assert(DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(),
                              &id->ThreadHandle, 0, FALSE, DUPLICATE_SAME_ACCESS));
}

void t_release_thread_id(WSATHREADID *id)
{
    CloseHandle(id->ThreadHandle);
    id->ThreadHandle = NULL;
}
