/* SPDX-License-Identifier: MIT */
/* t_overlapped.c: overlapped WSASend - completion by event, routine and
 * port, pending and at once (S02 S04 S05 S10 S13 S14 S15 S16 S18 S19,
 * L03 L04). A send goes pending reliably when both ends have tiny socket
 * buffers and it is a few MiB. */
#include "sc.h"

#include <stdlib.h>
#include <string.h>

#define BIG (4u << 20)

/* S02: a send that completes at once with a routine returns 0 with the
 * routine queued: not run inside the call, nor in a non-alertable wait;
 * it runs once at the next alertable wait of the issuing thread. */
void t_S02(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        char in[64];
        struct sc_routine_log log = { 0 };
        WSAOVERLAPPED ov = { 0 };
        unsigned char *out = sc_pattern(64, 2);
        WSABUF buf = { 64, (char *)out };
        DWORD sent = 0;
        int rc, err;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        ov.hEvent = (HANDLE)&log;
        rc = WSASend(c, &buf, 1, &sent, 0, &ov, sc_log_routine);
        err = WSAGetLastError();
        sc_check(log.calls == 0, "the routine ran inside WSASend");
        if (rc != 0 && err == WSA_IO_PENDING)
            sc_skip("a 64-byte send did not complete at once (WSA_IO_PENDING): S02's case "
                    "did not arise");
        sc_check(rc == 0 && sent == 64, "WSASend: %d (error %d), count %lu", rc, err, sent);
        Sleep(50);
        sc_check(log.calls == 0, "the routine ran outside an alertable wait");
        sc_check(SleepEx(SC_WAIT_MS, TRUE) == WAIT_IO_COMPLETION,
                 "the routine was not queued to this thread (SleepEx saw no APC)");
        sc_check(log.calls == 1, "the routine ran %ld times", log.calls);
        sc_check(log.thread == GetCurrentThreadId(), "the routine ran in another thread");
        sc_check(log.error == 0 && log.bytes == 64 && log.flags == 0 && log.ov == &ov,
                 "routine arguments (%lu, %lu, %p, %lu), expected (0, 64, %p, 0)", log.error,
                 log.bytes, (void *)log.ov, log.flags, (void *)&ov);
        sc_check(SleepEx(50, TRUE) == 0 && log.calls == 1, "the routine ran twice");
        sc_check(sock_recv_exact(s, in, 64, SC_WAIT_MS) == 64 && pattern_mismatch((unsigned char *)in, 64, 2, 0) == 64,
                 "the peer's bytes differ");
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

/* S04: a send that cannot complete returns WSA_IO_PENDING, leaves the
 * count alone, and completes later with the whole request. */
void t_S04(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(BIG, 4);
        WSAOVERLAPPED ov = { 0 };
        WSABUF buf = { BIG, (char *)out };
        struct sock_drain d;
        DWORD bytes = 0, flags = 0;
        BOOL ok;
        int err;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        ov.hEvent = WSACreateEvent();
        sc_send_pending(c, &buf, 1, &ov, NULL);
        sc_drain_start(&d, s, BIG, 0);
        ok = WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags);
        err = WSAGetLastError();
        sc_check(ok && bytes == BIG, "the pending send ended with %d (error %d), %lu bytes", ok,
                 err, bytes);
        sc_drain_check(&d, 4, 0);
        WSACloseEvent(ov.hEvent);
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

/* Posts WSASend(1 byte) on S with OV and ROUTINE, which must fail at once
 * with CODE. */
static void send_fails_at_once(SOCKET s, WSAOVERLAPPED *ov,
                               LPWSAOVERLAPPED_COMPLETION_ROUTINE routine, int code)
{
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;

    sc_check_wsa_error(WSASend(s, &buf, 1, &sent, 0, ov, routine), code);
}

/* S05: an overlapped send that fails at once (after shutdown; after the
 * peer's reset) starts nothing: its event stays unsignalled, its routine
 * never runs, its completion port gets no packet. */
void t_S05(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        WSAOVERLAPPED ov = { 0 };
        struct sc_routine_log log = { 0 };
        HANDLE port;
        DWORD bytes;
        ULONG_PTR key;
        LPOVERLAPPED got = NULL;
        struct linger lg = { 1, 0 };

        /* Event. */
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        sc_check(shutdown(c, SD_SEND) == 0, "shutdown: %d", WSAGetLastError());
        ov.hEvent = WSACreateEvent();
        send_fails_at_once(c, &ov, NULL, WSAESHUTDOWN);
        sc_check(WaitForSingleObject(ov.hEvent, 200) == WAIT_TIMEOUT,
                 "the event was signalled for a send that failed at once (WSAESHUTDOWN)");
        /* Routine. */
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = (HANDLE)&log;
        send_fails_at_once(c, &ov, sc_log_routine, WSAESHUTDOWN);
        sc_check(SleepEx(200, TRUE) == 0 && log.calls == 0,
                 "the routine ran for a send that failed at once");
        closesocket(c);
        closesocket(s);

        /* Completion port, after the peer's reset. */
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        port = CreateIoCompletionPort((HANDLE)c, NULL, 5, 0);
        sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
        sc_check(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)) == 0, "SO_LINGER");
        closesocket(s);
        sc_check(sock_wait_readable(c, SC_WAIT_MS) == 1, "the reset did not arrive");
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = WSACreateEvent();
        send_fails_at_once(c, &ov, NULL, WSAECONNRESET);
        sc_check(WaitForSingleObject(ov.hEvent, 200) == WAIT_TIMEOUT,
                 "the event was signalled for a send that failed at once (WSAECONNRESET)");
        sc_check(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 200) && got == NULL,
                 "a completion packet came for a send that failed at once");
        WSACloseEvent(ov.hEvent);
        CloseHandle(port);
        closesocket(c);
    }
}

