/* SPDX-License-Identifier: MIT */
/* loopback_overlapped.c: overlapped WSASend over loopback TCP (IPv4 and
 * IPv6): completion by event, by completion routine, and by I/O completion
 * port. A send goes pending reliably when both ends have tiny socket buffers
 * and the request is a few MiB: it cannot complete until the peer reads. */
#include "loopback_util.h"

#include <stdlib.h>
#include <string.h>

#define SMALL_BUF 8192
#define BIG (4u << 20)

/* What a completion routine saw; reached through lpOverlapped->hEvent,
 * which the provider must leave alone when a routine is given (S15). */
struct routine_log {
    int calls;
    DWORD thread;
    DWORD error;
    DWORD bytes;
    DWORD flags;
    WSAOVERLAPPED *ov;
};

static void CALLBACK log_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    struct routine_log *log = (struct routine_log *)ov->hEvent;
    log->calls++;
    log->thread = GetCurrentThreadId();
    log->error = error;
    log->bytes = bytes;
    log->flags = flags;
    log->ov = ov;
}

static unsigned char *pattern(size_t len, unsigned seed)
{
    unsigned char *p = malloc(len);
    ck_assert_ptr_nonnull(p);
    lb_fill(p, len, seed, 0);
    return p;
}

/* Posts an overlapped send that must go pending (S04): SOCKET_ERROR with
 * WSA_IO_PENDING, and the byte count left as it was. */
static void send_pending(SOCKET c, WSABUF *bufs, DWORD n, WSAOVERLAPPED *ov,
                         LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    DWORD sent = 0xdeadbeef;
    int rc = WSASend(c, bufs, n, &sent, 0, ov, routine);
    int err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING,
                  "WSASend returned %d, error %d: expected WSA_IO_PENDING", rc, err);
    ck_assert_msg(sent == 0xdeadbeef, "lpNumberOfBytesSent changed to %lu while pending", sent);
}

/* S04, S13, S14: a pending send with an event completes only once the peer
 * has consumed the data; meanwhile WSAGetOverlappedResult(poll) says
 * WSA_IO_INCOMPLETE; then the event is set and WSAGetOverlappedResult(wait)
 * returns the full count. */
START_TEST(test_S04_S13_S14_pending_event_then_result)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    unsigned char *out = pattern(BIG, 4);
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    WSABUF buf = { BIG, (char *)out };

    send_pending(c, &buf, 1, &ov, NULL);
    Sleep(200);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    DWORD bytes = 0xdeadbeef, flags = 0xdeadbeef;
    BOOL ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    int err = WSAGetLastError();
    ck_assert_msg(!ok && err == WSA_IO_INCOMPLETE, "poll: ok %d error %d", ok, err);

    struct lb_drain d;
    lb_drain_start(&d, s, BIG, 0);
    ok = WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags);
    err = WSAGetLastError();
    ck_assert_msg(ok, "WSAGetOverlappedResult(wait) failed: %d", err);
    ck_assert_uint_eq(bytes, BIG);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, BIG, 4, 0), BIG);

    /* Once complete, polling gives the same answer. */
    bytes = 0;
    ok = WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    ck_assert(ok);
    ck_assert_uint_eq(bytes, BIG);
    lb_drain_free(&d);
    WSACloseEvent(ov.hEvent);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S14 (and S01 for overlapped): a send that completes at once returns 0
 * with the count, sets the event, and WSAGetOverlappedResult agrees. */
START_TEST(test_S01_S14_immediate_event_completion)
{
    SOCKET c, s;
    char in[300];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    unsigned char *out = pattern(300, 14);
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    WSABUF buf = { 300, (char *)out };
    DWORD sent = 0;
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend returned %d, error %d", rc, err);
    ck_assert_uint_eq(sent, 300);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    DWORD bytes = 0, flags = 0xdeadbeef;
    ck_assert(WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags));
    ck_assert_uint_eq(bytes, 300);
    ck_assert_uint_eq(sock_recv_exact(s, in, 300, LB_WAIT_MS), 300);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)in, 300, 14, 0), 300);
    WSACloseEvent(ov.hEvent);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S02, S16: a send that completes at once with a completion routine returns
 * 0; the routine is queued, not run: not inside the call, not in a
 * non-alertable wait; it runs once in SleepEx(alertable), in this thread,
 * with (0, count, lpOverlapped, 0). */
