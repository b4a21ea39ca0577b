/* SPDX-License-Identifier: MIT */
/* WSPIoctl: extension functions are the system's and work on our sockets;
 * the provider answers SIO_BASE_HANDLE and SIO_BSP_HANDLE* itself. */
#include <string.h>
#include "base_harness.h"

static void *extension(SOCKET s, GUID id, int *err)
{
    void *fn = NULL;
    DWORD bytes = 0;

    *err = 0;
    if (procs.lpWSPIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &fn,
                         sizeof(fn), &bytes, NULL, NULL, NULL, err))
        return NULL;
    return fn;
}

static void *system_extension(SOCKET s, GUID id, int *err)
{
    void *fn = NULL;
    DWORD bytes = 0;

    *err = 0;
    if (WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &id, sizeof(id), &fn, sizeof(fn),
                 &bytes, NULL, NULL)) {
        *err = WSAGetLastError();
        return NULL;
    }
    return fn;
}

/* Each extension the system offers comes back as the system's own pointer;
 * one it lacks fails the same way. */
START_TEST(test_extension_pointers_are_the_systems)
{
    static const struct { GUID id; const char *name; } ids[] = {
        { WSAID_CONNECTEX, "ConnectEx" },
        { WSAID_ACCEPTEX, "AcceptEx" },
        { WSAID_GETACCEPTEXSOCKADDRS, "GetAcceptExSockaddrs" },
        { WSAID_TRANSMITFILE, "TransmitFile" },
        { WSAID_TRANSMITPACKETS, "TransmitPackets" },
        { WSAID_DISCONNECTEX, "DisconnectEx" },
        { WSAID_WSARECVMSG, "WSARecvMsg" },
        { WSAID_WSASENDMSG, "WSASendMsg" },
    };
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    SOCKET sys_s = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    size_t i;
    int err, sys_err;

    ck_assert_uint_ne(sys_s, INVALID_SOCKET);
    for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        void *fn = extension(s, ids[i].id, &err);
        void *sys_fn = system_extension(sys_s, ids[i].id, &sys_err);

        ck_assert_msg(fn == sys_fn, "%s: %p, the system's is %p", ids[i].name, fn, sys_fn);
        ck_assert_msg(err == sys_err, "%s: lpErrno %d, the system's %d", ids[i].name, err,
                      sys_err);
    }
    closesocket(sys_s);
    t_close(s);
}
END_TEST

/* ConnectEx and AcceptEx work on the provider's sockets. */
START_TEST(test_connectex_acceptex)
{
    struct sockaddr_in addr, local;
    LPFN_CONNECTEX connect_ex;
    LPFN_ACCEPTEX accept_ex;
    WSAOVERLAPPED ov_a, ov_c;
    SOCKET listener, client, accepted;
    char addresses[2 * (sizeof(struct sockaddr_in) + 16)], got[3] = { 0 };
    DWORD bytes = 0, flags = 0;
    int err = 0, ext_err;
    BOOL ok;

    listener = t_listener(&entry_tcp4, &addr);
    accepted = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    client = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    accept_ex = (LPFN_ACCEPTEX)extension(listener, (GUID)WSAID_ACCEPTEX, &err);
    connect_ex = (LPFN_CONNECTEX)extension(client, (GUID)WSAID_CONNECTEX, &err);
    ck_assert_ptr_nonnull(accept_ex);
    ck_assert_ptr_nonnull(connect_ex);

    memset(&ov_a, 0, sizeof(ov_a));
    memset(&ov_c, 0, sizeof(ov_c));
    ov_a.hEvent = WSACreateEvent();
    ov_c.hEvent = WSACreateEvent();
    ok = accept_ex(listener, accepted, addresses, 0, sizeof(struct sockaddr_in) + 16,
                   sizeof(struct sockaddr_in) + 16, &bytes, &ov_a);
    ext_err = ok ? 0 : WSAGetLastError();
    ck_assert_msg(ok || ext_err == ERROR_IO_PENDING, "AcceptEx: error %d", ext_err);

    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(procs.lpWSPBind(client, (struct sockaddr *)&local, sizeof(local), &err), 0);
    ok = connect_ex(client, (struct sockaddr *)&addr, sizeof(addr), NULL, 0, NULL, &ov_c);
    ext_err = ok ? 0 : WSAGetLastError();
    ck_assert_msg(ok || ext_err == ERROR_IO_PENDING, "ConnectEx: error %d", ext_err);

    ck_assert(procs.lpWSPGetOverlappedResult(client, &ov_c, &bytes, TRUE, &flags, &err));
    ck_assert(procs.lpWSPGetOverlappedResult(listener, &ov_a, &bytes, TRUE, &flags, &err));
    ck_assert_int_eq(procs.lpWSPSetSockOpt(client, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL,
                                           0, &err), 0);
    ck_assert_int_eq(procs.lpWSPSetSockOpt(accepted, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT,
                                           (char *)&listener, sizeof(listener), &err), 0);
    t_send_all(client, "ex", 2);
    t_recv_exact(accepted, got, 2);
    ck_assert_str_eq(got, "ex");

    WSACloseEvent(ov_a.hEvent);
    WSACloseEvent(ov_c.hEvent);
    t_close(client);
    t_close(accepted);
    t_close(listener);
}
END_TEST

static const DWORD handle_codes[] = {
    SIO_BASE_HANDLE, SIO_BSP_HANDLE, SIO_BSP_HANDLE_SELECT, SIO_BSP_HANDLE_POLL,
};
#define HANDLE_CODES (sizeof(handle_codes) / sizeof(handle_codes[0]))

