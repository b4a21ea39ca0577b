/* SPDX-License-Identifier: MIT */
/* t_cancel.c: cancelling overlapped operations on the handle, as programs
 * built on completion ports do (C01-C04). */
#include "sc.h"

#include <string.h>

#define PORT_KEY 0xc0de
#define QUIET_MS 300
/* Rounds of the receive/cancel race (C03). */
#define RACE_ROUNDS 40

struct sc_recv {
    WSAOVERLAPPED ov;
    WSABUF buf;
    DWORD flags;
    char data[256];
};

/* Starts an overlapped receive; `must_pend` when no data can be queued. */
static void recv_start(SOCKET s, struct sc_recv *r, HANDLE event, BOOL must_pend)
{
    int rc, err;

    memset(r, 0, sizeof(*r));
    r->ov.hEvent = event;
    r->buf.len = sizeof(r->data);
    r->buf.buf = r->data;
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

    sc_check(!next_packet(port, QUIET_MS, &bytes, &error),
             "%s: a second packet (error %lu): completed twice, or the wrong one", what, error);
}

static int routine_calls;
static DWORD routine_error;

static void CALLBACK count_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)bytes;
    (void)ov;
    (void)flags;
    routine_calls++;
    routine_error = error;
}

/* CancelIoEx on a receive that reports through a completion routine: the
 * routine runs once, alertably, with WSA_OPERATION_ABORTED. */
static void cancel_routine_receive(void)
{
    struct sc_recv r;
    SOCKET c, s;
    DWORD start;
    int rc, err;

    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(&r, 0, sizeof(r));
    r.buf.len = sizeof(r.data);
    r.buf.buf = r.data;
    routine_calls = 0;
    rc = WSARecv(s, &r.buf, 1, NULL, &r.flags, &r.ov, count_routine);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING,
             "WSARecv with a routine returned %d with error %d (%s)", rc, err,
             sc_error_name(err));
    sc_check(CancelIoEx((HANDLE)s, &r.ov), "CancelIoEx on a receive with a routine: %lu",
             GetLastError());
    for (start = GetTickCount(); !routine_calls && GetTickCount() - start < SC_WAIT_MS;)
        SleepEx(50, TRUE);
    SleepEx(QUIET_MS, TRUE);
    sc_check(routine_calls == 1 && routine_error == WSA_OPERATION_ABORTED,
             "receive with a routine: the routine ran %d times after the cancel, error %lu",
             routine_calls, routine_error);
    closesocket(c);
    closesocket(s);
}

/* C01: CancelIoEx on one of two pending receives (port), on a receive
 * with an event, on one with a completion routine, and on an AcceptEx
 * through its pointer. */