START_TEST(test_S02_S16_routine_only_in_alertable_wait)
{
    SOCKET c, s;
    char in[64];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    struct routine_log log = { 0 };
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = (HANDLE)&log;
    WSABUF buf = { 64, (char *)pattern(64, 2) };
    DWORD sent = 0;
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, log_routine);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend returned %d, error %d", rc, err);
    ck_assert_uint_eq(sent, 64);
    ck_assert_int_eq(log.calls, 0);
    Sleep(50);
    ck_assert_int_eq(log.calls, 0);

    ck_assert_uint_eq(SleepEx(LB_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(log.calls, 1);
    ck_assert_uint_eq(log.thread, GetCurrentThreadId());
    ck_assert_uint_eq(log.error, 0);
    ck_assert_uint_eq(log.bytes, 64);
    ck_assert_uint_eq(log.flags, 0);
    ck_assert_ptr_eq(log.ov, &ov);
    /* Exactly once. */
    ck_assert_uint_eq(SleepEx(50, TRUE), 0);
    ck_assert_int_eq(log.calls, 1);

    ck_assert_uint_eq(sock_recv_exact(s, in, 64, LB_WAIT_MS), 64);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)in, 64, 2, 0), 64);
    free(buf.buf);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S16: the routine of a pending send runs in the issuing thread when it
 * waits alertably in WSAWaitForMultipleEvents, which then returns
 * WSA_IO_COMPLETION; the count is the whole request. */
START_TEST(test_S16_pending_routine_in_wsawait)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    unsigned char *out = pattern(BIG, 16);
    struct routine_log log = { 0 };
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = (HANDLE)&log;
    WSABUF buf = { BIG, (char *)out };
    send_pending(c, &buf, 1, &ov, log_routine);

    struct lb_drain d;
    lb_drain_start(&d, s, BIG, 100);
    WSAEVENT idle = WSACreateEvent();
    DWORD w = WSAWaitForMultipleEvents(1, &idle, FALSE, 4 * LB_WAIT_MS, TRUE);
    ck_assert_uint_eq(w, WSA_WAIT_IO_COMPLETION);
    ck_assert_int_eq(log.calls, 1);
    ck_assert_uint_eq(log.thread, GetCurrentThreadId());
    ck_assert_uint_eq(log.error, 0);
    ck_assert_uint_eq(log.bytes, BIG);
    ck_assert_uint_eq(log.flags, 0);
    ck_assert_ptr_eq(log.ov, &ov);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, BIG, 16, 0), BIG);
    lb_drain_free(&d);
    WSACloseEvent(idle);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* A routine that only counts its calls, for when hEvent cannot carry a log. */
static LONG counted_calls;
static void CALLBACK count_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    (void)error, (void)bytes, (void)ov, (void)flags;
    counted_calls++;
}

/* S15: with a completion routine, hEvent belongs to the caller: a value
 * that is no handle at all reaches the routine unchanged, and a real event
 * there is never signalled by the send. */
START_TEST(test_S15_hevent_free_with_routine)
{
    SOCKET c, s;
    char in[64];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    WSABUF buf = { 32, (char *)pattern(32, 15) };
    DWORD sent = 0;

    struct routine_log log = { 0 };
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = (HANDLE)&log;
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, log_routine);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend returned %d, error %d", rc, err);
    ck_assert_uint_eq(SleepEx(LB_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(log.calls, 1);
    ck_assert_ptr_eq(ov.hEvent, &log);

    HANDLE ev = WSACreateEvent();
    counted_calls = 0;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = ev;
    rc = WSASend(c, &buf, 1, &sent, 0, &ov, count_routine);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend returned %d, error %d", rc, err);
    ck_assert_uint_eq(SleepEx(LB_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(counted_calls, 1);
    ck_assert_uint_eq(WaitForSingleObject(ev, 100), WAIT_TIMEOUT);
    ck_assert_ptr_eq(ov.hEvent, ev);

    ck_assert_uint_eq(sock_recv_exact(s, in, 64, LB_WAIT_MS), 64);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)in, 32, 15, 0), 32);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)in + 32, 32, 15, 0), 32);
    WSACloseEvent(ev);
    free(buf.buf);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S10: the WSABUF array is the caller's again as soon as WSASend returns:
 * a pending send whose array is then overwritten (pointing at other bytes)
 * and freed still sends the bytes the array described at the call. */
