/* SPDX-License-Identifier: MIT */
/* filters.c: lspkit.dll runs the filters of HKLM\SOFTWARE\lspkit\Filters
 * (include/lspkit/filter.h). The program registers the tests' filter
 * (test/probe_filter) before its first socket, sets the filter's policy
 * as each test needs it, and checks what the application sees: denials,
 * redirects with their handshake (connect blocking and not, ConnectEx),
 * replaced sends, and the transfers and sockets the filter was told of.
 * Run in the layered arrangement (test/filters.list). */
#include "loopback_util.h"
#include "probe_filter/probe_find.h"

#include <string.h>

#define GREETING_LEN (sizeof(PROBE_GREETING) - 1)

static probe_filter_policy_fn policy;
static probe_filter_totals_fn totals;
static probe_filter_events_fn events;

static USHORT port_of(const struct sockaddr_storage *a)
{
    return ntohs(a->ss_family == AF_INET ? ((const struct sockaddr_in *)a)->sin_port
                                         : ((const struct sockaddr_in6 *)a)->sin6_port);
}

static void setup(void)
{
    const struct probe_filter *probe;

    lb_setup();
    probe = probe_filter_find();
    policy = probe->policy;
    totals = probe->totals;
    events = probe->events;
}

static void teardown(void)
{
    policy(0, 0, 0);
    lb_teardown();
}

/* The server a redirect reaches: it takes the filter's greeting, answers
 * (ANSWER NULL: never), then takes EXPECT bytes of the application's. */
struct proxy {
    SOCKET l, conn;
    const char *answer;
    char greeting[GREETING_LEN];
    char got[64];
    size_t expect, got_len;
    HANDLE thread;
};

static DWORD WINAPI proxy_main(void *arg)
{
    struct proxy *p = arg;

    p->conn = accept(p->l, NULL, NULL);
    if (p->conn == INVALID_SOCKET ||
        sock_recv_exact(p->conn, p->greeting, GREETING_LEN, LB_WAIT_MS) != GREETING_LEN)
        return 1;
    if (p->answer && send(p->conn, p->answer, (int)strlen(p->answer), 0) != (int)strlen(p->answer))
        return 1;
    if (p->expect)
        p->got_len = sock_recv_exact(p->conn, p->got, p->expect, LB_WAIT_MS);
    return 0;
}

/* Starts the proxy on a new listener; *to_port is its port. */
static void proxy_start(struct proxy *p, int family, const char *answer, size_t expect,
                        USHORT *to_port)
{
    struct sockaddr_storage addr;
    int len;

    memset(p, 0, sizeof(*p));
    p->l = sock_listener(family, 0, 0, &addr, &len);
    p->conn = INVALID_SOCKET;
    p->answer = answer;
    p->expect = expect;
    *to_port = port_of(&addr);
    p->thread = CreateThread(NULL, 0, proxy_main, p, 0, NULL);
    ck_assert_ptr_nonnull(p->thread);
}

static void proxy_join(struct proxy *p)
{
    ck_assert_uint_eq(WaitForSingleObject(p->thread, LB_WAIT_MS * 2), WAIT_OBJECT_0);
    CloseHandle(p->thread);
    ck_assert_int_eq(memcmp(p->greeting, PROBE_GREETING, GREETING_LEN), 0);
    ck_assert_uint_eq(p->got_len, p->expect);
}

static void proxy_close(struct proxy *p)
{
    if (p->conn != INVALID_SOCKET)
        closesocket(p->conn);
    closesocket(p->l);
}

static void assert_peer(SOCKET s, const struct sockaddr_storage *expected, int len)
{
    struct sockaddr_storage peer;
    int peer_len = sizeof(peer);

    ck_assert_int_eq(getpeername(s, (struct sockaddr *)&peer, &peer_len), 0);
    ck_assert_int_eq(peer_len, len);
    ck_assert_int_eq(memcmp(&peer, expected, len), 0);
}

