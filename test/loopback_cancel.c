/* SPDX-License-Identifier: MIT */
/* loopback_cancel.c: cancelling overlapped socket I/O the way programs do
 * it (Go's runtime, libuv): CancelIoEx on one operation or on all, CancelIo
 * from the issuing thread, closesocket with receives pending on other
 * threads, a thread's exit. Each cancelled operation must complete exactly
 * once, through the channel the program chose (completion port with its
 * key, or event), and lose no data (clauses C01-C04). */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

#define PORT_KEY 0x5a5a
#define QUIET_MS 300
/* Rounds of the receive/cancel race: enough to land on both sides of it. */
#define RACE_ROUNDS 40

struct recv_op {
    WSAOVERLAPPED ov;
    WSABUF buf;
    DWORD flags;
    char data[256];
};

/* Starts an overlapped receive; its result, and its error when it failed. */
static int recv_start(SOCKET s, struct recv_op *op, int *err)
{
    int rc;

    memset(&op->ov, 0, sizeof(op->ov));
    op->buf.len = sizeof(op->data);
    op->buf.buf = op->data;
    op->flags = 0;
    rc = WSARecv(s, &op->buf, 1, NULL, &op->flags, &op->ov, NULL);
    *err = rc ? WSAGetLastError() : 0;
    return rc;
}

/* Starts an overlapped receive that must go pending. */
static void recv_pending(SOCKET s, struct recv_op *op)
{
    int err, rc = recv_start(s, op, &err);

    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING,
                  "WSARecv returned %d, error %d: expected WSA_IO_PENDING", rc, err);
}

/* Starts an overlapped receive that may also complete at once: its packet
 * comes either way (the socket does not skip it). */
static void recv_queued(SOCKET s, struct recv_op *op)
{
    int err, rc = recv_start(s, op, &err);

    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSARecv returned %d, error %d", rc, err);
}

static HANDLE bind_port(SOCKET s)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, PORT_KEY, 0);

    ck_assert_ptr_nonnull(port);
    return port;
}

/* The next packet of `port`: its overlapped, byte count and error. */
static LPOVERLAPPED next_packet(HANDLE port, DWORD wait_ms, DWORD *bytes, DWORD *error)
{
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = NULL;
    BOOL ok;

    *bytes = 0;
    ok = GetQueuedCompletionStatus(port, bytes, &key, &ov, wait_ms);
    *error = ok ? 0 : GetLastError();
    if (ov)
        ck_assert_msg(key == PORT_KEY, "packet with key %lx", (unsigned long)key);
    return ov;
}

static void expect_aborted_packet(HANDLE port, LPOVERLAPPED expected)
{
    DWORD bytes, error;
    LPOVERLAPPED ov = next_packet(port, LB_WAIT_MS, &bytes, &error);

    ck_assert_msg(ov == expected, "packet for %p, expected %p (error %lu)", (void *)ov,
                  (void *)expected, error);
    ck_assert_msg(error == ERROR_OPERATION_ABORTED, "error %lu, expected %ld", error,
                  (long)ERROR_OPERATION_ABORTED);
    ck_assert_uint_eq(bytes, 0);
}

static void expect_no_packet(HANDLE port)
{
    DWORD bytes, error;
    LPOVERLAPPED ov = next_packet(port, QUIET_MS, &bytes, &error);

    ck_assert_msg(!ov, "an extra packet for %p (error %lu, %lu bytes)", (void *)ov, error,
                  bytes);
}

/* CancelIoEx on the pending operation `ov` of `s`: one aborted packet. */
static void cancel_expect_aborted(SOCKET s, HANDLE port, LPOVERLAPPED ov)
{
    ck_assert_msg(CancelIoEx((HANDLE)s, ov), "CancelIoEx: %lu", GetLastError());
    expect_aborted_packet(port, ov);
    expect_no_packet(port);
}

static void expect_overlapped_aborted(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD bytes = 0xdead, flags = 0;
    BOOL ok = WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags);
    int err = WSAGetLastError();

    ck_assert_msg(!ok && err == WSA_OPERATION_ABORTED,
                  "WSAGetOverlappedResult: ok %d, error %d", ok, err);
}

/* A receive after a cancel still gets what the peer sends next: the
 * cancelled one took nothing. */
