/* SPDX-License-Identifier: MIT */
/* t_cancel.c: cancelling overlapped socket I/O the way programs do it (Go's
 * runtime, libuv): CancelIoEx on one operation or on all, CancelIo from
 * the issuing thread, closesocket with receives pending on other threads,
 * a thread's exit. Each cancelled operation must complete exactly once,
 * through the channel the program chose (completion port with its key,
 * event or routine), and lose no data (C01-C04), over IPv4 and IPv6. */
#include "sc.h"

#include <string.h>

#define PORT_KEY 0xc0de
#define QUIET_MS 300
/* Rounds of the receive/cancel race (C03): enough to land on both sides. */
#define RACE_ROUNDS 40

struct sc_recv {
    WSAOVERLAPPED ov;
    WSABUF buf;
    DWORD flags;
    char data[256];
};

/* R ready for a receive that reports through EVENT (or NULL). */
static void recv_prepare(struct sc_recv *r, HANDLE event)
{
    memset(r, 0, sizeof(*r));
    r->ov.hEvent = event;
    r->buf.len = sizeof(r->data);
    r->buf.buf = r->data;
}

/* Starts an overlapped receive; `must_pend` when no data can be queued. */
static void recv_start(SOCKET s, struct sc_recv *r, HANDLE event, BOOL must_pend)
{
    int rc, err;

    recv_prepare(r, event);
    rc = WSARecv(s, &r->buf, 1, NULL, &r->flags, &r->ov, NULL);
    err = rc ? WSAGetLastError() : 0;
    sc_check((rc == 0 && !must_pend) || (rc == SOCKET_ERROR && err == WSA_IO_PENDING),
             "WSARecv returned %d with error %d (%s), expected WSA_IO_PENDING", rc, err,
             sc_error_name(err));
}

static void recv_pending(SOCKET s, struct sc_recv *r, HANDLE event)
{
    recv_start(s, r, event, TRUE);
}

static HANDLE bind_port(SOCKET s)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)s, NULL, PORT_KEY, 0);

    sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
    return port;
}

/* The next packet of `port`, or NULL after `wait_ms`. */
static LPOVERLAPPED next_packet(HANDLE port, DWORD wait_ms, DWORD *bytes, DWORD *error)
{
    ULONG_PTR key = 0;
    LPOVERLAPPED ov = NULL;
    BOOL ok;

    *bytes = 0;
    ok = GetQueuedCompletionStatus(port, bytes, &key, &ov, wait_ms);
    *error = ok ? 0 : GetLastError();
    sc_check(!ov || key == PORT_KEY, "a packet with key %lx, not the socket's", (unsigned long)key);
    return ov;
}

static void check_aborted_packet(HANDLE port, LPOVERLAPPED expected, const char *what)
{
    DWORD bytes, error;
    LPOVERLAPPED ov = next_packet(port, SC_WAIT_MS, &bytes, &error);

    sc_check(ov, "%s: no packet after the cancel (the operation never completed)", what);
    sc_check(ov == expected, "%s: a packet for another operation", what);
    sc_check(error == ERROR_OPERATION_ABORTED && bytes == 0,
             "%s: completed with error %lu and %lu bytes, expected ERROR_OPERATION_ABORTED",
             what, error, bytes);
}

static void check_no_packet(HANDLE port, const char *what)
{
    DWORD bytes, error;
    LPOVERLAPPED ov = next_packet(port, QUIET_MS, &bytes, &error);

    sc_check(!ov, "%s: a second packet (error %lu, %lu bytes): completed twice, or the wrong "
             "one", what, error, bytes);
}

/* CancelIoEx on the pending operation `ov` of `s`: one aborted packet. */
static void cancel_check_aborted(SOCKET s, HANDLE port, LPOVERLAPPED ov, const char *what)
{
    sc_check(CancelIoEx((HANDLE)s, ov), "%s: CancelIoEx: %lu", what, GetLastError());
    check_aborted_packet(port, ov, what);
    check_no_packet(port, what);
}

