/* SPDX-License-Identifier: MIT */
/* layered_overlapped.c: overlapped sends and receives through the
 * provider's own WSAOVERLAPPED: events (S14, L04), completion routines
 * (S02, S16, S17, S18), completion ports, the transient WSABUF array
 * (S10), many sends outstanding (S19), and failures that start nothing
 * (S05). */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

#define SMALL_BUF 8192

/* What completion routines saw. */
static struct {
    volatile LONG calls;
    DWORD thread;
    DWORD error, bytes, flags;
    LPWSAOVERLAPPED overlapped;
    volatile LONG depth, max_depth;
} seen;

static void reset_seen(void)
{
    memset((void *)&seen, 0, sizeof(seen));
}

static void CALLBACK record_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    seen.thread = GetCurrentThreadId();
    seen.error = error;
    seen.bytes = bytes;
    seen.flags = flags;
    seen.overlapped = ov;
    InterlockedIncrement(&seen.calls);
}

/* S14, L04: an overlapped receive with nothing to read is pending
 * (WSA_IO_INCOMPLETE, HasOverlappedIoCompleted false); an overlapped send
 * completes and signals its event; then the receive's event is signalled
 * and WSAGetOverlappedResult gives the count and flags, with the bytes. */
START_TEST(test_S14_L04_events_and_results)
{
    WSAOVERLAPPED rov = { 0 }, sov = { 0 };
    unsigned char out[1000], in[1000];
    WSABUF rbuf = { sizeof(in), (char *)in }, sbuf = { sizeof(out), (char *)out };
    DWORD got = 0, sent = 0, flags = 0, n, f;
    SOCKET c, s;
    int rc, err;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    layered_assert_through_lsp(s);
    rov.hEvent = WSACreateEvent();
    sov.hEvent = WSACreateEvent();
    lb_fill(out, sizeof(out), 9, 0);

    rc = WSARecv(s, &rbuf, 1, &got, &flags, &rov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    ck_assert(!HasOverlappedIoCompleted(&rov));
    lb_assert_fails(WSAGetOverlappedResult(s, &rov, &n, FALSE, &f), FALSE, WSA_IO_INCOMPLETE);
    ck_assert_uint_eq(WaitForSingleObject(rov.hEvent, 100), WAIT_TIMEOUT);

    rc = WSASend(c, &sbuf, 1, &sent, 0, &sov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d", err);
    ck_assert_uint_eq(WaitForSingleObject(sov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(WSAGetOverlappedResult(c, &sov, &n, FALSE, &f));
    ck_assert_uint_eq(n, sizeof(out));

    ck_assert_uint_eq(WaitForSingleObject(rov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(HasOverlappedIoCompleted(&rov));
    n = 0;
    f = 0xdead;
    ck_assert(WSAGetOverlappedResult(s, &rov, &n, TRUE, &f));
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_le(n, sizeof(in));
    ck_assert_uint_eq(f, 0);
    ck_assert_uint_eq(lb_mismatch(in, n, 9, 0), n);
    ck_assert_uint_eq(sock_recv_exact(s, in + n, sizeof(in) - n, LB_WAIT_MS), sizeof(in) - n);
    ck_assert_uint_eq(lb_mismatch(in, sizeof(in), 9, 0), sizeof(in));
    WSACloseEvent(rov.hEvent);
    WSACloseEvent(sov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* L04: WSAGetOverlappedResult with fWait TRUE blocks until the pending
 * receive completes, also without an event. */
static DWORD WINAPI send_later(void *arg)
{
    Sleep(200);
    send((SOCKET)arg, "late", 4, 0);
    return 0;
}

START_TEST(test_L04_wait_for_result_without_event)
{
    WSAOVERLAPPED ov = { 0 };
    char in[16];
    WSABUF buf = { sizeof(in), in };
    DWORD got = 0, flags = 0, n = 0, f = 1;
    SOCKET c, s;
    HANDLE sender;
    int rc, err;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    rc = WSARecv(s, &buf, 1, &got, &flags, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    sender = CreateThread(NULL, 0, send_later, (void *)c, 0, NULL);
    ck_assert(WSAGetOverlappedResult(s, &ov, &n, TRUE, &f));
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(f, 0);
    ck_assert_int_eq(memcmp(in, "late", 4), 0);
    WaitForSingleObject(sender, INFINITE);
    CloseHandle(sender);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S02, S16, S17: a send that completes at once returns 0 with its routine
 * already queued - it has not run, not even in a non-alertable wait, and
 * runs at the next alertable wait of the issuing thread, once, with
 * (0, bytes, lpOverlapped, 0). */
START_TEST(test_S02_S16_routine_for_immediate_send)
{
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 5, "hello" };
    DWORD sent = 0;
    SOCKET c, s;
    char in[5];
    int rc, err;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    reset_seen();
    ov.hEvent = (HANDLE)0x1234;   /* S15: the caller's, never touched */
    rc = WSASend(c, &buf, 1, &sent, 0, &ov, record_routine);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0, "WSASend: %d %d", rc, err);
    ck_assert_uint_eq(sent, 5);
    Sleep(100);
    ck_assert_int_eq(seen.calls, 0);
    ck_assert_uint_eq(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(seen.calls, 1);
    ck_assert_uint_eq(seen.thread, GetCurrentThreadId());
    ck_assert_uint_eq(seen.error, 0);
    ck_assert_uint_eq(seen.bytes, 5);
    ck_assert_ptr_eq(seen.overlapped, &ov);
    ck_assert_uint_eq(seen.flags, 0);
    ck_assert_ptr_eq(ov.hEvent, (HANDLE)0x1234);
    ck_assert_uint_eq(SleepEx(100, TRUE), 0);
    ck_assert_int_eq(seen.calls, 1);
    ck_assert_uint_eq(sock_recv_exact(s, in, 5, LB_WAIT_MS), 5);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S16, S17: a pending receive's routine runs in the issuing thread, in its
 * alertable wait (WSAWaitForMultipleEvents returns WSA_WAIT_IO_COMPLETION), once,
 * after the data came - though the completion arrived on another thread. */
START_TEST(test_S16_routine_for_pending_recv)
{
    WSAOVERLAPPED ov = { 0 };
    char in[32];
    WSABUF buf = { sizeof(in), in };
    DWORD got = 0, flags = 0, w;
    WSAEVENT never = WSACreateEvent();
    SOCKET c, s;
    int rc, err;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    reset_seen();
    rc = WSARecv(s, &buf, 1, &got, &flags, &ov, record_routine);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    ck_assert_int_eq(send(c, "routine", 7, 0), 7);
    Sleep(200);
    ck_assert_int_eq(seen.calls, 0);
    w = WSAWaitForMultipleEvents(1, &never, FALSE, LB_WAIT_MS, TRUE);
    ck_assert_uint_eq(w, WSA_WAIT_IO_COMPLETION);
    ck_assert_int_eq(seen.calls, 1);
    ck_assert_uint_eq(seen.thread, GetCurrentThreadId());
    ck_assert_uint_eq(seen.error, 0);
    ck_assert_uint_eq(seen.bytes, 7);
    ck_assert_ptr_eq(seen.overlapped, &ov);
    ck_assert_int_eq(memcmp(in, "routine", 7), 0);
    ck_assert_uint_eq(SleepEx(100, TRUE), 0);
    ck_assert_int_eq(seen.calls, 1);
    WSACloseEvent(never);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S18: a routine may start the next send itself; routines of one socket
 * never nest. Ten sends chained from routine to routine. */
static SOCKET chain_socket;
static WSAOVERLAPPED chain_ov;
static char chain_byte;

static void CALLBACK chain_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    WSABUF buf = { 1, &chain_byte };
    DWORD sent;
    LONG depth = InterlockedIncrement(&seen.depth);

    (void)ov; (void)flags;
    if (depth > seen.max_depth)
        seen.max_depth = depth;
    if (!error && bytes == 1 && InterlockedIncrement(&seen.calls) < 10) {
        chain_byte++;
        memset(&chain_ov, 0, sizeof(chain_ov));
        if (WSASend(chain_socket, &buf, 1, &sent, 0, &chain_ov, chain_routine) &&
            WSAGetLastError() != WSA_IO_PENDING)
            seen.error = WSAGetLastError();
    }
    InterlockedDecrement(&seen.depth);
}

START_TEST(test_S18_send_from_routine)
{
    WSABUF buf = { 1, &chain_byte };
    DWORD sent;
    SOCKET s;
    char in[10];
    int i, rc;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &chain_socket, &s);
    reset_seen();
    chain_byte = 'a';
    memset(&chain_ov, 0, sizeof(chain_ov));
    rc = WSASend(chain_socket, &buf, 1, &sent, 0, &chain_ov, chain_routine);
    ck_assert(rc == 0 || WSAGetLastError() == WSA_IO_PENDING);
    layered_wait_alertable(&seen.calls, 10, LB_WAIT_MS);
    ck_assert_int_eq(seen.calls, 10);
    ck_assert_uint_eq(seen.error, 0);
    ck_assert_int_eq(seen.max_depth, 1);
    ck_assert_uint_eq(sock_recv_exact(s, in, 10, LB_WAIT_MS), 10);
    for (i = 0; i < 10; i++)
        ck_assert_int_eq(in[i], 'a' + i);
    closesocket(chain_socket);
    closesocket(s);
}
END_TEST

/* Completion ports: one packet per operation, with the caller's key and
 * WSAOVERLAPPED and the byte count - also for a send that completed at
 * once - and never a second one. */
START_TEST(test_completion_port_packets)
{
    WSAOVERLAPPED sov = { 0 }, rov = { 0 };
    char in[64];
    WSABUF sbuf = { 11, "port packet" }, rbuf = { sizeof(in), in };
    DWORD sent = 0, got = 0, flags = 0, bytes;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    HANDLE port;
    SOCKET c, s;
    int rc, err, i;
    BOOL saw_send = FALSE, saw_recv = FALSE, ok;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 0xC, 0);
    ck_assert_ptr_nonnull(port);
    ck_assert_ptr_eq(CreateIoCompletionPort((HANDLE)s, port, 0x5, 0), port);

    rc = WSARecv(s, &rbuf, 1, &got, &flags, &rov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    rc = WSASend(c, &sbuf, 1, &sent, 0, &sov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d", err);
    for (i = 0; i < 2; i++) {
        ck_assert(GetQueuedCompletionStatus(port, &bytes, &key, &ov, LB_WAIT_MS));
        if (ov == &sov) {
            ck_assert(!saw_send);
            ck_assert_uint_eq(key, 0xC);
            ck_assert_uint_eq(bytes, 11);
            saw_send = TRUE;
        } else {
            ck_assert_ptr_eq(ov, &rov);
            ck_assert(!saw_recv);
            ck_assert_uint_eq(key, 0x5);
            ck_assert_uint_eq(bytes, 11);
            saw_recv = TRUE;
        }
    }
    ck_assert_int_eq(memcmp(in, "port packet", 11), 0);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, 200);
    err = GetLastError();
    ck_assert(!ok);
    ck_assert_uint_eq(err, WAIT_TIMEOUT);
    closesocket(c);
    closesocket(s);
    CloseHandle(port);
}
END_TEST

/* S10: the WSABUF array is the caller's only during the call: overwritten
 * as soon as WSASend returned pending, the right bytes still go out. */
START_TEST(test_S10_wsabuf_array_is_transient)
{
    enum { PIECES = 8, PIECE = 256 * 1024 };
    unsigned char *out = malloc(PIECES * PIECE), *decoy = calloc(1, PIECE);
    WSAOVERLAPPED ov = { 0 };
    WSABUF bufs[PIECES];
    struct lb_drain drain;
    DWORD sent = 0, n, f;
    SOCKET c, s;
    int rc, err, i;

    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(decoy);
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    lb_fill(out, PIECES * PIECE, 10, 0);
    for (i = 0; i < PIECES; i++) {
        bufs[i].buf = (char *)out + i * PIECE;
        bufs[i].len = PIECE;
    }
    ov.hEvent = WSACreateEvent();
    rc = WSASend(c, bufs, PIECES, &sent, 0, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSASend: %d %d", rc, err);
    for (i = 0; i < PIECES; i++) {
        bufs[i].buf = (char *)decoy;
        bufs[i].len = 1;
    }
    lb_drain_start(&drain, s, PIECES * PIECE, 0);
    lb_drain_join(&drain);
    ck_assert_uint_eq(lb_mismatch(drain.buf, PIECES * PIECE, 10, 0), PIECES * PIECE);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(WSAGetOverlappedResult(c, &ov, &n, FALSE, &f));
    ck_assert_uint_eq(n, PIECES * PIECE);
    lb_drain_free(&drain);
    WSACloseEvent(ov.hEvent);
    free(out);
    free(decoy);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S19: many sends outstanding, each with its own WSAOVERLAPPED: all
 * complete, each with its full count, and the bytes arrive in the order
 * the sends were posted. */
START_TEST(test_S19_outstanding_sends_keep_order)
{
    enum { SENDS = 24, PIECE = 128 * 1024 };
    unsigned char *out = malloc(SENDS * PIECE);
    WSAOVERLAPPED ov[SENDS];
    WSABUF buf;
    struct lb_drain drain;
    DWORD sent, n, f;
    SOCKET c, s;
    int i, rc, err, pending = 0;

    ck_assert_ptr_nonnull(out);
    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, SMALL_BUF, &c, &s);
    lb_fill(out, SENDS * PIECE, 11, 0);
    memset(ov, 0, sizeof(ov));
    for (i = 0; i < SENDS; i++) {
        ov[i].hEvent = WSACreateEvent();
        buf.buf = (char *)out + i * PIECE;
        buf.len = PIECE;
        rc = WSASend(c, &buf, 1, &sent, 0, &ov[i], NULL);
        err = WSAGetLastError();
        ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend %d: %d", i, err);
        pending += rc != 0;
    }
    ck_assert_int_gt(pending, 0);
    lb_drain_start(&drain, s, SENDS * PIECE, 0);
    lb_drain_join(&drain);
    ck_assert_uint_eq(lb_mismatch(drain.buf, SENDS * PIECE, 11, 0), SENDS * PIECE);
    for (i = 0; i < SENDS; i++) {
        ck_assert_uint_eq(WaitForSingleObject(ov[i].hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
        ck_assert(WSAGetOverlappedResult(c, &ov[i], &n, FALSE, &f));
        ck_assert_uint_eq(n, PIECE);
        WSACloseEvent(ov[i].hEvent);
    }
    lb_drain_free(&drain);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S05: an overlapped call that fails at once fails as on a base socket,
 * and started nothing: no event, no routine, ever. */
START_TEST(test_S05_failure_completes_nothing)
{
    int family = lb_family(_i);
    SOCKET lone = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    SOCKET base = layered_base_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    WSAOVERLAPPED ov = { 0 }, rov = { 0 }, bov = { 0 };
    WSABUF buf = { 1, "x" };
    DWORD sent;

    layered_assert_through_lsp(lone);
    ov.hEvent = WSACreateEvent();
    bov.hEvent = WSACreateEvent();
    reset_seen();
    layered_assert_same_error(WSASend(lone, &buf, 1, &sent, 0, &ov, NULL),
                              WSASend(base, &buf, 1, &sent, 0, &bov, NULL));
    layered_assert_same_error(WSASend(lone, &buf, 1, &sent, 0, &rov, record_routine),
                              WSASend(base, &buf, 1, &sent, 0, &bov, NULL));
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 200), WAIT_TIMEOUT);
    ck_assert_uint_eq(SleepEx(200, TRUE), 0);
    ck_assert_int_eq(seen.calls, 0);
    WSACloseEvent(ov.hEvent);
    WSACloseEvent(bov.hEvent);
    closesocket(lone);
    closesocket(base);
}
END_TEST

/* UDP: an overlapped WSARecvFrom fills in the sender's address when it
 * completes; an overlapped WSASendTo reports the datagram's size. */
START_TEST(test_udp_overlapped_sendto_recvfrom)
{
    struct sockaddr_storage bname, from, aname;
    int blen, fromlen = sizeof(from), alen = sizeof(aname), rc, err;
    WSAOVERLAPPED rov = { 0 }, sov = { 0 };
    char in[100];
    WSABUF rbuf = { sizeof(in), in }, sbuf = { 9, "datagram!" };
    DWORD got = 0, flags = 0, sent = 0, n, f;
    SOCKET a, b;

    lb_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    rov.hEvent = WSACreateEvent();
    sov.hEvent = WSACreateEvent();
    rc = WSARecvFrom(b, &rbuf, 1, &got, &flags, (struct sockaddr *)&from, &fromlen, &rov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvFrom: %d %d", rc, err);
    rc = WSASendTo(a, &sbuf, 1, &sent, 0, (struct sockaddr *)&bname, blen, &sov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASendTo: %d", err);
    ck_assert_uint_eq(WaitForSingleObject(sov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(WSAGetOverlappedResult(a, &sov, &n, FALSE, &f));
    ck_assert_uint_eq(n, 9);
    ck_assert_uint_eq(WaitForSingleObject(rov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(WSAGetOverlappedResult(b, &rov, &n, FALSE, &f));
    ck_assert_uint_eq(n, 9);
    ck_assert_int_eq(memcmp(in, "datagram!", 9), 0);
    ck_assert_int_eq(getsockname(a, (struct sockaddr *)&aname, &alen), 0);
    ck_assert_int_eq(fromlen, alen);
    ck_assert_int_eq(memcmp(&from, &aname, alen), 0);
    WSACloseEvent(rov.hEvent);
    WSACloseEvent(sov.hEvent);
    closesocket(a);
    closesocket(b);
}
END_TEST

/* What WSAGetOverlappedResult says about an overlapped receive of a
 * 10-byte datagram into 4 bytes, on receiver B (sender A). */
struct result {
    BOOL ok;
    int error;
    DWORD bytes, flags;
    char data[4];
};

static struct result truncated_receive(SOCKET a, SOCKET b)
{
    struct sockaddr_storage name;
    int len = sizeof(name), rc;
    WSAOVERLAPPED ov = { 0 };
    struct result r = { 0 };
    WSABUF buf = { sizeof(r.data), r.data };
    DWORD got = 0, flags = 0;

    ck_assert_int_eq(getsockname(b, (struct sockaddr *)&name, &len), 0);
    ov.hEvent = WSACreateEvent();
    rc = WSARecv(b, &buf, 1, &got, &flags, &ov, NULL);
    ck_assert_msg(rc == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSARecv: %d", rc);
    ck_assert_int_eq(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&name, len), 10);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    r.ok = WSAGetOverlappedResult(b, &ov, &r.bytes, FALSE, &r.flags);
    r.error = r.ok ? 0 : WSAGetLastError();
    WSACloseEvent(ov.hEvent);
    return r;
}

static SOCKET bound_base_udp(int family)
{
    struct sockaddr_storage any;
    int len = lb_loopback(family, &any);
    SOCKET s = layered_base_socket(family, SOCK_DGRAM, WSA_FLAG_OVERLAPPED);

    ck_assert_int_eq(bind(s, (struct sockaddr *)&any, len), 0);
    return s;
}

/* L04: a receive that completes with an error (a datagram truncated) gets
 * from WSAGetOverlappedResult the same success, error, count, flags and
 * bytes on a provider socket as on a base socket. */
START_TEST(test_L04_failed_result_like_base)
{
    int family = lb_family(_i);
    struct sockaddr_storage bname;
    int blen;
    SOCKET a, b, base_a = bound_base_udp(family), base_b = bound_base_udp(family);
    struct result mine, theirs;

    lb_udp_pair(family, &a, &b, &bname, &blen);
    layered_assert_through_lsp(b);
    mine = truncated_receive(a, b);
    theirs = truncated_receive(base_a, base_b);
    ck_assert_int_eq(mine.ok, theirs.ok);
    ck_assert_int_eq(mine.error, theirs.error);
    ck_assert_uint_eq(mine.bytes, theirs.bytes);
    ck_assert_uint_eq(mine.flags, theirs.flags);
    ck_assert_int_eq(memcmp(mine.data, theirs.data, sizeof(mine.data)), 0);
    closesocket(a);
    closesocket(b);
    closesocket(base_a);
    closesocket(base_b);
}
END_TEST

/* How a caller hears of an overlapped receive. */
enum mode { BY_EVENT, BY_ROUTINE, BY_PORT };

/* Everything a caller can see of an overlapped receive of a 10-byte
 * datagram, already queued, into 4 bytes: the call's own answer, the
 * WSAOVERLAPPED, the event, the routine, the port packet, the result. */
struct at_once {
    int rc, error;
    DWORD got;
    ULONG_PTR internal, internal_high;
    DWORD event;
    LONG calls;
    DWORD routine_error, routine_bytes;
    BOOL packet, packet_ok;
    DWORD packet_error, packet_bytes;
    BOOL second_packet;
    BOOL ok;
    int result_error;
    DWORD bytes;
    char data[4];
};

static struct at_once queued_truncated_receive(SOCKET a, SOCKET b, enum mode mode)
{
    struct sockaddr_storage name;
    int len = sizeof(name);
    WSAOVERLAPPED ov = { 0 };
    struct at_once r = { 0 };
    WSABUF buf = { sizeof(r.data), r.data };
    DWORD flags = 0, f = 0;
    HANDLE port = NULL;
    ULONG_PTR key;
    LPOVERLAPPED got;
    DWORD error;
    BOOL ok;

    ck_assert_int_eq(getsockname(b, (struct sockaddr *)&name, &len), 0);
    if (mode == BY_PORT) {
        port = CreateIoCompletionPort((HANDLE)b, NULL, 0x404, 0);
        ck_assert_ptr_nonnull(port);
    } else {
        ov.hEvent = WSACreateEvent();
    }
    reset_seen();
    ck_assert_int_eq(sendto(a, "0123456789", 10, 0, (struct sockaddr *)&name, len), 10);
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    r.rc = WSARecv(b, &buf, 1, &r.got, &flags, &ov, mode == BY_ROUTINE ? record_routine : NULL);
    r.error = WSAGetLastError();
    /* A routine is queued, never run inside the call (S02). */
    ck_assert_int_eq(seen.calls, 0);
    if (mode == BY_ROUTINE) {
        layered_wait_alertable(&seen.calls, 1, 500);
        ck_assert_uint_eq(SleepEx(100, TRUE), 0);
    }
    r.calls = seen.calls;
    r.routine_error = seen.error;
    r.routine_bytes = seen.bytes;
    if (mode == BY_EVENT)
        r.event = WaitForSingleObject(ov.hEvent, 500);
    if (mode == BY_PORT) {
        got = NULL;
        ok = GetQueuedCompletionStatus(port, &r.packet_bytes, &key, &got, 500);
        error = GetLastError();
        r.packet = got == &ov;
        r.packet_ok = r.packet && ok;
        r.packet_error = r.packet && !ok ? error : 0;
        got = NULL;
        r.second_packet = GetQueuedCompletionStatus(port, &f, &key, &got, 200) || got;
    }
    r.internal = ov.Internal;
    r.internal_high = ov.InternalHigh;
    r.ok = WSAGetOverlappedResult(b, &ov, &r.bytes, FALSE, &f);
    r.result_error = r.ok ? 0 : WSAGetLastError();
    if (ov.hEvent)
        WSACloseEvent(ov.hEvent);
    if (port)
        CloseHandle(port);
    return r;
}

static void assert_same_at_once(const struct at_once *mine, const struct at_once *theirs)
{
    ck_assert_int_eq(mine->rc, theirs->rc);
    ck_assert_int_eq(mine->error, theirs->error);
    ck_assert_uint_eq(mine->got, theirs->got);
    ck_assert_uint_eq(mine->internal, theirs->internal);
    ck_assert_uint_eq(mine->internal_high, theirs->internal_high);
    ck_assert_uint_eq(mine->event, theirs->event);
    ck_assert_int_eq(mine->calls, theirs->calls);
    ck_assert_uint_eq(mine->routine_error, theirs->routine_error);
    ck_assert_uint_eq(mine->routine_bytes, theirs->routine_bytes);
    ck_assert_int_eq(mine->packet, theirs->packet);
    ck_assert_int_eq(mine->packet_ok, theirs->packet_ok);
    ck_assert_uint_eq(mine->packet_error, theirs->packet_error);
    ck_assert_uint_eq(mine->packet_bytes, theirs->packet_bytes);
    ck_assert_int_eq(mine->second_packet, theirs->second_packet);
    ck_assert_int_eq(mine->ok, theirs->ok);
    ck_assert_int_eq(mine->result_error, theirs->result_error);
    ck_assert_uint_eq(mine->bytes, theirs->bytes);
    ck_assert_int_eq(memcmp(mine->data, theirs->data, sizeof(mine->data)), 0);
}

/* L04: an overlapped receive of a datagram already queued and longer than
 * the buffer fails at once with WSAEMSGSIZE and the truncated bytes, yet
 * completes: by event, routine or port, the caller hears of it as it does
 * on a base socket, and WSAGetOverlappedResult gives FALSE, WSAEMSGSIZE and
 * the count. Each mode on a fresh pair (a port binding is for good). */
START_TEST(test_L04_truncated_at_once_like_base)
{
    int family = lb_family(_i);
    struct sockaddr_storage bname;
    struct at_once mine, theirs;
    int blen;
    enum mode mode;

    for (mode = BY_EVENT; mode <= BY_PORT; mode++) {
        SOCKET a, b, base_a = bound_base_udp(family), base_b = bound_base_udp(family);

        lb_udp_pair(family, &a, &b, &bname, &blen);
        layered_assert_through_lsp(b);
        mine = queued_truncated_receive(a, b, mode);
        theirs = queued_truncated_receive(base_a, base_b, mode);
        ck_assert_msg(theirs.rc == SOCKET_ERROR && theirs.error == WSAEMSGSIZE,
                      "mode %d: the base socket's receive: %d, error %d", mode, theirs.rc,
                      theirs.error);
        ck_assert_msg(!mine.ok && mine.result_error == WSAEMSGSIZE && mine.bytes == 4,
                      "mode %d: result %d, error %d, %lu bytes", mode, mine.ok,
                      mine.result_error, mine.bytes);
        assert_same_at_once(&mine, &theirs);
        closesocket(a);
        closesocket(b);
        closesocket(base_a);
        closesocket(base_b);
    }
}
END_TEST

TCase *layered_overlapped_tcase(void)
{
    TCase *tc = layered_tcase("overlapped");
    tcase_add_loop_test(tc, test_S14_L04_events_and_results, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L04_wait_for_result_without_event, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S02_S16_routine_for_immediate_send, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S16_routine_for_pending_recv, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S18_send_from_routine, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_completion_port_packets, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S10_wsabuf_array_is_transient, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S19_outstanding_sends_keep_order, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S05_failure_completes_nothing, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_udp_overlapped_sendto_recvfrom, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L04_failed_result_like_base, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L04_truncated_at_once_like_base, 0, LB_FAMILIES);
    return tc;
}
