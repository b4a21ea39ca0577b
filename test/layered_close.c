/* SPDX-License-Identifier: MIT */
/* layered_close.c: S29 - closing a provider socket with operations pending
 * completes each of them once, with an error, by the mechanism it asked
 * for (event, routine, completion port); none is lost, none doubled.
 * S30 - a thread's pending operations are cancelled when it exits. */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

#define SMALL_BUF 8192

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

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
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

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
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

/* A pending send (the peer does not read) on a completion port: one packet,
 * failed, after the close; no second one. */
START_TEST(test_S29_close_posts_one_failed_packet)
{
    enum { TOTAL = 8 << 20 };
    unsigned char *out = malloc(TOTAL);
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { TOTAL, (char *)out };
    DWORD sent = 0, bytes, error;
    ULONG_PTR key;
    LPOVERLAPPED got;
    HANDLE port;
    SOCKET c, s;
    int rc, err;
    BOOL ok;

    ck_assert_ptr_nonnull(out);
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 0x29, 0);
    ck_assert_ptr_nonnull(port);
    rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSASend: %d %d", rc, err);
    ck_assert(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100));
    ck_assert_int_eq(closesocket(c), 0);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, LB_WAIT_MS);
    error = GetLastError();
    ck_assert(!ok);
    ck_assert_ptr_eq(got, &ov);
    ck_assert_uint_eq(key, 0x29);
    ck_assert_msg(error == ERROR_OPERATION_ABORTED || error == ERROR_NETNAME_DELETED ||
                  error == ERROR_CONNECTION_ABORTED, "packet error %lu", error);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 200);
    error = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(error, WAIT_TIMEOUT);
    CloseHandle(port);
    free(out);
    closesocket(s);
}
END_TEST

/* NTSTATUS of a cancelled operation (winnt.h has STATUS_PENDING only). */
#define STATUS_CANCELLED_ ((ULONG_PTR)0xC0000120)

/* A send that goes pending (the peer does not read), issued by a thread
 * that exits right after the call (S30). */
struct issuer {
    SOCKET s;
    WSABUF buf;
    WSAOVERLAPPED *ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    int rc, err;
};

static DWORD WINAPI issue_and_exit(void *arg)
{
    struct issuer *is = arg;
    DWORD sent = 0;

    is->rc = WSASend(is->s, &is->buf, 1, &sent, 0, is->ov, is->routine);
    is->err = WSAGetLastError();
    return 0;
}

static void send_from_exiting_thread(struct issuer *is)
{
    HANDLE thread = CreateThread(NULL, 0, issue_and_exit, is, 0, NULL);

    ck_assert_ptr_nonnull(thread);
    ck_assert_uint_eq(WaitForSingleObject(thread, LB_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    ck_assert_msg(is->rc == SOCKET_ERROR && is->err == WSA_IO_PENDING,
                  "the thread's WSASend: %d, error %d", is->rc, is->err);
}

/* S30: a send with an event, on a socket also bound to a completion port,
 * pending when its thread exits: the event is signalled once, the result
 * is WSA_OPERATION_ABORTED, and one failed packet reaches the port. */
START_TEST(test_S30_thread_exit_cancels_event_send)
{
    enum { TOTAL = 8 << 20 };
    unsigned char *out = malloc(TOTAL);
    WSAOVERLAPPED ov = { 0 };
    struct issuer is = { 0 };
    DWORD bytes, error, flags;
    ULONG_PTR key;
    LPOVERLAPPED got;
    HANDLE port;
    SOCKET c, s;
    BOOL ok;

    ck_assert_ptr_nonnull(out);
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    layered_assert_through_lsp(c);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 0x30, 0);
    ck_assert_ptr_nonnull(port);
    ov.hEvent = WSACreateEvent();
    is.s = c;
    is.buf.buf = (char *)out;
    is.buf.len = TOTAL;
    is.ov = &ov;
    send_from_exiting_thread(&is);

    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(ov.Internal, STATUS_CANCELLED_);
    ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    error = WSAGetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(error, WSA_OPERATION_ABORTED);
    ck_assert_uint_lt(bytes, TOTAL);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, LB_WAIT_MS);
    error = GetLastError();
    ck_assert(!ok);
    ck_assert_ptr_eq(got, &ov);
    ck_assert_uint_eq(key, 0x30);
    ck_assert_uint_eq(error, ERROR_OPERATION_ABORTED);
    WSAResetEvent(ov.hEvent);
    ck_assert(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 200));
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    WSACloseEvent(ov.hEvent);
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
    free(out);
}
END_TEST

/* S30: a send with a routine pending when its thread exits is cancelled
 * (the peer never gets all of it), and its routine, whose thread is gone,
 * runs nowhere else; the process and the socket carry on. */
START_TEST(test_S30_thread_exit_cancels_routine_send)
{
    enum { TOTAL = 8 << 20 };
    unsigned char *out = malloc(TOTAL), *in = malloc(TOTAL);
    WSAOVERLAPPED *ov = calloc(1, sizeof(*ov));
    struct issuer is = { 0 };
    size_t received;
    SOCKET c, s;

    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(ov);
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    layered_assert_through_lsp(c);
    routine_calls = 0;
    is.s = c;
    is.buf.buf = (char *)out;
    is.buf.len = TOTAL;
    is.ov = ov;
    is.routine = close_routine;
    send_from_exiting_thread(&is);

    /* Still pending, the send would go on as the peer reads. */
    received = sock_recv_exact(s, in, TOTAL, 1000);
    ck_assert_msg(received < TOTAL, "the peer got all %zu bytes: the send was not cancelled",
                  received);
    ck_assert_uint_eq(SleepEx(200, TRUE), 0);
    ck_assert_int_eq(routine_calls, 0);
    ck_assert_int_eq(closesocket(c), 0);
    closesocket(s);
    free(ov);
    free(in);
    free(out);
}
END_TEST

TCase *layered_close_tcase(void)
{
    TCase *tc = layered_tcase("close");
    tcase_add_loop_test(tc, test_S29_close_completes_pending_receives, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S29_close_runs_routine_once, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S29_close_posts_one_failed_packet, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S30_thread_exit_cancels_event_send, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S30_thread_exit_cancels_routine_send, 0, LB_FAMILIES);
    return tc;
}