START_TEST(test_connect_denied)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sock_listener(lb_family(_i), 0, 0, &addr, &len), c;

    policy(port_of(&addr), 0, 0);
    c = socket(lb_family(_i), SOCK_STREAM, IPPROTO_TCP);
    lb_assert_wsa_error(connect(c, (struct sockaddr *)&addr, len), WSAEACCES);
    ck_assert_int_eq(sock_wait_readable(l, 0), 0);
    sock_close_pair(c, l);
}
END_TEST

START_TEST(test_sendto_denied)
{
    struct sockaddr_storage bname;
    int blen;
    SOCKET a, b;

    sock_udp_pair(lb_family(_i), &a, &b, &bname, &blen);
    policy(port_of(&bname), 0, 0);
    lb_assert_wsa_error(sendto(a, "no", 2, 0, (struct sockaddr *)&bname, blen), WSAEACCES);
    ck_assert_int_eq(sock_wait_readable(b, 200), 0);
    policy(0, 0, 0);
    ck_assert_int_eq(sendto(a, "yes", 3, 0, (struct sockaddr *)&bname, blen), 3);
    ck_assert_int_eq(sock_wait_readable(b, LB_WAIT_MS), 1);
    sock_close_pair(a, b);
}
END_TEST

/* A redirect under way: the application aims at a decoy listener, which
 * the redirect must keep away from; the filter sends the connect to a
 * proxy that answers ANSWER and then takes EXPECT bytes. */
struct redirect {
    SOCKET decoy, c;
    struct sockaddr_storage aim;
    int aim_len;
    struct proxy proxy;
};

static void redirect_begin(struct redirect *r, int family, DWORD flags, const char *answer,
                           size_t expect)
{
    USHORT to;

    r->decoy = sock_listener(family, 0, 0, &r->aim, &r->aim_len);
    proxy_start(&r->proxy, family, answer, expect, &to);
    policy(0, port_of(&r->aim), to);
    r->c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);
    ck_assert_msg(r->c != INVALID_SOCKET, "WSASocket: %d", WSAGetLastError());
}

/* The proxy did its part, the decoy saw nothing; all closed. */
static void redirect_end(struct redirect *r)
{
    proxy_join(&r->proxy);
    ck_assert_msg(sock_wait_readable(r->decoy, 0) == 0,
                  "the redirected connect reached where the application aimed");
    closesocket(r->decoy);
    proxy_close(&r->proxy);
    closesocket(r->c);
}

/* A blocking connect, redirected: the handshake happens before connect
 * returns, getpeername names where the application aimed, and its bytes
 * go to the redirect's server. */
START_TEST(test_connect_redirected)
{
    struct redirect r;

    redirect_begin(&r, lb_family(_i), 0, PROBE_ACCEPT, 4);
    ck_assert_msg(connect(r.c, (struct sockaddr *)&r.aim, r.aim_len) == 0, "connect: %d",
                  WSAGetLastError());
    assert_peer(r.c, &r.aim, r.aim_len);
    ck_assert_int_eq(send(r.c, "ping", 4, 0), 4);
    redirect_end(&r);
    ck_assert_int_eq(memcmp(r.proxy.got, "ping", 4), 0);
}
END_TEST

/* A non-blocking connect, redirected: it says it is under way, and the
 * socket is writable, the handshake done. */
START_TEST(test_connect_nonblocking_redirected)
{
    struct redirect r;

    redirect_begin(&r, lb_family(_i), 0, PROBE_ACCEPT, 4);
    lb_set_nonblocking(r.c, 1);
    lb_assert_wsa_error(connect(r.c, (struct sockaddr *)&r.aim, r.aim_len), WSAEWOULDBLOCK);
    ck_assert_int_eq(sock_wait_writable(r.c, LB_WAIT_MS), 1);
    ck_assert_int_eq(send(r.c, "pong", 4, 0), 4);
    redirect_end(&r);
    ck_assert_int_eq(memcmp(r.proxy.got, "pong", 4), 0);
}
END_TEST