/* S10: the WSABUF array is the caller's again once WSASend returns. A
 * first send fills the pipe; a second, behind it, has a three-buffer
 * array that is overwritten to point at other bytes and freed right after
 * the call: the peer still gets both requests as they were described. */
void t_S10(void)
{
    enum { N = 3 };
    const size_t part = 64u << 10;
    static char decoy[16] = "wrong bytes!!!!";

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(BIG + N * part, 10);
        WSABUF first = { BIG, (char *)out }, *bufs = malloc(N * sizeof(*bufs));
        WSAOVERLAPPED ov[2] = { { 0 } };
        struct sock_drain d;
        DWORD sent, bytes = 0, flags = 0;
        int rc, err;

        sc_check(bufs != NULL, "out of memory");
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        ov[0].hEvent = WSACreateEvent();
        ov[1].hEvent = WSACreateEvent();
        sc_send_pending(c, &first, 1, &ov[0], NULL);
        for (int i = 0; i < N; i++) {
            bufs[i].buf = (char *)out + BIG + i * part;
            bufs[i].len = (ULONG)part;
        }
        rc = WSASend(c, bufs, N, &sent, 0, &ov[1], NULL);
        err = WSAGetLastError();
        for (int i = 0; i < N; i++) {
            bufs[i].buf = decoy;
            bufs[i].len = sizeof(decoy);
        }
        free(bufs);
        sc_check(rc == 0 || err == WSA_IO_PENDING, "second WSASend: error %d (%s)", err,
                 sc_error_name(err));
        sc_drain_start(&d, s, BIG + N * part, 50);
        for (int i = 0; i < 2; i++) {
            BOOL ok = WSAGetOverlappedResult(c, &ov[i], &bytes, TRUE, &flags);
            err = WSAGetLastError();
            sc_check(ok, "send %d failed: %d", i, err);
            WSACloseEvent(ov[i].hEvent);
        }
        sc_check(bytes == N * part, "second send reported %lu bytes", bytes);
        sc_drain_check(&d, 10, 0);
        sc_check(sock_wait_readable(s, 200) == 0,
                 "bytes beyond the requests arrived (the overwritten array was read)");
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

/* One completion packet. */
struct packet {
    BOOL ok;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *ov;
    DWORD error;
};

static struct packet dequeue(HANDLE port, DWORD timeout_ms)
{
    struct packet p = { 0 };

    p.ok = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ov, timeout_ms);
    p.error = p.ok ? 0 : GetLastError();
    return p;
}