void t_C01(void)
{
    static const GUID guid_acceptex = WSAID_ACCEPTEX;
    struct sc_recv first, second, evented;
    struct sockaddr_storage addr;
    char names[2 * (sizeof(struct sockaddr_storage) + 16)];
    const DWORD name_len = sizeof(struct sockaddr_storage) + 16;
    WSAOVERLAPPED accept_ov = { 0 };
    LPFN_ACCEPTEX acceptex;
    SOCKET c, s, l, a;
    HANDLE port, event = WSACreateEvent();
    DWORD bytes = 0, flags = 0, error;
    int len, err;
    BOOL ok;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    recv_pending(s, &first, NULL);
    recv_pending(s, &second, NULL);
    sc_check(CancelIoEx((HANDLE)s, &first.ov), "CancelIoEx on a pending receive: %lu",
             GetLastError());
    check_aborted_packet(port, &first.ov, "receive on a port");
    check_no_packet(port, "receive on a port");
    sc_check(send(c, "data", 4, 0) == 4, "send: %d", WSAGetLastError());
    sc_check(next_packet(port, SC_WAIT_MS, &bytes, &error) == &second.ov && !error &&
             bytes == 4, "the other receive did not get the data (error %lu, %lu bytes)",
             error, bytes);

    recv_pending(s, &evented, event);
    sc_check(CancelIoEx((HANDLE)s, &evented.ov), "CancelIoEx: %lu", GetLastError());
    sc_check(WaitForSingleObject(event, SC_WAIT_MS) == WAIT_OBJECT_0,
             "receive with an event: not signalled after the cancel");
    ok = WSAGetOverlappedResult(s, &evented.ov, &bytes, FALSE, &flags);
    err = WSAGetLastError();
    sc_check(!ok && err == WSA_OPERATION_ABORTED,
             "receive with an event: WSAGetOverlappedResult %d, error %d (%s)", ok, err,
             sc_error_name(err));
    while (next_packet(port, 0, &bytes, &error))
        ;                                   /* the evented receive's packet */
    cancel_routine_receive();

    l = sc_listener(AF_INET, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    acceptex = (LPFN_ACCEPTEX)sc_extension(l, guid_acceptex);
    CloseHandle(port);
    port = bind_port(l);
    a = sc_socket(AF_INET, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    ok = acceptex(l, a, names, 0, name_len, name_len, &bytes, &accept_ov);
    err = WSAGetLastError();
    sc_check(!ok && err == WSA_IO_PENDING, "AcceptEx: %d, error %d", ok, err);
    sc_check(CancelIoEx((HANDLE)l, &accept_ov), "CancelIoEx on AcceptEx: %lu", GetLastError());
    check_aborted_packet(port, &accept_ov, "AcceptEx");
    check_no_packet(port, "AcceptEx");
    closesocket(a);
    closesocket(l);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
    WSACloseEvent(event);
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

    memset(&t->r, 0, sizeof(t->r));
    t->r.buf.len = sizeof(t->r.data);
    t->r.buf.buf = t->r.data;
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
    WaitForSingleObject(t->thread, SC_WAIT_MS);
    CloseHandle(t->thread);
    CloseHandle(t->started);
    CloseHandle(t->leave);
}

/* C02: CancelIo cancels the calling thread's receive only; CancelIoEx
 * with no overlapped cancels the rest. */
void t_C02(void)
{
    struct sc_recv mine;
    struct receiver other;
    SOCKET c, s;
    HANDLE port;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    receiver_start(&other, s);
    recv_pending(s, &mine, NULL);
    sc_check(CancelIo((HANDLE)s), "CancelIo: %lu", GetLastError());
    check_aborted_packet(port, &mine.ov, "CancelIo");
    check_no_packet(port, "CancelIo (another thread's receive must stay pending)");
    sc_check(CancelIoEx((HANDLE)s, NULL), "CancelIoEx(NULL): %lu", GetLastError());
    check_aborted_packet(port, &other.r.ov, "CancelIoEx(NULL)");
    receiver_stop(&other);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

/* C03: receives cancelled just as their data arrives give back every byte,
 * in order, between their own completions and the receives after them. */
void t_C03(void)
{
    unsigned char sent[RACE_ROUNDS * 8], got[RACE_ROUNDS * 8 + 256];
    size_t have = 0;
    SOCKET c, s;
    HANDLE port;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = bind_port(s);
    sc_fill(sent, sizeof(sent), 3, 0);
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
        sc_check(have + bytes <= sizeof(got), "more bytes came than were sent");
        memcpy(got + have, r.data, bytes);
        have += bytes;
    }
    sc_check(have == sizeof(sent) && !memcmp(got, sent, sizeof(sent)),
             "the bytes received around the cancels differ from those sent (%lu of %lu)",
             (unsigned long)have, (unsigned long)sizeof(sent));
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}

/* C04: closesocket with receives pending on two other threads ends each
 * once, aborted. */
void t_C04(void)
{
    struct receiver first, second;
    SOCKET c, s;
    HANDLE port;
    LPOVERLAPPED got[2];

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
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