static void check_overlapped_aborted(SOCKET s, WSAOVERLAPPED *ov, const char *what)
{
    DWORD bytes = 0xdead, flags = 0;
    BOOL ok = WSAGetOverlappedResult(s, ov, &bytes, FALSE, &flags);
    int err = WSAGetLastError();

    sc_check(!ok && err == WSA_OPERATION_ABORTED,
             "%s: WSAGetOverlappedResult %d, error %d (%s), expected WSA_OPERATION_ABORTED",
             what, ok, err, sc_error_name(err));
}

/* The receive `r`, already posted on `s`, gets the 4 bytes "data" sent now
 * (as its port packet): the cancelled one before it took nothing. */
static void check_gets_data(SOCKET c, HANDLE port, struct sc_recv *r, const char *what)
{
    DWORD bytes, error;

    sc_check(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    sc_check(next_packet(port, SC_WAIT_MS, &bytes, &error) == &r->ov && !error && bytes == 4 &&
             !memcmp(r->data, "data", 4),
             "%s: the receive after the cancel did not get the data (error %lu, %lu bytes)",
             what, error, bytes);
}

/* C01 on a port: one of two pending receives cancelled completes once,
 * aborted, with the socket's key; the other stays pending and gets the
 * data. */
static void cancel_one_of_two(int family)
{
    struct sc_recv first, second;
    SOCKET c, s;
    HANDLE port;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    recv_pending(s, &first, NULL);
    recv_pending(s, &second, NULL);
    cancel_check_aborted(s, port, &first.ov, "receive on a port");
    check_overlapped_aborted(s, &first.ov, "receive on a port");
    check_gets_data(c, port, &second, "receive on a port");
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

/* C01 with an event: signalled, and WSAGetOverlappedResult says
 * WSA_OPERATION_ABORTED. */
static void cancel_evented(int family)
{
    HANDLE event = WSACreateEvent();
    struct sc_recv r;
    SOCKET c, s;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    recv_pending(s, &r, event);
    sc_check(CancelIoEx((HANDLE)s, &r.ov), "receive with an event: CancelIoEx: %lu",
             GetLastError());
    sc_check(WaitForSingleObject(event, SC_WAIT_MS) == WAIT_OBJECT_0,
             "receive with an event: not signalled after the cancel");
    check_overlapped_aborted(s, &r.ov, "receive with an event");
    WSACloseEvent(event);
    closesocket(c);
    closesocket(s);
}

/* What the completion routines of cancel_routine_receive saw. */
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

/* Waits alertably until routine `i` has run, or SC_WAIT_MS. */
static void await_routine(int i)
{
    DWORD start = GetTickCount();

    while (!routine_seen.calls[i] && GetTickCount() - start < SC_WAIT_MS)
        SleepEx(50, TRUE);
}

/* C01 with completion routines: the cancelled receive's routine runs once,
 * alertably, with WSA_OPERATION_ABORTED; a second receive still gets the
 * data, through its own routine. */
static void cancel_routine_receive(int family)
{
    struct sc_recv r[2];
    SOCKET c, s;
    int rc, err;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(&routine_seen, 0, sizeof(routine_seen));
    for (int i = 0; i < 2; i++) {
        recv_prepare(&r[i], NULL);
        routine_seen.ov[i] = &r[i].ov;
        rc = WSARecv(s, &r[i].buf, 1, NULL, &r[i].flags, &r[i].ov, note_routine);
        err = WSAGetLastError();
        sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING,
                 "WSARecv with a routine returned %d with error %d (%s)", rc, err,
                 sc_error_name(err));
    }
    sc_check(CancelIoEx((HANDLE)s, &r[0].ov), "CancelIoEx on a receive with a routine: %lu",
             GetLastError());
    await_routine(0);
    sc_check(routine_seen.calls[0] == 1 && routine_seen.error[0] == WSA_OPERATION_ABORTED,
             "receive with a routine: the routine ran %d times after the cancel, error %lu",
             routine_seen.calls[0], routine_seen.error[0]);
    sc_check(routine_seen.calls[1] == 0, "the routine of the receive not cancelled ran");
    sc_check(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    await_routine(1);
    SleepEx(QUIET_MS, TRUE);
    sc_check(routine_seen.calls[0] == 1, "the cancelled receive's routine ran %d times",
             routine_seen.calls[0]);
    sc_check(routine_seen.calls[1] == 1 && routine_seen.error[1] == 0 &&
             routine_seen.bytes[1] == 4 && !memcmp(r[1].data, "data", 4),
             "the second receive's routine: %d calls, error %lu, %lu bytes",
             routine_seen.calls[1], routine_seen.error[1], routine_seen.bytes[1]);
    closesocket(c);
    closesocket(s);
}

/* C01 on a datagram receive, as Go's UDPConn.Close does before closing:
 * WSARecvFrom, then WSARecvMsg through its extension pointer. */
static void cancel_datagram_receives(int family)
{
    static const GUID guid_recvmsg = WSAID_WSARECVMSG;
    struct sockaddr_storage bname, from;
    int blen, fromlen = sizeof(from), rc, err;
    LPFN_WSARECVMSG recvmsg;
    struct sc_recv r;
    SOCKET a, b;
    HANDLE port;
    WSAMSG msg;

    if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
        return;
    sc_udp_pair(family, &a, &b, &bname, &blen);
    port = bind_port(b);
    recv_prepare(&r, NULL);
    rc = WSARecvFrom(b, &r.buf, 1, NULL, &r.flags, (struct sockaddr *)&from, &fromlen, &r.ov,
                     NULL);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvFrom: %d, error %d (%s)", rc,
             err, sc_error_name(err));
    cancel_check_aborted(b, port, &r.ov, "datagram receive");

    recvmsg = (LPFN_WSARECVMSG)sock_extension(b, guid_recvmsg);
    recv_prepare(&r, NULL);
    msg = sock_message(&from, sizeof(from), &r.buf, 1);
    rc = recvmsg(b, &msg, NULL, &r.ov, NULL);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvMsg: %d, error %d (%s)", rc,
             err, sc_error_name(err));
    cancel_check_aborted(b, port, &r.ov, "WSARecvMsg");
    CloseHandle(port);
    closesocket(a);
    closesocket(b);
}