/* The keys of the two ends of a pair on one completion port. */
#define KEY_CLIENT ((ULONG_PTR)0xC11E)
#define KEY_SERVER ((ULONG_PTR)0x5E7E)

/* S13's port case done at once: with both ends on one port, a receive
 * posted first and a send that fits each post exactly one packet, with
 * its socket's key, its own WSAOVERLAPPED and the count; then nothing. */
static void port_packets_at_once(int family)
{
    SOCKET c, s;
    char in[200] = { 0 };
    unsigned char *out = sc_pattern(150, 13);
    WSABUF rbuf = { sizeof(in), in }, sbuf = { 150, (char *)out };
    WSAOVERLAPPED rov = { 0 }, sov = { 0 };
    DWORD got = 0, flags = 0, sent = 0;
    int rc, err, sends = 0, recvs = 0;
    struct packet p;
    HANDLE port;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = sock_port_for_pair(c, KEY_CLIENT, s, KEY_SERVER);
    rc = WSARecv(s, &rbuf, 1, &got, &flags, &rov, NULL);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d (error %d), expected "
             "WSA_IO_PENDING", rc, err);
    rc = WSASend(c, &sbuf, 1, &sent, 0, &sov, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0 || err == WSA_IO_PENDING, "WSASend: error %d (%s)", err, sc_error_name(err));
    for (int i = 0; i < 2; i++) {
        p = dequeue(port, SC_WAIT_MS);
        sc_check(p.ok, "packet %d of 2 did not come (error %lu)", i + 1, p.error);
        sc_check(p.bytes == 150, "packet for %s: %lu bytes, expected 150",
                 p.ov == &sov ? "the send" : "the receive", p.bytes);
        if (p.ov == &sov) {
            sc_check(p.key == KEY_CLIENT, "the send's packet has key %#Ix", p.key);
            sends++;
        } else {
            sc_check(p.ov == &rov, "a packet for an unknown WSAOVERLAPPED %p", (void *)p.ov);
            sc_check(p.key == KEY_SERVER, "the receive's packet has key %#Ix", p.key);
            recvs++;
        }
    }
    sc_check(sends == 1 && recvs == 1, "%d packets for the send, %d for the receive", sends,
             recvs);
    sc_check(pattern_mismatch((unsigned char *)in, 150, 13, 0) == 150, "the received bytes differ");
    p = dequeue(port, 100);
    sc_check(!p.ok && p.ov == NULL && p.error == WAIT_TIMEOUT,
             "a third packet came (or the wait failed with %lu)", p.error);
    CloseHandle(port);
    free(out);
    closesocket(c);
    closesocket(s);
}

/* S13: completion comes only once the transport has consumed the data:
 * nothing while the peer does not read (event unsignalled, routine not
 * run, no port packet); then the count of the whole request. Through a
 * port, a send done at once gives its packet like one that pended. */