static void expect_next_receive(SOCKET c, SOCKET s, HANDLE port)
{
    struct recv_op op;
    DWORD bytes, error;

    recv_pending(s, &op);
    ck_assert_int_eq(send(c, "after", 5, 0), 5);
    ck_assert_ptr_eq(next_packet(port, LB_WAIT_MS, &bytes, &error), &op.ov);
    ck_assert_uint_eq(error, 0);
    ck_assert_uint_eq(bytes, 5);
    ck_assert_int_eq(memcmp(op.data, "after", 5), 0);
}

/* C01: CancelIoEx on one pending receive completes that one, once, on the
 * port with its key; a second receive stays pending and gets the data. */
START_TEST(test_C01_cancel_one_receive_port)
{
    SOCKET c, s;
    struct recv_op first, second;
    HANDLE port;
    DWORD bytes, error;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    recv_pending(s, &first);
    recv_pending(s, &second);
    cancel_expect_aborted(s, port, &first.ov);
    expect_overlapped_aborted(s, &first.ov);

    ck_assert_int_eq(send(c, "data", 4, 0), 4);
    ck_assert_ptr_eq(next_packet(port, LB_WAIT_MS, &bytes, &error), &second.ov);
    ck_assert_uint_eq(error, 0);
    ck_assert_uint_eq(bytes, 4);
    ck_assert_int_eq(memcmp(second.data, "data", 4), 0);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* C01: the same with an event: signalled, and WSAGetOverlappedResult says
 * WSA_OPERATION_ABORTED. */
START_TEST(test_C01_cancel_receive_event)
{
    SOCKET c, s;
    struct recv_op op;
    HANDLE event = WSACreateEvent();
    int rc, err;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(&op, 0, sizeof(op));
    op.ov.hEvent = event;
    op.buf.len = sizeof(op.data);
    op.buf.buf = op.data;
    rc = WSARecv(s, &op.buf, 1, NULL, &op.flags, &op.ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv %d error %d", rc, err);
    ck_assert(CancelIoEx((HANDLE)s, &op.ov));
    ck_assert_uint_eq(WaitForSingleObject(event, LB_WAIT_MS), WAIT_OBJECT_0);
    expect_overlapped_aborted(s, &op.ov);
    WSACloseEvent(event);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* What the completion routine of test_C01_cancel_receive_routine saw. */
static struct {
    int calls[2];
    DWORD error[2], bytes[2];
    WSAOVERLAPPED *ov[2];
} routine_seen;

static void CALLBACK note_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    int i = ov == routine_seen.ov[0] ? 0 : 1;

    (void)flags;
    routine_seen.calls[i]++;
    routine_seen.error[i] = error;
    routine_seen.bytes[i] = bytes;
}

/* Waits alertably until routine `i` has run, or LB_WAIT_MS. */
static void await_routine(int i)
{
    DWORD start = GetTickCount();

    while (!routine_seen.calls[i] && GetTickCount() - start < LB_WAIT_MS)
        SleepEx(50, TRUE);
}

/* C01: CancelIoEx reaches an operation that reports through a completion
 * routine: its routine runs once with WSA_OPERATION_ABORTED, and a second
 * receive still gets the data. */
START_TEST(test_C01_cancel_receive_routine)
{
    SOCKET c, s;
    struct recv_op op[2];
    int i, rc, err;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(&routine_seen, 0, sizeof(routine_seen));
    for (i = 0; i < 2; i++) {
        memset(&op[i], 0, sizeof(op[i]));
        op[i].buf.len = sizeof(op[i].data);
        op[i].buf.buf = op[i].data;
        routine_seen.ov[i] = &op[i].ov;
        rc = WSARecv(s, &op[i].buf, 1, NULL, &op[i].flags, &op[i].ov, note_routine);
        err = WSAGetLastError();
        ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv %d error %d", rc,
                      err);
    }
    ck_assert_msg(CancelIoEx((HANDLE)s, &op[0].ov), "CancelIoEx: %lu", GetLastError());
    await_routine(0);
    ck_assert_int_eq(routine_seen.calls[0], 1);
    ck_assert_uint_eq(routine_seen.error[0], WSA_OPERATION_ABORTED);
    ck_assert_int_eq(routine_seen.calls[1], 0);

    ck_assert_int_eq(send(c, "data", 4, 0), 4);
    await_routine(1);
    SleepEx(QUIET_MS, TRUE);
    ck_assert_int_eq(routine_seen.calls[0], 1);
    ck_assert_int_eq(routine_seen.calls[1], 1);
    ck_assert_uint_eq(routine_seen.error[1], 0);
    ck_assert_uint_eq(routine_seen.bytes[1], 4);
    ck_assert_int_eq(memcmp(op[1].data, "data", 4), 0);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* C01: a datagram receive, as Go's UDPConn.Close does before closing. */
START_TEST(test_C01_cancel_datagram_receive)
{
    SOCKET a, b;
    struct sockaddr_storage bname;
    struct sockaddr_storage from;
    int blen, fromlen = sizeof(from), rc, err;
    struct recv_op op;
    HANDLE port;

    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    port = bind_port(b);
    memset(&op, 0, sizeof(op));
    op.buf.len = sizeof(op.data);
    op.buf.buf = op.data;
    rc = WSARecvFrom(b, &op.buf, 1, NULL, &op.flags, (struct sockaddr *)&from, &fromlen,
                     &op.ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvFrom %d error %d", rc,
                  err);
    cancel_expect_aborted(b, port, &op.ov);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}
END_TEST

/* C01: an AcceptEx (fetched by its GUID, called through the pointer) is
 * cancelled on the listening socket, as Go's listener Close does; the next
 * one accepts the connection that comes. */
START_TEST(test_C01_cancel_acceptex)
{
    static const GUID guid_acceptex = WSAID_ACCEPTEX;
    int family = lb_family(_i), len;
    struct sockaddr_storage addr;
    SOCKET l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    LPFN_ACCEPTEX acceptex = (LPFN_ACCEPTEX)lb_extension(l, guid_acceptex);
    const DWORD name_len = sizeof(struct sockaddr_storage) + 16;
    char names[2 * (sizeof(struct sockaddr_storage) + 16)];
    SOCKET a, c;
    WSAOVERLAPPED ov = { 0 };
    HANDLE port = bind_port(l);
    DWORD bytes = 0, error;
    BOOL ok;
    int err;

    a = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ok = acceptex(l, a, names, 0, name_len, name_len, &bytes, &ov);
    err = WSAGetLastError();
    ck_assert_msg(!ok && err == WSA_IO_PENDING, "AcceptEx: %d, error %d", ok, err);
    cancel_expect_aborted(l, port, &ov);
    closesocket(a);

    a = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    memset(&ov, 0, sizeof(ov));
    ok = acceptex(l, a, names, 0, name_len, name_len, &bytes, &ov);
    err = WSAGetLastError();
    ck_assert_msg(!ok && err == WSA_IO_PENDING, "AcceptEx again: %d, error %d", ok, err);
    c = socket(family, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(c, (struct sockaddr *)&addr, len), 0);
    ck_assert_ptr_eq(next_packet(port, LB_WAIT_MS, &bytes, &error), &ov);
    ck_assert_uint_eq(error, 0);
    closesocket(c);
    closesocket(a);
    closesocket(l);
    CloseHandle(port);
}
END_TEST

/* C01: a WSARecvMsg through its extension pointer, on a datagram socket. */
START_TEST(test_C01_cancel_wsarecvmsg)
{
    static const GUID guid_recvmsg = WSAID_WSARECVMSG;
    SOCKET a, b;
    struct sockaddr_storage bname, from;
    int blen, rc, err;
    LPFN_WSARECVMSG recvmsg;
    struct recv_op op;
    WSAMSG msg;
    HANDLE port;

    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    recvmsg = (LPFN_WSARECVMSG)lb_extension(b, guid_recvmsg);
    port = bind_port(b);
    memset(&op, 0, sizeof(op));
    op.buf.len = sizeof(op.data);
    op.buf.buf = op.data;
    memset(&msg, 0, sizeof(msg));
    msg.name = (struct sockaddr *)&from;
    msg.namelen = sizeof(from);
    msg.lpBuffers = &op.buf;
    msg.dwBufferCount = 1;
    rc = recvmsg(b, &msg, NULL, &op.ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvMsg %d error %d", rc,
                  err);
    cancel_expect_aborted(b, port, &op.ov);
    closesocket(a);
    closesocket(b);
    CloseHandle(port);
}
END_TEST

/* C02: CancelIoEx with no overlapped cancels every pending operation of
 * the socket, each once. */
START_TEST(test_C02_cancel_all)
{
    SOCKET c, s;
    struct recv_op first, second;
    HANDLE port;
    DWORD bytes, error;
    LPOVERLAPPED got[2];

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    recv_pending(s, &first);
    recv_pending(s, &second);
    ck_assert(CancelIoEx((HANDLE)s, NULL));
    got[0] = next_packet(port, LB_WAIT_MS, &bytes, &error);
    ck_assert_uint_eq(error, ERROR_OPERATION_ABORTED);
    got[1] = next_packet(port, LB_WAIT_MS, &bytes, &error);
    ck_assert_uint_eq(error, ERROR_OPERATION_ABORTED);
    ck_assert_msg((got[0] == &first.ov && got[1] == &second.ov) ||
                  (got[0] == &second.ov && got[1] == &first.ov), "packets %p %p",
                  (void *)got[0], (void *)got[1]);
    expect_no_packet(port);
    expect_next_receive(c, s, port);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* A thread that starts a receive and stays until told to go. */
struct receiver {
    SOCKET s;
    struct recv_op op;
    HANDLE started, leave;
};

static DWORD WINAPI receiver_main(void *arg)
{
    struct receiver *r = arg;
    int rc;

    memset(&r->op, 0, sizeof(r->op));
    r->op.buf.len = sizeof(r->op.data);
    r->op.buf.buf = r->op.data;
    rc = WSARecv(r->s, &r->op.buf, 1, NULL, &r->op.flags, &r->op.ov, NULL);
    if (rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING)
        SetEvent(r->started);
    WaitForSingleObject(r->leave, INFINITE);
    return 0;
}

static HANDLE receiver_start(struct receiver *r, SOCKET s)
{
    HANDLE thread;

    r->s = s;
    r->started = CreateEventW(NULL, TRUE, FALSE, NULL);
    r->leave = CreateEventW(NULL, TRUE, FALSE, NULL);
    thread = CreateThread(NULL, 0, receiver_main, r, 0, NULL);
    ck_assert_ptr_nonnull(thread);
    ck_assert_uint_eq(WaitForSingleObject(r->started, LB_WAIT_MS), WAIT_OBJECT_0);
    return thread;
}

static void receiver_stop(struct receiver *r, HANDLE thread)
{
    SetEvent(r->leave);
    ck_assert_uint_eq(WaitForSingleObject(thread, LB_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    CloseHandle(r->started);
    CloseHandle(r->leave);
}

/* C02: CancelIo cancels only what the calling thread started. */
START_TEST(test_C02_cancel_io_calling_thread_only)
{
    SOCKET c, s;
    struct recv_op mine;
    struct receiver other;
    HANDLE port, thread;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    thread = receiver_start(&other, s);
    recv_pending(s, &mine);
    ck_assert(CancelIo((HANDLE)s));
    expect_aborted_packet(port, &mine.ov);
    expect_no_packet(port);
    ck_assert(CancelIoEx((HANDLE)s, &other.op.ov));
    expect_aborted_packet(port, &other.op.ov);
    receiver_stop(&other, thread);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* C03: a receive cancelled while its data arrives loses nothing: either
 * it completes with the data, or aborted and the next one gets it. Over
 * many rounds the cancel lands before, during and after the data. */
START_TEST(test_C03_cancel_races_data_loses_nothing)
{
    SOCKET c, s;
    HANDLE port;
    unsigned char sent[RACE_ROUNDS * 8], got[RACE_ROUNDS * 8 + 256];
    size_t have = 0;
    int round;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    lb_fill(sent, sizeof(sent), 3, 0);
    for (round = 0; round < RACE_ROUNDS; round++) {
        struct recv_op op;
        DWORD bytes, error;

        recv_queued(s, &op);
        ck_assert_int_eq(send(c, (char *)sent + round * 8, 8, 0), 8);
        if (round % 2)
            Sleep(round % 4);
        CancelIoEx((HANDLE)s, &op.ov);
        ck_assert_ptr_eq(next_packet(port, LB_WAIT_MS, &bytes, &error), &op.ov);
        ck_assert_msg(error == 0 || (error == ERROR_OPERATION_ABORTED && bytes == 0),
                      "round %d: error %lu with %lu bytes", round, error, bytes);
        ck_assert_uint_le(have + bytes, sizeof(got));
        memcpy(got + have, op.data, bytes);
        have += bytes;
    }
    /* What the cancelled receives left queued comes to the next ones. */
    while (have < sizeof(sent)) {
        struct recv_op op;
        DWORD bytes, error;

        recv_queued(s, &op);
        ck_assert_ptr_eq(next_packet(port, LB_WAIT_MS, &bytes, &error), &op.ov);
        ck_assert_uint_eq(error, 0);
        ck_assert_uint_gt(bytes, 0);
        ck_assert_uint_le(have + bytes, sizeof(got));
        memcpy(got + have, op.data, bytes);
        have += bytes;
    }
    ck_assert_uint_eq(have, sizeof(sent));
    ck_assert_int_eq(memcmp(got, sent, sizeof(sent)), 0);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* Closes `s` while two other threads have a receive pending on it, and
 * returns the errors of the two packets, each for one of the receives. */
static void close_with_receives_pending(int family, DWORD errors[2])
{
    SOCKET c, s;
    struct receiver first, second;
    HANDLE port, threads[2];
    DWORD bytes;
    LPOVERLAPPED got[2];
    int i;

    lb_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    threads[0] = receiver_start(&first, s);
    threads[1] = receiver_start(&second, s);
    ck_assert_int_eq(closesocket(s), 0);
    for (i = 0; i < 2; i++) {
        got[i] = next_packet(port, LB_WAIT_MS, &bytes, &errors[i]);
        ck_assert_msg(got[i] == &first.op.ov || got[i] == &second.op.ov, "packet %p",
                      (void *)got[i]);
    }
    ck_assert_ptr_ne(got[0], got[1]);
    expect_no_packet(port);
    receiver_stop(&first, threads[0]);
    receiver_stop(&second, threads[1]);
    closesocket(c);
    CloseHandle(port);
}

/* C04: closesocket with receives pending on other threads completes each
 * exactly once, aborted. */
START_TEST(test_C04_close_with_receives_pending_elsewhere)
{
    DWORD errors[2];

    close_with_receives_pending(lb_family(_i), errors);
    ck_assert_uint_eq(errors[0], ERROR_OPERATION_ABORTED);
    ck_assert_uint_eq(errors[1], ERROR_OPERATION_ABORTED);
}
END_TEST

/* Wine 8's own closesocket ends them once each too, but with error 676, a
 * code Windows does not use for it. */
START_TEST(test_C04_close_with_receives_pending_elsewhere_wine_departure)
{
    DWORD errors[2];

    close_with_receives_pending(lb_family(_i), errors);
    ck_assert_uint_eq(errors[0], 676);
    ck_assert_uint_eq(errors[1], 676);
}
END_TEST

/* C04 (S30 for receives): a thread that exits with a receive pending that
 * reports through an event has it cancelled; the event is set. */
static DWORD WINAPI receive_and_exit(void *arg)
{
    struct receiver *r = arg;
    int rc;

    rc = WSARecv(r->s, &r->op.buf, 1, NULL, &r->op.flags, &r->op.ov, NULL);
    return rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING ? 0 : 1;
}

START_TEST(test_C04_thread_exit_cancels_event_receive)
{
    SOCKET c, s;
    struct receiver r;
    HANDLE thread;
    DWORD code = 2;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(&r, 0, sizeof(r));
    r.s = s;
    r.op.ov.hEvent = WSACreateEvent();
    r.op.buf.len = sizeof(r.op.data);
    r.op.buf.buf = r.op.data;
    thread = CreateThread(NULL, 0, receive_and_exit, &r, 0, NULL);
    ck_assert_ptr_nonnull(thread);
    ck_assert_uint_eq(WaitForSingleObject(thread, LB_WAIT_MS), WAIT_OBJECT_0);
    GetExitCodeThread(thread, &code);
    ck_assert_uint_eq(code, 0);
    ck_assert_uint_eq(WaitForSingleObject(r.op.ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    expect_overlapped_aborted(s, &r.op.ov);
    CloseHandle(thread);
    WSACloseEvent(r.op.ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("cancel");
    TCase *tc = lb_tcase("cancel");

    tcase_add_loop_test(tc, test_C01_cancel_one_receive_port, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C01_cancel_receive_event, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C01_cancel_receive_routine, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C01_cancel_datagram_receive, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C01_cancel_acceptex, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C01_cancel_wsarecvmsg, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C02_cancel_all, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C02_cancel_io_calling_thread_only, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C03_cancel_races_data_loses_nothing, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_C04_thread_exit_cancels_event_receive, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("close", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_C04_close_with_receives_pending_elsewhere, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    tc = lb_tcase_tagged("close_wine", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_C04_close_with_receives_pending_elsewhere_wine_departure, 0,
                        LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
