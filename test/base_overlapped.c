/* SPDX-License-Identifier: MIT */
/* Overlapped sends and receives: the caller's WSAOVERLAPPED and completion
 * routine reach the system untouched, so events are signalled and routines
 * run in the issuing thread at its next alertable wait. */
#include <string.h>
#include "base_harness.h"

struct routine_call {
    LONG calls;
    DWORD error, bytes, flags, thread;
    LPWSAOVERLAPPED overlapped;
};
static struct routine_call routine_seen;

static void CALLBACK record_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    routine_seen.calls++;
    routine_seen.error = error;
    routine_seen.bytes = bytes;
    routine_seen.flags = flags;
    routine_seen.overlapped = ov;
    routine_seen.thread = GetCurrentThreadId();
}

/* Waits alertably until the routine has run, at most BASE_WAIT_MS. */
static void wait_for_routine(void)
{
    DWORD start = GetTickCount();

    while (!routine_seen.calls && GetTickCount() - start < BASE_WAIT_MS)
        SleepEx(100, TRUE);
}

/* S04 + S14: an overlapped receive with nothing to read is pending and
 * leaves the count alone; the event is set when data arrives and
 * WSPGetOverlappedResult reports it. While pending the result says
 * WSA_IO_INCOMPLETE. */
START_TEST(test_S04_S14_overlapped_recv_with_event)
{
    WSAOVERLAPPED ov;
    SOCKET client, server;
    char got[6] = { 0 };
    WSABUF buf = { 5, got };
    DWORD count = 12345, flags = 0, bytes = 0, result_flags = 99;
    int err = 0;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    t_tcp_pair(&client, &server);
    base_assert_fails(procs.lpWSPRecv(server, &buf, 1, &count, &flags, &ov, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSA_IO_PENDING);
    ck_assert_uint_eq(count, 12345);
    base_assert_fails(procs.lpWSPGetOverlappedResult(server, &ov, &bytes, FALSE, &result_flags,
                                                     &err), FALSE, err, WSA_IO_INCOMPLETE);
    t_send_all(client, "later", 5);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, BASE_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(procs.lpWSPGetOverlappedResult(server, &ov, &bytes, TRUE, &result_flags, &err));
    ck_assert_uint_eq(bytes, 5);
    ck_assert_uint_eq(result_flags, 0);
    ck_assert_str_eq(got, "later");
    WSACloseEvent(ov.hEvent);
    t_close(client);
    t_close(server);
}
END_TEST

/* S14: an overlapped send with an event: signalled at completion, and the
 * count comes from WSPGetOverlappedResult. */
START_TEST(test_S14_overlapped_send_with_event)
{
    WSAOVERLAPPED ov;
    WSABUF buf = { 4, "ping" };
    SOCKET client, server;
    DWORD sent = 0, bytes = 0, flags = 0;
    char got[5] = { 0 };
    int err = 0, ret;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    t_tcp_pair(&client, &server);
    ret = procs.lpWSPSend(client, &buf, 1, &sent, 0, &ov, NULL, NULL, &err);
    ck_assert_msg(ret == 0 || err == WSA_IO_PENDING, "WSPSend: %d, lpErrno %d", ret, err);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, BASE_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(procs.lpWSPGetOverlappedResult(client, &ov, &bytes, FALSE, &flags, &err));
    ck_assert_uint_eq(bytes, 4);
    t_recv_exact(server, got, 4);
    ck_assert_str_eq(got, "ping");
    WSACloseEvent(ov.hEvent);
    t_close(client);
    t_close(server);
}
END_TEST

/* S02 + S16: with a completion routine the send returns at once (0 or
 * pending) without running the routine; it runs once, in this thread,
 * at the next alertable wait, with (0, count, &ov, 0). */
START_TEST(test_S02_S16_send_completion_routine)
{
    WSAOVERLAPPED ov;
    WSABUF buf = { 3, "apc" };
    SOCKET client, server;
    DWORD sent = 0;
    char got[4] = { 0 };
    int err = 0, ret;

    memset(&ov, 0, sizeof(ov));
    memset(&routine_seen, 0, sizeof(routine_seen));
    t_tcp_pair(&client, &server);
    ret = procs.lpWSPSend(client, &buf, 1, &sent, 0, &ov, record_routine, NULL, &err);
    ck_assert_msg(ret == 0 || err == WSA_IO_PENDING, "WSPSend: %d, lpErrno %d", ret, err);
    ck_assert_int_eq(routine_seen.calls, 0);
    ck_assert_uint_eq(SleepEx(BASE_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(routine_seen.calls, 1);
    ck_assert_uint_eq(routine_seen.error, 0);
    ck_assert_uint_eq(routine_seen.bytes, 3);
    ck_assert_uint_eq(routine_seen.flags, 0);
    ck_assert_ptr_eq(routine_seen.overlapped, &ov);
    ck_assert_uint_eq(routine_seen.thread, GetCurrentThreadId());
    t_recv_exact(server, got, 3);
    ck_assert_str_eq(got, "apc");
    t_close(client);
    t_close(server);
}
END_TEST

/* S16: a pending receive's routine runs when data has arrived and the
 * issuing thread waits alertably, and not before. */
START_TEST(test_S16_recv_completion_routine)
{
    WSAOVERLAPPED ov;
    SOCKET client, server;
    char got[4] = { 0 };
    WSABUF buf = { 3, got };
    DWORD count = 0, flags = 0;
    int err = 0;

    memset(&ov, 0, sizeof(ov));
    memset(&routine_seen, 0, sizeof(routine_seen));
    t_tcp_pair(&client, &server);
    base_assert_fails(procs.lpWSPRecv(server, &buf, 1, &count, &flags, &ov, record_routine,
                                      NULL, &err), SOCKET_ERROR, err, WSA_IO_PENDING);
    t_send_all(client, "abc", 3);
    Sleep(200);                       /* not alertable: the routine must wait */
    ck_assert_int_eq(routine_seen.calls, 0);
    wait_for_routine();
    ck_assert_int_eq(routine_seen.calls, 1);
    ck_assert_uint_eq(routine_seen.bytes, 3);
    ck_assert_uint_eq(routine_seen.thread, GetCurrentThreadId());
    ck_assert_str_eq(got, "abc");
    t_close(client);
    t_close(server);
}
END_TEST

/* S10: the WSABUF array may be overwritten once an overlapped call has
 * returned; the original bytes are still what arrives. */
START_TEST(test_S10_wsabuf_array_transient)
{
    static char data[] = "original";
    WSAOVERLAPPED ov;
    WSABUF buf = { 8, data };
    SOCKET client, server;
    DWORD sent = 0, bytes = 0, flags = 0;
    char got[9] = { 0 };
    int err = 0, ret;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    t_tcp_pair(&client, &server);
    ret = procs.lpWSPSend(client, &buf, 1, &sent, 0, &ov, NULL, NULL, &err);
    ck_assert_msg(ret == 0 || err == WSA_IO_PENDING, "WSPSend: %d, lpErrno %d", ret, err);
    buf.len = 3;
    buf.buf = "bad";
    ck_assert(procs.lpWSPGetOverlappedResult(client, &ov, &bytes, TRUE, &flags, &err));
    ck_assert_uint_eq(bytes, 8);
    t_recv_exact(server, got, 8);
    ck_assert_str_eq(got, "original");
    WSACloseEvent(ov.hEvent);
    t_close(client);
    t_close(server);
}
END_TEST

/* Starts an overlapped receive with record_routine on `server`, closes
 * `server`, and waits alertably for the completion(s). */
static void close_with_pending_recv(SOCKET server, int (WSAAPI *recv_fn)(SOCKET, LPWSABUF, DWORD,
                                    LPDWORD, LPDWORD, LPWSAOVERLAPPED,
                                    LPWSAOVERLAPPED_COMPLETION_ROUTINE),
                                    void (*close_fn)(SOCKET))
{
    static char c;
    static WSAOVERLAPPED ov;
    WSABUF buf = { 1, &c };
    DWORD count = 0, flags = 0;
    int ret, err;

    memset(&ov, 0, sizeof(ov));
    memset(&routine_seen, 0, sizeof(routine_seen));
    ret = recv_fn(server, &buf, 1, &count, &flags, &ov, record_routine);
    err = WSAGetLastError();
    ck_assert_msg(ret == SOCKET_ERROR && err == WSA_IO_PENDING, "receive: %d, error %d", ret, err);
    close_fn(server);
    wait_for_routine();
    SleepEx(100, TRUE);               /* a second completion would run here */
}

/* The provider's WSPRecv as a WSARecv, for close_with_pending_recv. */
static int WSAAPI provider_recv(SOCKET s, LPWSABUF bufs, DWORD count, LPDWORD got, LPDWORD flags,
                                LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int err = 0, ret = procs.lpWSPRecv(s, bufs, count, got, flags, ov, routine, NULL, &err);

    WSASetLastError(err);
    return ret;
}

static void system_close(SOCKET s)
{
    ck_assert_int_eq(closesocket(s), 0);
}

/* S29: closing a socket with a receive pending completes it exactly once
 * with WSA_OPERATION_ABORTED, never silently. Wine 8 on its own sockets
 * completes it once too, but with STATUS_HANDLES_CLOSED (WSAEINVAL in the
 * routine): the base provider cancels pending I/O before it closes, as
 * Windows' transport does, so the provider meets the clause where the host
 * departs from it. Both halves are checked here. */
START_TEST(test_S29_close_completes_pending_recv_once)
{
    struct sockaddr_in addr;
    SOCKET client, server, sys_l, sys_c, sys_s;
    DWORD sys_error;
    int len = sizeof(addr);

    /* The system on its own sockets first. */
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sys_l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sys_c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(bind(sys_l, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(getsockname(sys_l, (struct sockaddr *)&addr, &len), 0);
    ck_assert_int_eq(listen(sys_l, 1), 0);
    ck_assert_int_eq(connect(sys_c, (struct sockaddr *)&addr, sizeof(addr)), 0);
    sys_s = accept(sys_l, NULL, NULL);
    ck_assert_uint_ne(sys_s, INVALID_SOCKET);
    close_with_pending_recv(sys_s, WSARecv, system_close);
    ck_assert_int_eq(routine_seen.calls, 1);
    sys_error = routine_seen.error;
    ck_assert_uint_ne(sys_error, 0);
    closesocket(sys_c);
    closesocket(sys_l);

    t_tcp_pair(&client, &server);
    close_with_pending_recv(server, provider_recv, t_close);
    ck_assert_int_eq(routine_seen.calls, 1);
    ck_assert_uint_eq(routine_seen.error, WSA_OPERATION_ABORTED);
    t_close(client);
}
END_TEST

Suite *base_overlapped_suite(void)
{
    Suite *s = suite_create("base_overlapped");
    TCase *tc = base_tcase("overlapped");

    tcase_add_test(tc, test_S04_S14_overlapped_recv_with_event);
    tcase_add_test(tc, test_S14_overlapped_send_with_event);
    tcase_add_test(tc, test_S02_S16_send_completion_routine);
    tcase_add_test(tc, test_S16_recv_completion_routine);
    tcase_add_test(tc, test_S10_wsabuf_array_transient);
    tcase_add_test(tc, test_S29_close_completes_pending_recv_once);
    suite_add_tcase(s, tc);
    return s;
}