void t_S13(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(BIG, 13);
        WSABUF buf = { BIG, (char *)out };
        WSAOVERLAPPED ov = { 0 };
        struct sc_routine_log log = { 0 };
        struct sock_drain d;
        struct packet p;
        HANDLE port;

        /* Routine: cbTransferred is the count. */
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        ov.hEvent = (HANDLE)&log;
        sc_send_pending(c, &buf, 1, &ov, sc_log_routine);
        sc_check(SleepEx(300, TRUE) == 0 && log.calls == 0,
                 "the routine ran before the peer read anything");
        sc_drain_start(&d, s, BIG, 0);
        sc_wait_calls(&log, 1, 4 * SC_WAIT_MS);
        sc_check(log.calls == 1, "the routine ran %ld times", log.calls);
        sc_check(log.error == 0 && log.bytes == BIG, "routine: error %lu, %lu bytes", log.error,
                 log.bytes);
        sc_drain_check(&d, 13, 0);
        closesocket(c);
        closesocket(s);

        /* Completion port: one packet, after the peer read. */
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        port = CreateIoCompletionPort((HANDLE)c, NULL, 13, 0);
        sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
        memset(&ov, 0, sizeof(ov));
        sc_send_pending(c, &buf, 1, &ov, NULL);
        p = dequeue(port, 300);
        sc_check(!p.ok && p.ov == NULL && p.error == WAIT_TIMEOUT,
                 "a packet came before the peer read anything (or the wait failed with %lu)",
                 p.error);
        sc_drain_start(&d, s, BIG, 0);
        p = dequeue(port, 4 * SC_WAIT_MS);
        sc_check(p.ok && p.ov == &ov && p.key == 13, "no packet for the send (error %lu)", p.error);
        sc_check(p.bytes == BIG, "packet count %lu", p.bytes);
        sc_drain_check(&d, 13, 0);
        p = dequeue(port, 100);
        sc_check(!p.ok && p.ov == NULL && p.error == WAIT_TIMEOUT,
                 "a second packet came (or the wait failed with %lu)", p.error);
        CloseHandle(port);
        free(out);
        closesocket(c);
        closesocket(s);

        port_packets_at_once(sc_family(f));
    }
}

/* S14 for a send that fits: it returns 0 with the count at once, its
 * event is signalled, and WSAGetOverlappedResult(poll) gives the count. */
static void event_at_once(int family)
{
    SOCKET c, s;
    char in[300];
    unsigned char *out = sc_pattern(300, 14);
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 300, (char *)out };
    DWORD sent = 0, bytes = 0, flags = 0;
    BOOL ok;
    int rc, err;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ov.hEvent = WSACreateEvent();
    rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0 && sent == 300, "WSASend of 300 bytes: %d (error %d), count %lu; expected "
             "0 at once with 300", rc, err, sent);
    sc_check(WaitForSingleObject(ov.hEvent, SC_WAIT_MS) == WAIT_OBJECT_0,
             "the event of a send done at once was not signalled");
    ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    err = WSAGetLastError();
    sc_check(ok && bytes == 300, "poll of a send done at once: %d (error %d), %lu bytes", ok,
             err, bytes);
    sc_check(sock_recv_exact(s, in, 300, SC_WAIT_MS) == 300 &&
             pattern_mismatch((unsigned char *)in, 300, 14, 0) == 300, "the peer's bytes differ");
    WSACloseEvent(ov.hEvent);
    free(out);
    closesocket(c);
    closesocket(s);
}

/* S14: with an event and no routine, the event is signalled at
 * completion; before it WSAGetOverlappedResult(poll) says
 * WSA_IO_INCOMPLETE; after it, poll and wait give the count. The same
 * for a send done at once. */
void t_S14(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        event_at_once(sc_family(f));
        SOCKET c, s;
        unsigned char *out = sc_pattern(BIG, 14);
        WSAOVERLAPPED ov = { 0 };
        WSABUF buf = { BIG, (char *)out };
        DWORD bytes = 0, flags = 0;
        struct sock_drain d;
        BOOL ok;
        int err;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        ov.hEvent = WSACreateEvent();
        sc_send_pending(c, &buf, 1, &ov, NULL);
        Sleep(200);
        sc_check(WaitForSingleObject(ov.hEvent, 0) == WAIT_TIMEOUT, "event set before completion");
        ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
        err = WSAGetLastError();
        sc_check(!ok && err == WSA_IO_INCOMPLETE, "poll while pending: %d, error %d (%s)", ok, err,
                 sc_error_name(err));
        sc_drain_start(&d, s, BIG, 0);
        sc_check(WaitForSingleObject(ov.hEvent, 4 * SC_WAIT_MS) == WAIT_OBJECT_0,
                 "the event was not signalled at completion");
        ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
        sc_check(ok && bytes == BIG, "poll after completion: %d, %lu bytes", ok, bytes);
        bytes = 0;
        ok = WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags);
        sc_check(ok && bytes == BIG, "wait after completion: %d, %lu bytes", ok, bytes);
        sc_drain_check(&d, 14, 0);
        WSACloseEvent(ov.hEvent);
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

