/* SPDX-License-Identifier: MIT */
/* layered_close.c: closing a provider socket with receives pending
 * completes each of them once, with an error and no bytes, by the
 * mechanism it asked for (event, routine); none is lost, none doubled.
 * (Sends pending at a close, S29, and at their thread's exit, S30, are
 * spicheck's: spicheck/t_close.c.) */
#include "layered_test.h"

#include <string.h>

static volatile LONG routine_calls;
static DWORD routine_error, routine_bytes;

static void CALLBACK close_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov; (void)flags;
    routine_error = error;
    routine_bytes = bytes;
    InterlockedIncrement(&routine_calls);
}

/* The errors a closed socket's operation may end with (S29): aborted, or
 * the transport's own reset or abort. */
static int is_close_error(DWORD error)
{
    return error == WSA_OPERATION_ABORTED || error == WSAECONNABORTED ||
           error == WSAECONNRESET;
}

static void post_recv(SOCKET s, WSAOVERLAPPED *ov, WSABUF *buf,
                      LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    DWORD got = 0, flags = 0;
    int rc = WSARecv(s, buf, 1, &got, &flags, ov, routine);
    int err = WSAGetLastError();

    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
}

/* Three receives pending with events: each event is signalled once the
 * socket is closed, with a failure status and no bytes. */
START_TEST(test_S29_close_completes_pending_receives)
{
    WSAOVERLAPPED ov[3];
    char in[3][16];
    WSABUF bufs[3];
    SOCKET c, s;
    int i;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(ov, 0, sizeof(ov));
    for (i = 0; i < 3; i++) {
        ov[i].hEvent = WSACreateEvent();
        bufs[i].buf = in[i];
        bufs[i].len = sizeof(in[i]);
        post_recv(s, &ov[i], &bufs[i], NULL);
    }
    ck_assert_int_eq(closesocket(s), 0);
    for (i = 0; i < 3; i++) {
        ck_assert_uint_eq(WaitForSingleObject(ov[i].hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
        ck_assert(HasOverlappedIoCompleted(&ov[i]));
        ck_assert_msg(ov[i].Internal != 0, "receive %d completed with success", i);
        ck_assert_uint_eq(ov[i].InternalHigh, 0);
        WSAResetEvent(ov[i].hEvent);
    }
    for (i = 0; i < 3; i++) {
        ck_assert_uint_eq(WaitForSingleObject(ov[i].hEvent, 100), WAIT_TIMEOUT);
        WSACloseEvent(ov[i].hEvent);
    }
    closesocket(c);
}
END_TEST

/* A pending receive with a routine: called once, with a close error. */
START_TEST(test_S29_close_runs_routine_once)
{
    WSAOVERLAPPED ov = { 0 };
    char in[16];
    WSABUF buf = { sizeof(in), in };
    SOCKET c, s;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    routine_calls = 0;
    post_recv(s, &ov, &buf, close_routine);
    ck_assert_int_eq(closesocket(s), 0);
    layered_wait_alertable(&routine_calls, 1, LB_WAIT_MS);
    ck_assert_int_eq(routine_calls, 1);
    ck_assert_msg(is_close_error(routine_error), "routine error %lu", routine_error);
    ck_assert_uint_eq(routine_bytes, 0);
    ck_assert_uint_eq(SleepEx(200, TRUE), 0);
    ck_assert_int_eq(routine_calls, 1);
    closesocket(c);
}
END_TEST

TCase *layered_close_tcase(void)
{
    TCase *tc = layered_tcase("close");
    tcase_add_loop_test(tc, test_S29_close_completes_pending_receives, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S29_close_runs_routine_once, 0, LB_FAMILIES);
    return tc;
}