/* C01 on an AcceptEx (fetched by its GUID, called through the pointer),
 * cancelled on the listening socket as Go's listener Close does; the next
 * one accepts the connection that comes. */
static void cancel_acceptex(int family)
{
    static const GUID guid_acceptex = WSAID_ACCEPTEX;
    const DWORD name_len = sizeof(struct sockaddr_storage) + 16;
    char names[2 * (sizeof(struct sockaddr_storage) + 16)];
    struct sockaddr_storage addr;
    WSAOVERLAPPED ov = { 0 };
    LPFN_ACCEPTEX acceptex;
    DWORD bytes = 0, error;
    SOCKET l, a, c;
    HANDLE port;
    int len, err;
    BOOL ok;

    l = sc_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    acceptex = (LPFN_ACCEPTEX)sock_extension(l, guid_acceptex);
    port = bind_port(l);
    a = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    ok = acceptex(l, a, names, 0, name_len, name_len, &bytes, &ov);
    err = WSAGetLastError();
    sc_check(!ok && err == WSA_IO_PENDING, "AcceptEx: %d, error %d", ok, err);
    cancel_check_aborted(l, port, &ov, "AcceptEx");
    closesocket(a);

    a = sc_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    memset(&ov, 0, sizeof(ov));
    ok = acceptex(l, a, names, 0, name_len, name_len, &bytes, &ov);
    err = WSAGetLastError();
    sc_check(!ok && err == WSA_IO_PENDING, "AcceptEx after the cancel: %d, error %d", ok, err);
    c = sc_socket(family, SOCK_STREAM, 0);
    sc_check(connect(c, (struct sockaddr *)&addr, len) == 0, "connect: %d", WSAGetLastError());
    sc_check(next_packet(port, SC_WAIT_MS, &bytes, &error) == &ov && !error,
             "the AcceptEx after the cancel did not accept (error %lu)", error);
    CloseHandle(port);
    closesocket(c);
    closesocket(a);
    closesocket(l);
}

/* C01: CancelIoEx on a receive (port, event, routine), a datagram receive,
 * a WSARecvMsg and an AcceptEx. */
void t_C01(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        cancel_one_of_two(sc_family(f));
        cancel_evented(sc_family(f));
        cancel_routine_receive(sc_family(f));
        cancel_datagram_receives(sc_family(f));
        cancel_acceptex(sc_family(f));
    }
}