static volatile LONG counted_calls;
static void CALLBACK count_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    (void)error, (void)bytes, (void)ov, (void)flags;
    InterlockedIncrement(&counted_calls);
}

/* Waits alertably until count_routine has run, or 4 * SC_WAIT_MS. Whether
 * it ran in the right thread and wait is S02's and S16's to say. */
static void wait_counted_call(void)
{
    for (ULONGLONG end = GetTickCount64() + 4 * SC_WAIT_MS;
         !counted_calls && GetTickCount64() < end;)
        SleepEx(10, TRUE);
}

/* S15: with a routine, hEvent is the caller's: a value that is no handle
 * reaches the routine unchanged, and a real event there is never
 * signalled, for a send at once and a pending one. */
static void hevent_left_alone(int family)
{
    SOCKET c, s;
    unsigned char *out = sc_pattern(64 + BIG, 15);
    WSABUF first = { 32, (char *)out }, second = { 32, (char *)out + 32 };
    WSABUF big = { BIG, (char *)out + 64 };
    WSAOVERLAPPED ov = { 0 };
    struct sc_routine_log log = { 0 };
    HANDLE ev = WSACreateEvent();
    struct sock_drain d;
    DWORD sent;
    int rc, err;

    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    /* No handle at all in hEvent: the routine finds its log through it. */
    ov.hEvent = (HANDLE)&log;
    rc = WSASend(c, &first, 1, &sent, 0, &ov, sc_log_routine);
    err = WSAGetLastError();
    sc_check(rc == 0 || err == WSA_IO_PENDING, "WSASend: error %d", err);
    sc_wait_calls(&log, 1, SC_WAIT_MS);
    sc_check(log.calls == 1, "the routine ran %ld times", log.calls);
    sc_check(ov.hEvent == (HANDLE)&log && log.ov == &ov, "hEvent or lpOverlapped changed");

    /* A real event, a send done at once: never signalled. */
    counted_calls = 0;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    rc = WSASend(c, &second, 1, &sent, 0, &ov, count_routine);
    err = WSAGetLastError();
    sc_check(rc == 0 || err == WSA_IO_PENDING, "WSASend: error %d", err);
    wait_counted_call();
    sc_check(counted_calls == 1, "the routine of the send at once ran %ld times",
             counted_calls);
    sc_check(WaitForSingleObject(ev, 100) == WAIT_TIMEOUT,
             "the event in hEvent was signalled though a routine was given (send at once)");
    sc_check(ov.hEvent == ev, "hEvent changed");

    /* The same event, a pending send. */
    counted_calls = 0;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    sc_send_pending(c, &big, 1, &ov, count_routine);
    sc_drain_start(&d, s, 64 + BIG, 0);
    wait_counted_call();
    sc_check(counted_calls == 1, "the routine of the pending send ran %ld times", counted_calls);
    sc_check(WaitForSingleObject(ev, 100) == WAIT_TIMEOUT,
             "the event in hEvent was signalled though a routine was given (pending send)");
    sc_check(ov.hEvent == ev, "hEvent changed");
    sc_drain_check(&d, 15, 0);
    WSACloseEvent(ev);
    free(out);
    closesocket(c);
    closesocket(s);
}

void t_S15(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++)
        hevent_left_alone(sc_family(f));
}

/* S16: the routine gets (0, count, lpOverlapped, 0) and runs in the
 * issuing thread in its alertable wait - WSAWaitForMultipleEvents returns
 * WSA_WAIT_IO_COMPLETION - though the send completed meanwhile on no
 * thread of the caller's. */