/* A server that refuses the handshake fails the connect. */
START_TEST(test_connect_handshake_refused)
{
    struct redirect r;

    redirect_begin(&r, lb_family(_i), 0, "no", 0);
    lb_assert_wsa_error(connect(r.c, (struct sockaddr *)&r.aim, r.aim_len), WSAECONNREFUSED);
    redirect_end(&r);
}
END_TEST

/* S is in blocking mode: a receive with nothing to take waits out its
 * timeout rather than failing with WSAEWOULDBLOCK. */
static void assert_blocking(SOCKET s)
{
    DWORD timeout_ms = 100;
    char byte;
    int rc, err;

    ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (char *)&timeout_ms,
                                sizeof(timeout_ms)), 0);
    rc = recv(s, &byte, 1, 0);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSAETIMEDOUT,
                  "recv on a quiet blocking socket: %d, error %d", rc, err);
}

/* Issues ConnectEx on r's socket, bound first, with DATA on OV. */
static void connectex_issue(struct redirect *r, const char *data, WSAOVERLAPPED *ov)
{
    struct sock_connect_extensions ext;
    struct sockaddr_storage any;
    int any_len = sock_loopback(r->aim.ss_family, &any), rc, err;

    sock_connect_extensions(r->decoy, r->c, &ext);
    ck_assert_int_eq(bind(r->c, (struct sockaddr *)&any, any_len), 0);
    rc = ext.connectex(r->c, (struct sockaddr *)&r->aim, r->aim_len, (void *)data,
                       data ? (DWORD)strlen(data) : 0, NULL, ov);
    err = WSAGetLastError();
    ck_assert_msg(!rc && err == ERROR_IO_PENDING, "ConnectEx: %d, error %d", rc, err);
}

/* ConnectEx with data, redirected, completing on a port: the data follows
 * the handshake, the count is the application's, and the filter was told
 * of the bytes. */
START_TEST(test_connectex_redirected)
{
    struct redirect r;
    WSAOVERLAPPED ov = { 0 };
    OVERLAPPED *done = NULL;
    ULONGLONG sent = 0, received = 0;
    ULONG_PTR key;
    DWORD n = 0;
    HANDLE port;

    redirect_begin(&r, lb_family(_i), WSA_FLAG_OVERLAPPED, PROBE_ACCEPT, 5);
    port = CreateIoCompletionPort((HANDLE)r.c, NULL, 7, 0);
    ck_assert_ptr_nonnull(port);
    connectex_issue(&r, "hello", &ov);
    ck_assert(GetQueuedCompletionStatus(port, &n, &key, &done, LB_WAIT_MS * 2));
    ck_assert_ptr_eq(done, (OVERLAPPED *)&ov);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(setsockopt(r.c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0), 0);
    assert_peer(r.c, &r.aim, r.aim_len);
    ck_assert(totals(r.c, &sent, &received));
    ck_assert_uint_eq(sent, 5);
    assert_blocking(r.c);
    redirect_end(&r);
    ck_assert_int_eq(memcmp(r.proxy.got, "hello", 5), 0);
    CloseHandle(port);
}
END_TEST

/* ConnectEx to a server that refuses the handshake completes with the error. */
START_TEST(test_connectex_refused)
{
    struct redirect r;
    WSAOVERLAPPED ov = { 0 };
    DWORD n = 0, flags = 0;
    int rc, err;

    redirect_begin(&r, lb_family(_i), WSA_FLAG_OVERLAPPED, "no", 0);
    ov.hEvent = WSACreateEvent();
    connectex_issue(&r, NULL, &ov);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, LB_WAIT_MS * 2), WAIT_OBJECT_0);
    rc = WSAGetOverlappedResult(r.c, &ov, &n, FALSE, &flags);
    err = WSAGetLastError();
    ck_assert_msg(!rc && err == WSAECONNREFUSED, "ConnectEx ended %d, error %d", rc, err);
    redirect_end(&r);
    WSACloseEvent(ov.hEvent);
}
END_TEST