/* A thread that starts a receive and stays until told to go. */
struct receiver {
    SOCKET s;
    struct sc_recv r;
    HANDLE started, leave, thread;
    BOOL pending;
};

static DWORD WINAPI receiver_main(void *arg)
{
    struct receiver *t = arg;

    recv_prepare(&t->r, NULL);
    t->pending = WSARecv(t->s, &t->r.buf, 1, NULL, &t->r.flags, &t->r.ov, NULL) ==
                     SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING;
    SetEvent(t->started);
    WaitForSingleObject(t->leave, INFINITE);
    return 0;
}

static void receiver_start(struct receiver *t, SOCKET s)
{
    t->s = s;
    t->started = CreateEventW(NULL, TRUE, FALSE, NULL);
    t->leave = CreateEventW(NULL, TRUE, FALSE, NULL);
    t->thread = CreateThread(NULL, 0, receiver_main, t, 0, NULL);
    sc_check(t->thread && WaitForSingleObject(t->started, SC_WAIT_MS) == WAIT_OBJECT_0 &&
             t->pending, "a receive on another thread did not go pending");
}

static void receiver_stop(struct receiver *t)
{
    SetEvent(t->leave);
    sc_check(WaitForSingleObject(t->thread, SC_WAIT_MS) == WAIT_OBJECT_0,
             "a receiving thread did not leave");
    CloseHandle(t->thread);
    CloseHandle(t->started);
    CloseHandle(t->leave);
}

/* C02, CancelIoEx(NULL): every pending receive of the socket ends once,
 * aborted; a receive after it gets what the peer sends next. */