START_TEST(test_S10_wsabuf_array_transient)
{
    enum { N = 3 };
    const size_t part = 1u << 20;
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    unsigned char *out = pattern(N * part, 10);
    static char decoy[16] = "wrong bytes!!!!";
    WSABUF *bufs = malloc(N * sizeof(*bufs));
    ck_assert_ptr_nonnull(bufs);
    for (int i = 0; i < N; i++) {
        bufs[i].buf = (char *)out + i * part;
        bufs[i].len = (ULONG)part;
    }
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = WSACreateEvent();
    send_pending(c, bufs, N, &ov, NULL);
    for (int i = 0; i < N; i++) {
        bufs[i].buf = decoy;
        bufs[i].len = sizeof(decoy);
    }
    free(bufs);

    struct lb_drain d;
    lb_drain_start(&d, s, N * part, 50);
    DWORD bytes = 0, flags = 0;
    ck_assert(WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags));
    ck_assert_uint_eq(bytes, N * part);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, N * part, 10, 0), N * part);
    /* Nothing beyond the request (no decoy bytes) was sent. */
    ck_assert_int_eq(sock_wait_readable(s, 100), 0);
    lb_drain_free(&d);
    WSACloseEvent(ov.hEvent);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S19: several overlapped sends outstanding at once, each with its own
 * WSAOVERLAPPED: all complete with their own counts and the receiver gets
 * the data in posting order. */
START_TEST(test_S19_outstanding_sends_in_order)
{
    enum { N = 8 };
    const size_t part = 512u << 10;
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    unsigned char *out = pattern(N * part, 19);
    WSAOVERLAPPED ov[N];
    WSABUF bufs[N];
    int pending = 0;
    for (int i = 0; i < N; i++) {
        memset(&ov[i], 0, sizeof(ov[i]));
        ov[i].hEvent = WSACreateEvent();
        bufs[i].buf = (char *)out + i * part;
        bufs[i].len = (ULONG)part;
        DWORD sent = 0;
        int rc = WSASend(c, &bufs[i], 1, &sent, 0, &ov[i], NULL);
        int err = WSAGetLastError();
        ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "send %d: error %d", i, err);
        pending += rc != 0;
    }
    /* The point is several at once: with tiny buffers all but the first
     * cannot complete before the peer reads. */
    ck_assert_int_ge(pending, N - 1);

    struct lb_drain d;
    lb_drain_start(&d, s, N * part, 0);
    for (int i = 0; i < N; i++) {
        DWORD bytes = 0, flags = 0;
        BOOL ok = WSAGetOverlappedResult(c, &ov[i], &bytes, TRUE, &flags);
        int err = WSAGetLastError();
        ck_assert_msg(ok, "send %d failed: %d", i, err);
        ck_assert_uint_eq(bytes, part);
        WSACloseEvent(ov[i].hEvent);
    }
    lb_drain_join(&d);
    size_t bad = lb_mismatch(d.buf, N * part, 19, 0);
    ck_assert_msg(bad == N * part, "stream differs at byte %lu (send %lu)",
                  (unsigned long)bad, (unsigned long)(bad / part));
    lb_drain_free(&d);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* One completion packet, by the overlapped structure it carries. */
struct packet {
    BOOL ok;
    DWORD bytes;
    ULONG_PTR key;
    OVERLAPPED *ov;
    DWORD error;  /* GetLastError() when !ok, read before any assertion */
};

static struct packet dequeue(HANDLE port, DWORD timeout_ms)
{
    struct packet p = { 0 };
    p.ok = GetQueuedCompletionStatus(port, &p.bytes, &p.key, &p.ov, timeout_ms);
    p.error = p.ok ? 0 : GetLastError();
    return p;
}

#define KEY_CLIENT ((ULONG_PTR)0xC11E)
#define KEY_SERVER ((ULONG_PTR)0x5E7E)

/* Both sockets of a pair bound to one new completion port. */
static HANDLE port_for(SOCKET c, SOCKET s)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)c, NULL, KEY_CLIENT, 0);
    ck_assert_ptr_nonnull(port);
    ck_assert_ptr_eq(CreateIoCompletionPort((HANDLE)s, port, KEY_SERVER, 0), port);
    return port;
}

/* S13, S14 through a completion port: WSARecv and WSASend on sockets bound
 * to a port each post one packet with the socket's key, the operation's
 * WSAOVERLAPPED and the byte count; no other packet follows. */