/* Cancels OV's ConnectEx on S, as Go's dial deadline does: it must end
 * at once, aborted - well within the 30 s that the redirect's connect and
 * handshake would otherwise wait out. */
static void cancel_connectex(SOCKET s, WSAOVERLAPPED *ov)
{
    DWORD n = 0, flags = 0;
    int rc, err;

    ck_assert_msg(CancelIoEx((HANDLE)s, ov), "CancelIoEx: %lu", GetLastError());
    ck_assert_uint_eq(WaitForSingleObject(ov->hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    rc = WSAGetOverlappedResult(s, ov, &n, FALSE, &flags);
    err = WSAGetLastError();
    ck_assert_msg(!rc && err == WSA_OPERATION_ABORTED, "ConnectEx ended %d, error %d", rc, err);
}

/* A redirected ConnectEx whose server never answers the handshake, then
 * cancelled: it ends at once, aborted. */
START_TEST(test_connectex_cancelled_in_handshake)
{
    struct redirect r;
    WSAOVERLAPPED ov = { 0 };

    redirect_begin(&r, lb_family(_i), WSA_FLAG_OVERLAPPED, NULL, 0);
    ov.hEvent = WSACreateEvent();
    connectex_issue(&r, NULL, &ov);
    /* The greeting has reached the server: the handshake is waiting. */
    ck_assert_uint_eq(WaitForSingleObject(r.proxy.thread, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 0), WAIT_TIMEOUT);
    cancel_connectex(r.c, &ov);
    redirect_end(&r);
    WSACloseEvent(ov.hEvent);
}
END_TEST

/* A listener whose queue is full, with *FILLER the connection that fills
 * it: a connect to it waits, as to a host that drops the SYN (Linux drops
 * it while the accept queue is full). *PORT is its port. */
static SOCKET black_hole(int family, SOCKET *filler, USHORT *port)
{
    struct sockaddr_storage addr;
    int len = sock_loopback(family, &addr);
    SOCKET l = socket(family, SOCK_STREAM, IPPROTO_TCP);

    ck_assert_int_eq(bind(l, (struct sockaddr *)&addr, len), 0);
    ck_assert_int_eq(listen(l, 0), 0);
    ck_assert_int_eq(getsockname(l, (struct sockaddr *)&addr, &len), 0);
    *filler = socket(family, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_int_eq(connect(*filler, (struct sockaddr *)&addr, len), 0);
    *port = port_of(&addr);
    return l;
}

/* A redirected ConnectEx on a blocking socket (Go's kind) whose server
 * never answers the SYN, then cancelled: it ends at once, aborted, rather
 * than after the stack's connect timeout (minutes here). */
START_TEST(test_connectex_cancelled_in_connect)
{
    /* Not on the stack: a failed check leaves the ConnectEx to complete
     * into it later. */
    static WSAOVERLAPPED ov;
    struct redirect r = { 0 };
    SOCKET hole, filler;
    USHORT to;

    r.decoy = sock_listener(lb_family(_i), 0, 0, &r.aim, &r.aim_len);
    hole = black_hole(lb_family(_i), &filler, &to);
    policy(0, port_of(&r.aim), to);
    r.c = WSASocketW(lb_family(_i), SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert_msg(r.c != INVALID_SOCKET, "WSASocket: %d", WSAGetLastError());
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    connectex_issue(&r, NULL, &ov);
    ck_assert_uint_eq(WaitForSingleObject(ov.hEvent, 300), WAIT_TIMEOUT);
    cancel_connectex(r.c, &ov);
    ck_assert_msg(sock_wait_readable(r.decoy, 0) == 0,
                  "the redirected connect reached where the application aimed");
    closesocket(r.c);
    closesocket(filler);
    closesocket(hole);
    closesocket(r.decoy);
    WSACloseEvent(ov.hEvent);
}
END_TEST

/* A redirected ConnectEx on a port whose server never answers the SYN,
 * and the socket closed meanwhile (as Node.js does at a connect timeout):
 * closesocket returns, and one failed packet comes, aborted. Loop index:
 * family, then blocking (Go's sockets) or non-blocking (libuv's). */
START_TEST(test_connectex_closed_in_connect)
{
    static WSAOVERLAPPED ov;          /* not on the stack: as above */
    int family = lb_family(_i % LB_FAMILIES);
    struct redirect r = { 0 };
    OVERLAPPED *done = NULL;
    SOCKET hole, filler;
    ULONG_PTR key = 0;
    DWORD n = 0, error;
    HANDLE port;
    USHORT to;
    BOOL ok;

    r.decoy = sock_listener(family, 0, 0, &r.aim, &r.aim_len);
    hole = black_hole(family, &filler, &to);
    policy(0, port_of(&r.aim), to);
    r.c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert_msg(r.c != INVALID_SOCKET, "WSASocket: %d", WSAGetLastError());
    if (_i >= LB_FAMILIES)
        lb_set_nonblocking(r.c, 1);
    port = CreateIoCompletionPort((HANDLE)r.c, NULL, 9, 0);
    ck_assert_ptr_nonnull(port);
    memset(&ov, 0, sizeof(ov));
    connectex_issue(&r, NULL, &ov);
    ck_assert(!GetQueuedCompletionStatus(port, &n, &key, &done, 300));
    ck_assert_int_eq(closesocket(r.c), 0);
    ok = GetQueuedCompletionStatus(port, &n, &key, &done, LB_WAIT_MS);
    error = GetLastError();
    ck_assert_msg(done == (OVERLAPPED *)&ov && key == 9, "no packet for the ConnectEx");
    ck_assert_msg(!ok && (error == ERROR_OPERATION_ABORTED || error == ERROR_NETNAME_DELETED ||
                          error == ERROR_CONNECTION_ABORTED),
                  "the ConnectEx closed under way ended %d, error %lu", ok, error);
    ok = GetQueuedCompletionStatus(port, &n, &key, &done, 200);
    error = GetLastError();
    ck_assert_msg(!ok && error == WAIT_TIMEOUT, "a second packet (error %lu)", error);
    ck_assert_msg(sock_wait_readable(r.decoy, 0) == 0,
                  "the redirected connect reached where the application aimed");
    closesocket(filler);
    closesocket(hole);
    closesocket(r.decoy);
    CloseHandle(port);
}
END_TEST

/* A send the filter replaces: the peer gets the filter's bytes, the
 * application its own count. */
START_TEST(test_send_replaced)
{
    char in[sizeof(PROBE_REWRITTEN)];
    SOCKET c, s;

    sock_tcp_pair(lb_family(_i), 0, 0, &c, &s);
    ck_assert_int_eq(send(c, PROBE_REWRITE_ME, sizeof(PROBE_REWRITE_ME) - 1, 0),
                     sizeof(PROBE_REWRITE_ME) - 1);
    ck_assert_uint_eq(sock_recv_exact(s, in, sizeof(PROBE_REWRITTEN) - 1, LB_WAIT_MS),
                      sizeof(PROBE_REWRITTEN) - 1);
    ck_assert_int_eq(memcmp(in, PROBE_REWRITTEN, sizeof(PROBE_REWRITTEN) - 1), 0);
    sock_close_pair(c, s);
}
END_TEST

/* Receives the filter judges: a blocking one gets the filter's bytes,
 * one whose replacement does not fit fails with WSAENOBUFS, a denied one
 * with the filter's error. */
START_TEST(test_receive_replaced_or_denied)
{
    char in[64];
    SOCKET c, s;
    int n;

    sock_tcp_pair(lb_family(_i), 0, 0, &c, &s);
    ck_assert_int_eq(send(c, PROBE_SWAP_ME, sizeof(PROBE_SWAP_ME) - 1, 0),
                     sizeof(PROBE_SWAP_ME) - 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    n = recv(s, in, sizeof(in), 0);
    ck_assert_int_eq(n, sizeof(PROBE_SWAPPED) - 1);
    ck_assert_int_eq(memcmp(in, PROBE_SWAPPED, n), 0);
    ck_assert_int_eq(send(c, PROBE_GROW_ME, sizeof(PROBE_GROW_ME) - 1, 0),
                     sizeof(PROBE_GROW_ME) - 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    lb_assert_wsa_error(recv(s, in, sizeof(in), 0), WSAENOBUFS);
    ck_assert_int_eq(send(c, PROBE_DROP_ME, sizeof(PROBE_DROP_ME) - 1, 0),
                     sizeof(PROBE_DROP_ME) - 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    lb_assert_wsa_error(recv(s, in, sizeof(in), 0), WSAECONNABORTED);
    sock_close_pair(c, s);
}
END_TEST

/* An overlapped receive on a port, replaced as it completes: the count and
 * the bytes are the filter's, through the completion. */
START_TEST(test_overlapped_receive_replaced)
{
    char in[64];
    WSABUF buf = { sizeof(in), in };
    WSAOVERLAPPED ov = { 0 };
    OVERLAPPED *done = NULL;
    DWORD n = 0, flags = 0;
    ULONG_PTR key;
    HANDLE port;
    SOCKET c, s;
    int rc, err;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = sock_port_for_pair(c, 1, s, 2);
    rc = WSARecv(s, &buf, 1, NULL, &flags, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d, error %d", rc,
                  err);
    ck_assert_int_eq(send(c, PROBE_SWAP_ME, sizeof(PROBE_SWAP_ME) - 1, 0),
                     sizeof(PROBE_SWAP_ME) - 1);
    ck_assert(GetQueuedCompletionStatus(port, &n, &key, &done, LB_WAIT_MS));
    ck_assert_ptr_eq(done, (OVERLAPPED *)&ov);
    ck_assert_uint_eq(n, sizeof(PROBE_SWAPPED) - 1);
    ck_assert_int_eq(memcmp(in, PROBE_SWAPPED, n), 0);
    CloseHandle(port);
    sock_close_pair(c, s);
}
END_TEST

/* A connection AcceptEx takes is reported to the filter when AcceptEx
 * completes, with its peer. */
START_TEST(test_acceptex_reported)
{
    int family = lb_family(_i), len, rc, err;
    struct sock_connect_extensions ext;
    struct sockaddr_storage addr;
    char buf[2 * (sizeof(struct sockaddr_storage) + 16)];
    WSAOVERLAPPED ov = { 0 };
    LONG made0, gone0, taken0, made, gone, taken;
    DWORD got = 0, flags = 0;
    SOCKET l = sock_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len), a, c;

    a = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    c = socket(family, SOCK_STREAM, IPPROTO_TCP);
    sock_connect_extensions(l, c, &ext);
    ov.hEvent = WSACreateEvent();
    events(&made0, &gone0, &taken0);
    rc = ext.acceptex(l, a, buf, 0, sizeof(buf) / 2, sizeof(buf) / 2, &got, &ov);
    err = WSAGetLastError();
    ck_assert_msg(!rc && err == ERROR_IO_PENDING, "AcceptEx: %d, error %d", rc, err);
    ck_assert_int_eq(connect(c, (struct sockaddr *)&addr, len), 0);
    ck_assert(WSAGetOverlappedResult(l, &ov, &got, TRUE, &flags));
    events(&made, &gone, &taken);
    ck_assert_int_eq(taken - taken0, 1);
    WSACloseEvent(ov.hEvent);
    closesocket(a);
    sock_close_pair(c, l);
}
END_TEST

/* An overlapped send the filter replaces, on a port: the same, told
 * through the completion. */
START_TEST(test_overlapped_send_replaced)
{
    WSABUF buf = { sizeof(PROBE_REWRITE_ME) - 1, PROBE_REWRITE_ME };
    char in[sizeof(PROBE_REWRITTEN)];
    WSAOVERLAPPED ov = { 0 };
    OVERLAPPED *done = NULL;
    ULONG_PTR key;
    DWORD n = 0;
    HANDLE port;
    SOCKET c, s;
    int rc, err;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = sock_port_for_pair(c, 1, s, 2);
    rc = WSASend(c, &buf, 1, NULL, 0, &ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d, error %d", rc, err);
    ck_assert(GetQueuedCompletionStatus(port, &n, &key, &done, LB_WAIT_MS));
    ck_assert_ptr_eq(done, (OVERLAPPED *)&ov);
    ck_assert_uint_eq(n, sizeof(PROBE_REWRITE_ME) - 1);
    ck_assert_uint_eq(sock_recv_exact(s, in, sizeof(PROBE_REWRITTEN) - 1, LB_WAIT_MS),
                      sizeof(PROBE_REWRITTEN) - 1);
    ck_assert_int_eq(memcmp(in, PROBE_REWRITTEN, sizeof(PROBE_REWRITTEN) - 1), 0);
    CloseHandle(port);
    sock_close_pair(c, s);
}
END_TEST

/* The filter hears of every transfer, blocking and overlapped, both ways,
 * of each socket made, accepted and closed. */
START_TEST(test_transfers_and_sockets)
{
    LONG made0, gone0, taken0, made, gone, taken;
    ULONGLONG sent = 0, received = 0;
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 6, "sixsix" };
    DWORD n = 0, flags = 0;
    char in[16];
    SOCKET c, s;

    events(&made0, &gone0, &taken0);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(send(c, "four", 4, 0), 4);
    ov.hEvent = WSACreateEvent();
    ck_assert_msg(WSASend(c, &buf, 1, NULL, 0, &ov, NULL) == 0 ||
                  WSAGetLastError() == WSA_IO_PENDING, "WSASend: %d", WSAGetLastError());
    ck_assert(WSAGetOverlappedResult(c, &ov, &n, TRUE, &flags));
    ck_assert_uint_eq(sock_recv_exact(s, in, 10, LB_WAIT_MS), 10);
    ck_assert_int_eq(send(s, "back", 4, 0), 4);
    ck_assert_uint_eq(sock_recv_exact(c, in, 4, LB_WAIT_MS), 4);
    ck_assert(totals(c, &sent, &received));
    ck_assert_uint_eq(sent, 10);
    ck_assert_uint_eq(received, 4);
    ck_assert(totals(s, &sent, &received));
    ck_assert_uint_eq(sent, 4);
    ck_assert_uint_eq(received, 10);
    WSACloseEvent(ov.hEvent);
    sock_close_pair(c, s);
    events(&made, &gone, &taken);
    /* The listener, the client and the accepted socket. */
    ck_assert_int_ge(made - made0, 3);
    ck_assert_int_ge(gone - gone0, 3);
    ck_assert_int_ge(taken - taken0, 1);
}
END_TEST

static TCase *filter_tcase(const char *name)
{
    TCase *tc = tcase_create(name);

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    return tc;
}

Suite *lb_suite(void)
{
    Suite *s = suite_create("filters");
    TCase *verdicts = filter_tcase("verdicts"), *redirects = filter_tcase("redirects");

    tcase_add_loop_test(verdicts, test_connect_denied, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_sendto_denied, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_send_replaced, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_overlapped_send_replaced, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_acceptex_reported, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_receive_replaced_or_denied, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_overlapped_receive_replaced, 0, LB_FAMILIES);
    tcase_add_loop_test(verdicts, test_transfers_and_sockets, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connect_redirected, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connect_nonblocking_redirected, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connect_handshake_refused, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connectex_redirected, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connectex_refused, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connectex_cancelled_in_handshake, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connectex_cancelled_in_connect, 0, LB_FAMILIES);
    tcase_add_loop_test(redirects, test_connectex_closed_in_connect, 0, 2 * LB_FAMILIES);
    suite_add_tcase(s, verdicts);
    suite_add_tcase(s, redirects);
    return s;
}