void t_S16(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(BIG, 16);
        struct sc_routine_log log = { 0 };
        WSAOVERLAPPED ov = { 0 };
        WSABUF buf = { BIG, (char *)out };
        WSAEVENT idle = WSACreateEvent();
        struct sock_drain d;
        DWORD w;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        ov.hEvent = (HANDLE)&log;
        sc_send_pending(c, &buf, 1, &ov, sc_log_routine);
        sc_drain_start(&d, s, BIG, 0);
        /* The drain finishes only when the send has completed. */
        sc_check(WaitForSingleObject(d.thread, 4 * SC_WAIT_MS) == WAIT_OBJECT_0,
                 "the peer did not get the data");
        Sleep(100);
        sc_check(log.calls == 0, "the routine ran outside an alertable wait of the issuing "
                 "thread (in thread %lu, the issuer is %lu)", log.thread, GetCurrentThreadId());
        w = WSAWaitForMultipleEvents(1, &idle, FALSE, SC_WAIT_MS, TRUE);
        sc_check(w == WSA_WAIT_IO_COMPLETION, "WSAWaitForMultipleEvents(alertable) returned %lu",
                 w);
        sc_check(log.calls == 1, "the routine ran %ld times", log.calls);
        sc_check(log.thread == GetCurrentThreadId(), "the routine ran in another thread");
        sc_check(log.error == 0 && log.bytes == BIG && log.flags == 0 && log.ov == &ov,
                 "routine arguments (%lu, %lu, %p, %lu)", log.error, log.bytes, (void *)log.ov,
                 log.flags);
        sc_drain_check(&d, 16, 0);
        WSACloseEvent(idle);
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

/* S18: routines start the next send themselves, ten in a chain; no
 * routine of the socket runs inside another, and the bytes arrive in
 * order. */
static SOCKET chain_socket;
static WSAOVERLAPPED chain_ov;
static char chain_byte;
static struct sc_routine_log chain_log;
static volatile LONG chain_error;

static void CALLBACK chain_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    WSABUF buf = { 1, &chain_byte };
    DWORD sent;
    LONG depth = InterlockedIncrement(&chain_log.depth);

    (void)ov, (void)flags;
    if (depth > chain_log.max_depth)
        chain_log.max_depth = depth;
    if (!error && bytes == 1 && InterlockedIncrement(&chain_log.calls) < 10) {
        chain_byte++;
        memset(&chain_ov, 0, sizeof(chain_ov));
        if (WSASend(chain_socket, &buf, 1, &sent, 0, &chain_ov, chain_routine) &&
            WSAGetLastError() != WSA_IO_PENDING)
            chain_error = WSAGetLastError();
    } else if (error) {
        chain_error = (LONG)error;
    }
    InterlockedDecrement(&chain_log.depth);
}

static void chain_of_sends(int family)
{
    WSABUF buf = { 1, &chain_byte };
    DWORD sent;
    SOCKET s;
    char in[10];
    int rc, err;

    memset(&chain_log, 0, sizeof(chain_log));
    memset(&chain_ov, 0, sizeof(chain_ov));
    chain_error = 0;
    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &chain_socket, &s);
    chain_byte = 'a';
    rc = WSASend(chain_socket, &buf, 1, &sent, 0, &chain_ov, chain_routine);
    err = WSAGetLastError();
    sc_check(rc == 0 || err == WSA_IO_PENDING, "first WSASend: error %d", err);
    sc_wait_calls(&chain_log, 10, SC_WAIT_MS);
    sc_check(chain_error == 0, "a send from a routine failed: %ld", chain_error);
    sc_check(chain_log.calls == 10, "%ld of 10 routines ran", chain_log.calls);
    sc_check(chain_log.max_depth == 1, "routines of one socket nested (depth %ld)",
             chain_log.max_depth);
    sc_check(sock_recv_exact(s, in, 10, SC_WAIT_MS) == 10, "peer got too little");
    for (int i = 0; i < 10; i++)
        sc_check(in[i] == 'a' + i, "byte %d is '%c'", i, in[i]);
    closesocket(chain_socket);
    closesocket(s);
}