static void cancel_all(int family)
{
    struct sc_recv first, second, after;
    LPOVERLAPPED got[2];
    DWORD bytes, error;
    SOCKET c, s;
    HANDLE port;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    recv_pending(s, &first, NULL);
    recv_pending(s, &second, NULL);
    sc_check(CancelIoEx((HANDLE)s, NULL), "CancelIoEx(NULL): %lu", GetLastError());
    for (int i = 0; i < 2; i++) {
        got[i] = next_packet(port, SC_WAIT_MS, &bytes, &error);
        sc_check(error == ERROR_OPERATION_ABORTED && bytes == 0,
                 "CancelIoEx(NULL): packet %d with error %lu and %lu bytes", i, error, bytes);
    }
    sc_check((got[0] == &first.ov && got[1] == &second.ov) ||
             (got[0] == &second.ov && got[1] == &first.ov),
             "CancelIoEx(NULL): packets for %p and %p, not each receive once", (void *)got[0],
             (void *)got[1]);
    check_no_packet(port, "CancelIoEx(NULL)");
    recv_pending(s, &after, NULL);
    check_gets_data(c, port, &after, "CancelIoEx(NULL)");
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

/* C02, CancelIo: only the calling thread's receive; the other thread's
 * stays pending, and CancelIoEx on it then ends it. */
static void cancel_io_own_thread(int family)
{
    struct receiver other;
    struct sc_recv mine;
    SOCKET c, s;
    HANDLE port;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    receiver_start(&other, s);
    recv_pending(s, &mine, NULL);
    sc_check(CancelIo((HANDLE)s), "CancelIo: %lu", GetLastError());
    check_aborted_packet(port, &mine.ov, "CancelIo");
    check_no_packet(port, "CancelIo (another thread's receive must stay pending)");
    sc_check(CancelIoEx((HANDLE)s, &other.r.ov), "CancelIoEx: %lu", GetLastError());
    check_aborted_packet(port, &other.r.ov, "CancelIoEx on another thread's receive");
    receiver_stop(&other);
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

void t_C02(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        cancel_all(sc_family(f));
        cancel_io_own_thread(sc_family(f));
    }
}

/* C03: receives cancelled just as their data arrives give back every byte,
 * in order, between their own completions and the receives after them.
 * Over many rounds the cancel lands before, during and after the data. */
static void cancel_races_data(int family)
{
    unsigned char sent[RACE_ROUNDS * 8], got[RACE_ROUNDS * 8 + 256];
    size_t have = 0;
    SOCKET c, s;
    HANDLE port;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    pattern_fill(sent, sizeof(sent), 3, 0);
    for (int round = 0; round < RACE_ROUNDS || have < sizeof(sent); round++) {
        struct sc_recv r;
        DWORD bytes, error;

        /* Data a cancelled receive left may be there already. */
        recv_start(s, &r, NULL, FALSE);
        if (round < RACE_ROUNDS) {
            sc_check(send(c, (char *)sent + round * 8, 8, 0) == 8, "send: %d",
                     WSAGetLastError());
            Sleep(round % 3);
            CancelIoEx((HANDLE)s, &r.ov);
        }
        sc_check(next_packet(port, SC_WAIT_MS, &bytes, &error) == &r.ov,
                 "round %d: the receive never completed", round);
        sc_check(!error || (error == ERROR_OPERATION_ABORTED && !bytes),
                 "round %d: error %lu with %lu bytes", round, error, bytes);
        sc_check(round < RACE_ROUNDS || (!error && bytes),
                 "round %d, after the cancels: error %lu with %lu bytes", round, error, bytes);
        sc_check(have + bytes <= sizeof(got), "more bytes came than were sent");
        memcpy(got + have, r.data, bytes);
        have += bytes;
    }
    sc_check(have == sizeof(sent) && !memcmp(got, sent, sizeof(sent)),
             "the bytes received around the cancels differ from those sent (%lu of %lu)",
             (unsigned long)have, (unsigned long)sizeof(sent));
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

void t_C03(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++)
        cancel_races_data(sc_family(f));
}

/* C04: closesocket with receives pending on two other threads ends each
 * once, aborted. */
static void close_with_receives_elsewhere(int family)
{
    struct receiver first, second;
    LPOVERLAPPED got[2];
    SOCKET c, s;
    HANDLE port;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    receiver_start(&first, s);
    receiver_start(&second, s);
    sc_check(closesocket(s) == 0, "closesocket: %d", WSAGetLastError());
    for (int i = 0; i < 2; i++) {
        DWORD bytes, error;

        got[i] = next_packet(port, SC_WAIT_MS, &bytes, &error);
        sc_check(got[i] == &first.r.ov || got[i] == &second.r.ov,
                 "receive %d pending at closesocket never completed", i);
        sc_soft(error == ERROR_OPERATION_ABORTED,
                "a receive pending at closesocket ended with error %lu, not "
                "ERROR_OPERATION_ABORTED", error);
    }
    sc_check(got[0] != got[1], "one receive completed twice, the other never");
    check_no_packet(port, "closesocket");
    receiver_stop(&first);
    receiver_stop(&second);
    closesocket(c);
    CloseHandle(port);
}

/* A thread that posts its receive (reporting through an event) and exits. */
static DWORD WINAPI receive_and_exit(void *arg)
{
    struct receiver *t = arg;
    int rc = WSARecv(t->s, &t->r.buf, 1, NULL, &t->r.flags, &t->r.ov, NULL);

    return rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING ? 0 : 1;
}

/* C04: a thread that exits with a receive pending that reports through an
 * event has it cancelled: the event is set, the result says aborted. */
static void thread_exit_cancels(int family)
{
    struct receiver t;
    DWORD code = 2;
    SOCKET c, s;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(&t, 0, sizeof(t));
    t.s = s;
    recv_prepare(&t.r, WSACreateEvent());
    t.thread = CreateThread(NULL, 0, receive_and_exit, &t, 0, NULL);
    sc_check(t.thread && WaitForSingleObject(t.thread, SC_WAIT_MS) == WAIT_OBJECT_0,
             "the receiving thread did not exit");
    GetExitCodeThread(t.thread, &code);
    sc_check(code == 0, "the exiting thread's receive did not go pending");
    sc_check(WaitForSingleObject(t.r.ov.hEvent, SC_WAIT_MS) == WAIT_OBJECT_0,
             "the event of a receive whose thread exited was not set");
    check_overlapped_aborted(s, &t.r.ov, "receive whose thread exited");
    CloseHandle(t.thread);
    WSACloseEvent(t.r.ov.hEvent);
    closesocket(c);
    closesocket(s);
}

void t_C04(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        thread_exit_cancels(sc_family(f));
        close_with_receives_elsewhere(sc_family(f));
    }
}