START_TEST(test_S13_iocp_packets_key_overlapped_count)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = port_for(c, s);
    char in[200] = { 0 };
    WSABUF rbuf = { sizeof(in), in };
    WSAOVERLAPPED rov = { 0 }, sov = { 0 };
    DWORD got = 0, flags = 0;
    int rc = WSARecv(s, &rbuf, 1, &got, &flags, &rov, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);

    WSABUF sbuf = { 150, (char *)pattern(150, 13) };
    DWORD sent = 0;
    rc = WSASend(c, &sbuf, 1, &sent, 0, &sov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: error %d", err);

    int seen_send = 0, seen_recv = 0;
    for (int i = 0; i < 2; i++) {
        struct packet p = dequeue(port, LB_WAIT_MS);
        ck_assert_msg(p.ok, "no packet %d: error %lu", i, p.error);
        ck_assert_uint_eq(p.bytes, 150);
        if (p.ov == &sov) {
            ck_assert_uint_eq(p.key, KEY_CLIENT);
            seen_send++;
        } else {
            ck_assert_ptr_eq(p.ov, &rov);
            ck_assert_uint_eq(p.key, KEY_SERVER);
            seen_recv++;
        }
    }
    ck_assert_int_eq(seen_send, 1);
    ck_assert_int_eq(seen_recv, 1);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)in, 150, 13, 0), 150);
    struct packet extra = dequeue(port, 100);
    ck_assert(!extra.ok);
    ck_assert_ptr_null(extra.ov);
    ck_assert_uint_eq(extra.error, WAIT_TIMEOUT);
    free(sbuf.buf);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* S04, S13 through a completion port: a pending send posts its packet only
 * after the peer has read, with the whole count. */
START_TEST(test_S04_S13_iocp_pending_send_packet)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    HANDLE port = port_for(c, s);
    unsigned char *out = pattern(BIG, 41);
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { BIG, (char *)out };
    send_pending(c, &buf, 1, &ov, NULL);
    struct packet early = dequeue(port, 200);
    ck_assert(!early.ok && early.ov == NULL);
    ck_assert_uint_eq(early.error, WAIT_TIMEOUT);

    struct lb_drain d;
    lb_drain_start(&d, s, BIG, 0);
    struct packet p = dequeue(port, 4 * LB_WAIT_MS);
    ck_assert_msg(p.ok, "no packet: error %lu", p.error);
    ck_assert_ptr_eq(p.ov, &ov);
    ck_assert_uint_eq(p.key, KEY_CLIENT);
    ck_assert_uint_eq(p.bytes, BIG);
    lb_drain_join(&d);
    ck_assert_uint_eq(lb_mismatch(d.buf, BIG, 41, 0), BIG);
    lb_drain_free(&d);
    free(out);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* A set low bit in hEvent asks for no completion packet: the send completes
 * and signals the event (low bit cleared) but the port stays empty. */
START_TEST(test_iocp_hevent_low_bit_suppresses_packet)
{
    SOCKET c, s;
    char in[100];
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = port_for(c, s);
    HANDLE ev = WSACreateEvent();
    WSAOVERLAPPED ov = { 0 };
    ov.hEvent = (HANDLE)((ULONG_PTR)ev | 1);
    WSABUF buf = { 100, (char *)pattern(100, 42) };
    DWORD sent = 0;
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: error %d", err);
    ck_assert_uint_eq(WaitForSingleObject(ev, LB_WAIT_MS), WAIT_OBJECT_0);
    struct packet p = dequeue(port, 200);
    ck_assert_msg(!p.ok && p.ov == NULL, "unexpected packet (ov %p, %lu bytes)", (void *)p.ov, p.bytes);
    ck_assert_uint_eq(p.error, WAIT_TIMEOUT);
    ck_assert_uint_eq(sock_recv_exact(s, in, 100, LB_WAIT_MS), 100);
    ck_assert_uint_eq(lb_mismatch((unsigned char *)in, 100, 42, 0), 100);
    WSACloseEvent(ev);
    free(buf.buf);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* S31: a completion routine on a socket bound to a completion port:
 * WSAEINVAL; the routine never runs and nothing is sent. */
START_TEST(test_S31_routine_on_iocp_socket_einval)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = port_for(c, s);
    counted_calls = 0;
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 4, "oops" };
    DWORD sent = 0;
    lb_assert_wsa_error(WSASend(c, &buf, 1, &sent, 0, &ov, count_routine), WSAEINVAL);
    ck_assert_uint_eq(SleepEx(100, TRUE), 0);
    ck_assert_int_eq(counted_calls, 0);
    ck_assert_int_eq(sock_wait_readable(s, 100), 0);
    struct packet p = dequeue(port, 0);
    ck_assert(!p.ok && p.ov == NULL);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* S31 departure of a non-IFS layered provider: it cannot tell that the
 * handle is bound to a port, so the send is accepted and completes through
 * the routine (in an alertable wait), and the bytes arrive. */