void t_S18(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++)
        chain_of_sends(sc_family(f));
}

/* S19: eight sends outstanding, each with its own WSAOVERLAPPED: all
 * complete with their own counts; the data arrives in posting order. */
void t_S19(void)
{
    enum { N = 8 };
    const size_t part = 512u << 10;

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(N * part, 19);
        WSAOVERLAPPED ov[N];
        WSABUF bufs[N];
        struct sock_drain d;
        int pending = 0;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        for (int i = 0; i < N; i++) {
            DWORD sent = 0;
            memset(&ov[i], 0, sizeof(ov[i]));
            ov[i].hEvent = WSACreateEvent();
            bufs[i].buf = (char *)out + i * part;
            bufs[i].len = (ULONG)part;
            int rc = WSASend(c, &bufs[i], 1, &sent, 0, &ov[i], NULL);
            int err = WSAGetLastError();
            sc_check(rc == 0 || err == WSA_IO_PENDING, "send %d: error %d", i, err);
            pending += rc != 0;
        }
        sc_check(pending >= N - 1, "only %d of %d sends were outstanding at once", pending, N);
        sc_drain_start(&d, s, N * part, 0);
        for (int i = 0; i < N; i++) {
            DWORD bytes = 0, flags = 0;
            BOOL ok = WSAGetOverlappedResult(c, &ov[i], &bytes, TRUE, &flags);
            int err = WSAGetLastError();
            sc_check(ok && bytes == part, "send %d: %d (error %d), %lu bytes", i, ok, err, bytes);
            WSACloseEvent(ov[i].hEvent);
        }
        sc_drain_check(&d, 19, 0);
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

/* L03: an overlapped send completes to the caller exactly once, with the
 * transport's count and error: one event signal, one port packet, one
 * routine call - also for one that fails (the peer reset meanwhile). */
void t_L03(void)
{
    SOCKET c, s;
    unsigned char *out = sc_pattern(BIG, 3);
    WSABUF buf = { BIG, (char *)out };
    WSAOVERLAPPED ov = { 0 };
    struct sc_routine_log log = { 0 };
    struct sock_drain d;
    struct packet p;
    HANDLE port;
    DWORD bytes = 0, flags = 0;
    struct linger lg = { 1, 0 };
    BOOL ok;
    int err;

    sc_require_over(SC_OVER_TCP);
    /* Event: signalled once. */
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    ov.hEvent = WSACreateEvent();
    sc_send_pending(c, &buf, 1, &ov, NULL);
    sc_drain_start(&d, s, BIG, 0);
    sc_check(WaitForSingleObject(ov.hEvent, 4 * SC_WAIT_MS) == WAIT_OBJECT_0, "no completion");
    ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    sc_check(ok && bytes == BIG, "result %d, %lu bytes", ok, bytes);
    WSAResetEvent(ov.hEvent);
    sc_check(WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT, "the event was signalled twice");
    sc_drain_check(&d, 3, 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);

    /* Routine: called once. */
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = (HANDLE)&log;
    sc_send_pending(c, &buf, 1, &ov, sc_log_routine);
    sc_drain_start(&d, s, BIG, 0);
    sc_wait_calls(&log, 1, 4 * SC_WAIT_MS);
    sc_check(SleepEx(300, TRUE) == 0 || log.calls == 1, "more APCs than one");
    sc_check(log.calls == 1 && log.bytes == BIG && log.error == 0,
             "routine: %ld calls, last with %lu bytes, error %lu", log.calls, log.bytes, log.error);
    sc_drain_check(&d, 3, 0);
    closesocket(c);
    closesocket(s);

    /* Port, failing: the peer resets while the send is pending. */
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 3, 0);
    sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
    memset(&ov, 0, sizeof(ov));
    sc_send_pending(c, &buf, 1, &ov, NULL);
    sc_check(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)) == 0, "SO_LINGER");
    closesocket(s);
    p = dequeue(port, 4 * SC_WAIT_MS);
    sc_check(p.ov == &ov, "no packet for the send the peer reset (error %lu)", p.error);
    sc_check(!p.ok, "the send the peer reset completed with success (%lu bytes)", p.bytes);
    ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    err = WSAGetLastError();
    sc_check(!ok && err != 0 && err != WSA_IO_INCOMPLETE,
             "WSAGetOverlappedResult after the reset: %d, error %d", ok, err);
    p = dequeue(port, 300);
    sc_check(!p.ok && p.ov == NULL, "a second packet came");
    CloseHandle(port);
    free(out);
    closesocket(c);
}