/* The base handle and the handles for select/WSAPoll are the socket. */
START_TEST(test_bsp_handles_are_the_socket)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED), out;
    DWORD bytes;
    size_t i;
    int err = 0;

    for (i = 0; i < HANDLE_CODES; i++) {
        out = 0;
        bytes = 0;
        ck_assert_msg(procs.lpWSPIoctl(s, handle_codes[i], NULL, 0, &out, sizeof(out), &bytes,
                                       NULL, NULL, NULL, &err) == 0,
                      "ioctl %#lx: lpErrno %d", handle_codes[i], err);
        ck_assert_uint_eq(out, s);
        ck_assert_uint_eq(bytes, sizeof(SOCKET));
    }
    t_close(s);
}
END_TEST

/* Too small an output buffer, or a handle that is no socket. */
START_TEST(test_bsp_handle_errors)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    DWORD small = 0, bytes = 0;
    SOCKET out;
    size_t i;
    int err = 0;

    for (i = 0; i < HANDLE_CODES; i++) {
        base_assert_fails(procs.lpWSPIoctl(s, handle_codes[i], NULL, 0, &small, sizeof(small),
                                           &bytes, NULL, NULL, NULL, &err),
                          SOCKET_ERROR, err, WSAEFAULT);
        base_assert_fails(procs.lpWSPIoctl(s, handle_codes[i], NULL, 0, NULL, sizeof(out),
                                           &bytes, NULL, NULL, NULL, &err),
                          SOCKET_ERROR, err, WSAEFAULT);
    }
    t_close(s);
    for (i = 0; i < HANDLE_CODES; i++)
        base_assert_fails(procs.lpWSPIoctl(s, handle_codes[i], NULL, 0, &out, sizeof(out),
                                           &bytes, NULL, NULL, NULL, &err),
                          SOCKET_ERROR, err, WSAENOTSOCK);
}
END_TEST

/* Overlapped, the answer completes at once: the event is set and the
 * overlapped result reports the size of a SOCKET. */
START_TEST(test_bsp_handle_overlapped_event)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED), out = 0;
    WSAOVERLAPPED ov;
    DWORD bytes = 0, flags = 99;
    int err = 0;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ck_assert_int_eq(procs.lpWSPIoctl(s, SIO_BSP_HANDLE_SELECT, NULL, 0, &out, sizeof(out),
                                      &bytes, &ov, NULL, NULL, &err), 0);
    ck_assert_uint_eq(out, s);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    ck_assert(HasOverlappedIoCompleted(&ov));
    bytes = 0;
    ck_assert(procs.lpWSPGetOverlappedResult(s, &ov, &bytes, FALSE, &flags, &err));
    ck_assert_uint_eq(bytes, sizeof(SOCKET));
    ck_assert_uint_eq(flags, 0);
    ck_assert_int_eq(upcalls.apc_calls, 0);
    WSACloseEvent(ov.hEvent);
    t_close(s);
}
END_TEST

static LONG handle_routine_calls;
static DWORD handle_routine_bytes, handle_routine_thread;

static void CALLBACK handle_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    handle_routine_calls++;
    handle_routine_bytes = error || flags ? 0 : bytes;
    handle_routine_thread = GetCurrentThreadId();
}

/* With a completion routine the answer is queued through WPUQueueApc to
 * the issuing thread, and runs only at its next alertable wait. */
START_TEST(test_bsp_handle_overlapped_routine)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED), out = 0;
    WSAOVERLAPPED ov;
    WSATHREADID thread;
    DWORD bytes = 0;
    int err = 0;

    memset(&ov, 0, sizeof(ov));
    handle_routine_calls = 0;
    t_thread_id(&thread);
    ck_assert_int_eq(procs.lpWSPIoctl(s, SIO_BSP_HANDLE_POLL, NULL, 0, &out, sizeof(out),
                                      &bytes, &ov, handle_routine, &thread, &err), 0);
    ck_assert_uint_eq(out, s);
    ck_assert_int_eq(upcalls.apc_calls, 1);
    ck_assert_int_eq(handle_routine_calls, 0);
    ck_assert_uint_eq(SleepEx(BASE_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(handle_routine_calls, 1);
    ck_assert_uint_eq(handle_routine_bytes, sizeof(SOCKET));
    ck_assert_uint_eq(handle_routine_thread, GetCurrentThreadId());
    t_release_thread_id(&thread);
    t_close(s);
}
END_TEST

/* Other ioctls are the system's: FIONREAD counts what is waiting. */
START_TEST(test_fionread_passes_through)
{
    SOCKET client, server;
    u_long waiting = 0;
    DWORD bytes = 0;
    int err = 0, i;

    t_tcp_pair(&client, &server);
    t_send_all(client, "12345", 5);
    for (i = 0; i < 50 && waiting < 5; i++) {
        ck_assert_int_eq(procs.lpWSPIoctl(server, FIONREAD, NULL, 0, &waiting, sizeof(waiting),
                                          &bytes, NULL, NULL, NULL, &err), 0);
        if (waiting < 5)
            Sleep(20);
    }
    ck_assert_uint_eq(waiting, 5);
    t_close(client);
    t_close(server);
}
END_TEST

Suite *base_ioctl_suite(void)
{
    Suite *s = suite_create("base_ioctl");
    TCase *tc = base_tcase("ioctl");

    tcase_add_test(tc, test_extension_pointers_are_the_systems);
    tcase_add_test(tc, test_connectex_acceptex);
    tcase_add_test(tc, test_bsp_handles_are_the_socket);
    tcase_add_test(tc, test_bsp_handle_errors);
    tcase_add_test(tc, test_bsp_handle_overlapped_event);
    tcase_add_test(tc, test_bsp_handle_overlapped_routine);
    tcase_add_test(tc, test_fionread_passes_through);
    suite_add_tcase(s, tc);
    return s;
}