START_TEST(test_S31_layered_departure_routine_on_iocp_socket_runs)
{
    SOCKET c, s;
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    HANDLE port = port_for(c, s);
    counted_calls = 0;
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 4, "oops" };
    DWORD sent = 0;
    char in[4];
    int rc = WSASend(c, &buf, 1, &sent, 0, &ov, count_routine);
    int err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d, error %d", rc, err);
    ck_assert_uint_eq(SleepEx(LB_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(counted_calls, 1);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "oops", 4), 0);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* An overlapped WSASend with an event on sockets made without
 * WSA_FLAG_OVERLAPPED: returns the call's result and error. */
static void overlapped_on_plain_socket(int family, int *rc, int *err, SOCKET *c, SOCKET *s,
                                       WSAOVERLAPPED *ov)
{
    lb_tcp_pair(family, 0, 0, c, s);
    memset(ov, 0, sizeof(*ov));
    ov->hEvent = WSACreateEvent();
    WSABUF buf = { 4, "data" };
    DWORD sent = 0;
    *rc = WSASend(*c, &buf, 1, &sent, 0, ov, NULL);
    *err = WSAGetLastError();
}

/* S31: an overlapped op on a socket created without the overlapped
 * attribute: WSAEINVAL, nothing sent. */
START_TEST(test_S31_overlapped_on_nonoverlapped_socket_einval)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    int rc, err;
    overlapped_on_plain_socket(lb_family(_i), &rc, &err, &c, &s, &ov);
    ck_assert_msg(rc == SOCKET_ERROR && err == WSAEINVAL, "WSASend: %d, error %d", rc, err);
    ck_assert_int_eq(sock_wait_readable(s, 100), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S31 departure: Wine accepts the overlapped op on a socket made without
 * WSA_FLAG_OVERLAPPED, completes it at once and sends the bytes. */
START_TEST(test_S31_wine_departure_overlapped_on_nonoverlapped_socket_sent)
{
    SOCKET c, s;
    WSAOVERLAPPED ov;
    int rc, err;
    char in[4];
    overlapped_on_plain_socket(lb_family(_i), &rc, &err, &c, &s, &ov);
    ck_assert_msg(rc == 0, "WSASend: %d, error %d", rc, err);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(sock_recv_exact(s, in, 4, LB_WAIT_MS), 4);
    ck_assert_int_eq(memcmp(in, "data", 4), 0);
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("loopback_overlapped");
    TCase *tc = lb_tcase("event");
    tcase_add_loop_test(tc, test_S04_S13_S14_pending_event_then_result, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S01_S14_immediate_event_completion, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("routine");
    tcase_add_loop_test(tc, test_S02_S16_routine_only_in_alertable_wait, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S16_pending_routine_in_wsawait, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S15_hevent_free_with_routine, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("buffers");
    tcase_add_loop_test(tc, test_S10_wsabuf_array_transient, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S19_outstanding_sends_in_order, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase("iocp");
    tcase_add_loop_test(tc, test_S13_iocp_packets_key_overlapped_count, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S04_S13_iocp_pending_send_packet, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_iocp_hevent_low_bit_suppresses_packet, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("iocp_port_aware", LB_PORT_AWARE);
    tcase_add_loop_test(tc, test_S31_routine_on_iocp_socket_einval, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("layered_departures", LB_LAYERED_DEPARTURE);
    tcase_add_loop_test(tc, test_S31_layered_departure_routine_on_iocp_socket_runs, 0,
                        LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("plain_socket", LB_DOCUMENTED);
    tcase_add_loop_test(tc, test_S31_overlapped_on_nonoverlapped_socket_einval, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);

    tc = lb_tcase_tagged("wine_departures", LB_WINE_DEPARTURE);
    tcase_add_loop_test(tc, test_S31_wine_departure_overlapped_on_nonoverlapped_socket_sent, 0, LB_FAMILIES);
    suite_add_tcase(suite, tc);
    return suite;
}
