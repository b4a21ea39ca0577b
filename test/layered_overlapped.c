/* SPDX-License-Identifier: MIT */
/* layered_overlapped.c: overlapped receives through the provider's own
 * WSAOVERLAPPED - events (S14, L04), the routine of a pending receive
 * (S16, S17), datagrams and WSAGetOverlappedResult's answers as the base
 * provider gives them (L04) - and sends that fail at once as on a base
 * socket (S05). The clause tests of overlapped sends are spicheck's
 * (spicheck/t_overlapped.c), which make check runs through lspkit.dll. */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

/* What completion routines saw. */
static struct {
    volatile LONG calls;
    DWORD thread;
    DWORD error, bytes, flags;
    LPWSAOVERLAPPED overlapped;
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

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    layered_assert_through_lsp(s);
    rov.hEvent = WSACreateEvent();
    sov.hEvent = WSACreateEvent();
    pattern_fill(out, sizeof(out), 9, 0);

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
    ck_assert_uint_eq(pattern_mismatch(in, n, 9, 0), n);
    ck_assert_uint_eq(sock_recv_exact(s, in + n, sizeof(in) - n, LB_WAIT_MS), sizeof(in) - n);
    ck_assert_uint_eq(pattern_mismatch(in, sizeof(in), 9, 0), sizeof(in));
    WSACloseEvent(rov.hEvent);
    WSACloseEvent(sov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* L04: WSAGetOverlappedResult with fWait TRUE blocks until the pending
 * receive completes, also without an event. */
START_TEST(test_L04_wait_for_result_without_event)
{
    WSAOVERLAPPED ov = { 0 };
    char in[16];
    WSABUF buf = { sizeof(in), in };
    DWORD got = 0, flags = 0, n = 0, f = 1;
    SOCKET c, s;
    HANDLE sender;
    int rc, err;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    rc = WSARecv(s, &buf, 1, &got, &flags, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    sender = sock_send_later(c, "late", 200);
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

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
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

    sock_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
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
    int len = sock_loopback(family, &any);
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

    sock_udp_pair(family, &a, &b, &bname, &blen);
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

/* The result as the base socket's, its routine too; but the event and
 * the port hear nothing of a call that failed (S05). */
static void assert_same_at_once(const struct at_once *mine, const struct at_once *theirs,
                                enum mode mode)
{
    ck_assert_int_eq(mine->rc, theirs->rc);
    ck_assert_int_eq(mine->error, theirs->error);
    ck_assert_uint_eq(mine->got, theirs->got);
    ck_assert_uint_eq(mine->internal, theirs->internal);
    ck_assert_uint_eq(mine->internal_high, theirs->internal_high);
    ck_assert_uint_eq(mine->event, mode == BY_EVENT ? WAIT_TIMEOUT : theirs->event);
    ck_assert_int_eq(mine->calls, theirs->calls);
    ck_assert_uint_eq(mine->routine_error, theirs->routine_error);
    ck_assert_uint_eq(mine->routine_bytes, theirs->routine_bytes);
    ck_assert_int_eq(mine->packet, FALSE);
    ck_assert_int_eq(mine->second_packet, FALSE);
    ck_assert_int_eq(mine->ok, theirs->ok);
    ck_assert_int_eq(mine->result_error, theirs->result_error);
    ck_assert_uint_eq(mine->bytes, theirs->bytes);
    ck_assert_int_eq(memcmp(mine->data, theirs->data, sizeof(mine->data)), 0);
}

/* L04 and S05: an overlapped receive of a datagram already queued and
 * longer than the buffer fails at once with WSAEMSGSIZE and the truncated
 * bytes, and WSAGetOverlappedResult gives FALSE, WSAEMSGSIZE and the
 * count, as on a base socket. A base socket also signals the event and
 * posts a packet; the provider does not, as a call that fails starts
 * nothing the caller hears of - libuv and Go, which take the SPI at its
 * word, would finish the receive twice. Its routine still runs, as the
 * front end expects. Each mode on a fresh pair (a port binding is for
 * good). */
START_TEST(test_L04_S05_truncated_at_once)
{
    int family = lb_family(_i);
    struct sockaddr_storage bname;
    struct at_once mine, theirs;
    int blen;
    enum mode mode;

    for (mode = BY_EVENT; mode <= BY_PORT; mode++) {
        SOCKET a, b, base_a = bound_base_udp(family), base_b = bound_base_udp(family);

        sock_udp_pair(family, &a, &b, &bname, &blen);
        layered_assert_through_lsp(b);
        mine = queued_truncated_receive(a, b, mode);
        theirs = queued_truncated_receive(base_a, base_b, mode);
        ck_assert_msg(theirs.rc == SOCKET_ERROR && theirs.error == WSAEMSGSIZE,
                      "mode %d: the base socket's receive: %d, error %d", mode, theirs.rc,
                      theirs.error);
        ck_assert_msg(!mine.ok && mine.result_error == WSAEMSGSIZE && mine.bytes == 4,
                      "mode %d: result %d, error %d, %lu bytes", mode, mine.ok,
                      mine.result_error, mine.bytes);
        ck_assert_msg(theirs.packet || mode != BY_PORT, "the base socket posted no packet");
        assert_same_at_once(&mine, &theirs, mode);
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
    tcase_add_loop_test(tc, test_S16_routine_for_pending_recv, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_S05_failure_completes_nothing, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_udp_overlapped_sendto_recvfrom, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L04_failed_result_like_base, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L04_S05_truncated_at_once, 0, LB_FAMILIES);
    return tc;
}