/* L04: WSAGetOverlappedResult answers as documented: WSA_IO_INCOMPLETE
 * while a receive is pending, then bytes and flags 0; fWait TRUE waits
 * (only for an operation with an event: the documents allow fWait TRUE
 * for event-based completion only); a datagram receive cut short reports
 * WSAEMSGSIZE. */
void t_L04(void)
{
    SOCKET c, s, a, b;
    char in[16], small[4];
    WSABUF buf = { sizeof(in), in };
    WSAOVERLAPPED ov = { 0 };
    DWORD got = 0, flags = 0, n = 0, f = 0xdead;
    struct sockaddr_storage bname;
    int blen, rc, err;
    HANDLE sender;
    BOOL ok;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ov.hEvent = WSACreateEvent();
    rc = WSARecv(s, &buf, 1, &got, &flags, &ov, NULL);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d, error %d", rc, err);
    sc_check_fails(WSAGetOverlappedResult(s, &ov, &n, FALSE, &f), FALSE, WSA_IO_INCOMPLETE);
    sender = sock_send_later(c, "late", 200);
    ok = WSAGetOverlappedResult(s, &ov, &n, TRUE, &f);
    err = WSAGetLastError();
    sc_check(ok && n == 4 && f == 0, "wait: %d (error %d), %lu bytes, flags %lu", ok, err, n, f);
    sc_check(!memcmp(in, "late", 4), "wrong bytes");
    WaitForSingleObject(sender, INFINITE);
    CloseHandle(sender);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);

    if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
        return;
    sc_udp_pair(AF_INET, &a, &b, &bname, &blen);
    /* The datagram already queued (the receive fails or completes at
     * once), then not yet there (the receive goes pending). */
    for (int queued = 1; queued >= 0; queued--) {
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = WSACreateEvent();
        buf.buf = small;
        buf.len = sizeof(small);
        flags = 0;
        if (queued) {
            sc_check(sendto(a, "truncated", 9, 0, (struct sockaddr *)&bname, blen) == 9, "sendto");
            sc_check(sock_wait_readable(b, SC_WAIT_MS) == 1, "no datagram");
        }
        rc = WSARecv(b, &buf, 1, &got, &flags, &ov, NULL);
        err = WSAGetLastError();
        sc_check(rc == SOCKET_ERROR && (err == WSAEMSGSIZE || err == WSA_IO_PENDING),
                 "WSARecv of a 9-byte datagram into 4 bytes: %d, error %d (%s)", rc, err,
                 sc_error_name(err));
        if (!queued)
            sc_check(sendto(a, "truncated", 9, 0, (struct sockaddr *)&bname, blen) == 9, "sendto");
        if (err == WSA_IO_PENDING)
            WaitForSingleObject(ov.hEvent, SC_WAIT_MS);
        n = 0;
        ok = WSAGetOverlappedResult(b, &ov, &n, TRUE, &f);
        err = WSAGetLastError();
        sc_soft(!ok && err == WSAEMSGSIZE && n == 4,
                "result of a datagram cut short (%s): %d, error %d (%s), %lu bytes; expected "
                "FALSE, WSAEMSGSIZE, 4 bytes", queued ? "queued before WSARecv" :
                "arriving while pending", ok, err, sc_error_name(err), n);
        WSACloseEvent(ov.hEvent);
    }
    closesocket(a);
    closesocket(b);
}
