/* SPDX-License-Identifier: MIT */
/* filters_datagram.c: a filter's redirects of datagrams
 * (include/lspkit/filter.h, version 2), and its own connections (the
 * host's dial). The tests' filter (test/probe_filter) plays a SOCKS5
 * relay in miniature: a datagram the application sends to port FROM goes
 * to a relay socket of the test's at port TO, a head put before it, and
 * what the relay sends back with that head is given to the application
 * without it, as from port FROM. The socket at FROM is a decoy that must
 * get nothing. Run in the layered arrangement (test/filters.list). */
#include "loopback_util.h"
#include "probe_filter/probe_find.h"

#include <string.h>

#define HEAD_LEN (sizeof(PROBE_RELAY_HEAD) - 1)

static const struct probe_filter *probe;

static USHORT port_of(const struct sockaddr_storage *a)
{
    return ntohs(a->ss_family == AF_INET ? ((const struct sockaddr_in *)a)->sin_port
                                         : ((const struct sockaddr_in6 *)a)->sin6_port);
}

static void setup(void)
{
    lb_setup();
    probe = probe_filter_find();
}

static void teardown(void)
{
    probe->policy(0, 0, 0);
    lb_teardown();
}

/* The application's socket, the decoy it aims at, and the relay. */
struct relay {
    SOCKET app, decoy, relay;
    struct sockaddr_storage aim, relay_name, app_name;
    int aim_len, relay_len, app_len;
};

static void relay_begin(struct relay *r, int family)
{
    SOCKET spare;

    sock_udp_pair(family, &r->app, &r->decoy, &r->aim, &r->aim_len);
    sock_udp_pair(family, &spare, &r->relay, &r->relay_name, &r->relay_len);
    closesocket(spare);
    r->app_len = sizeof(r->app_name);
    ck_assert_int_eq(getsockname(r->app, (struct sockaddr *)&r->app_name, &r->app_len), 0);
    probe->policy(0, port_of(&r->aim), port_of(&r->relay_name));
}

/* The relay got exactly TEXT, from the application's socket. */
static void relay_expects(struct relay *r, const char *text)
{
    struct sockaddr_storage from;
    int from_len = sizeof(from), n;
    char got[256];

    ck_assert_int_eq(sock_wait_readable(r->relay, LB_WAIT_MS), 1);
    n = recvfrom(r->relay, got, sizeof(got), 0, (struct sockaddr *)&from, &from_len);
    ck_assert_int_eq(n, (int)strlen(text));
    ck_assert_int_eq(memcmp(got, text, n), 0);
    ck_assert_int_eq(port_of(&from), port_of(&r->app_name));
}

/* The relay sends TEXT back to the application's socket. */
static void relay_answers(struct relay *r, const char *text)
{
    ck_assert_int_eq(sendto(r->relay, text, (int)strlen(text), 0,
                            (struct sockaddr *)&r->app_name, r->app_len),
                     (int)strlen(text));
}

static void relay_end(struct relay *r)
{
    ck_assert_msg(sock_wait_readable(r->decoy, 0) == 0,
                  "a redirected datagram reached where the application aimed");
    closesocket(r->relay);
    sock_close_pair(r->app, r->decoy);
}

/* sendto and recvfrom: the datagram goes to the relay with the head, the
 * answer comes back without it, as from where the application aimed;
 * what the relay sends without the head, and a datagram redirected with
 * no replacement, go as they are. */
START_TEST(test_sendto_redirected)
{
    struct sockaddr_storage from;
    int from_len = sizeof(from), n;
    struct relay r;
    char got[64];

    relay_begin(&r, lb_family(_i));
    ck_assert_int_eq(sendto(r.app, "hello", 5, 0, (struct sockaddr *)&r.aim, r.aim_len), 5);
    relay_expects(&r, PROBE_RELAY_HEAD "hello");
    relay_answers(&r, PROBE_RELAY_HEAD "back");
    n = recvfrom(r.app, got, sizeof(got), 0, (struct sockaddr *)&from, &from_len);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(memcmp(got, "back", 4), 0);
    ck_assert_int_eq(from_len, r.aim_len);
    ck_assert_int_eq(memcmp(&from, &r.aim, r.aim_len), 0);

    relay_answers(&r, "plain");
    from_len = sizeof(from);
    n = recvfrom(r.app, got, sizeof(got), 0, (struct sockaddr *)&from, &from_len);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(port_of(&from), port_of(&r.relay_name));

    ck_assert_int_eq(sendto(r.app, PROBE_AS_IS "!", sizeof(PROBE_AS_IS), 0,
                            (struct sockaddr *)&r.aim, r.aim_len),
                     (int)sizeof(PROBE_AS_IS));
    relay_expects(&r, PROBE_AS_IS "!");
    relay_end(&r);
}
END_TEST

/* recv, which asks for no source, still gets the head taken off: the
 * filter is told the source all the same. */
START_TEST(test_recv_without_source)
{
    struct relay r;
    char got[64];

    relay_begin(&r, lb_family(_i));
    relay_answers(&r, PROBE_RELAY_HEAD "bare");
    ck_assert_int_eq(sock_wait_readable(r.app, LB_WAIT_MS), 1);
    ck_assert_int_eq(recvfrom(r.app, got, sizeof(got), 0, NULL, NULL), 4);
    ck_assert_int_eq(memcmp(got, "bare", 4), 0);
    relay_end(&r);
}
END_TEST

/* WSASendTo and WSARecvFrom on a completion port: the application's
 * count is its own, and the source is rewritten when the receive
 * completes, into the storage the application gave. */
START_TEST(test_overlapped_redirected)
{
    struct sockaddr_storage from;
    int from_len = sizeof(from);
    char in[64];
    WSABUF out_buf = { 4, "ping" }, in_buf = { sizeof(in), in };
    WSAOVERLAPPED send_ov = { 0 }, recv_ov = { 0 };
    OVERLAPPED *done;
    DWORD n = 0, flags = 0;
    ULONG_PTR key;
    HANDLE port;
    struct relay r;
    int rc, err;

    relay_begin(&r, lb_family(_i));
    port = CreateIoCompletionPort((HANDLE)r.app, NULL, 1, 0);
    ck_assert_ptr_nonnull(port);
    rc = WSARecvFrom(r.app, &in_buf, 1, NULL, &flags, (struct sockaddr *)&from, &from_len,
                     &recv_ov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecvFrom: %d, %d", rc, err);
    rc = WSASendTo(r.app, &out_buf, 1, NULL, 0, (struct sockaddr *)&r.aim, r.aim_len, &send_ov,
                   NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASendTo: %d, %d", rc, err);
    ck_assert(GetQueuedCompletionStatus(port, &n, &key, &done, LB_WAIT_MS));
    ck_assert_ptr_eq(done, (OVERLAPPED *)&send_ov);
    ck_assert_uint_eq(n, 4);
    relay_expects(&r, PROBE_RELAY_HEAD "ping");
    relay_answers(&r, PROBE_RELAY_HEAD "pong!");
    ck_assert(GetQueuedCompletionStatus(port, &n, &key, &done, LB_WAIT_MS));
    ck_assert_ptr_eq(done, (OVERLAPPED *)&recv_ov);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(memcmp(in, "pong!", 5), 0);
    ck_assert_int_eq(from_len, r.aim_len);
    ck_assert_int_eq(memcmp(&from, &r.aim, r.aim_len), 0);
    CloseHandle(port);
    relay_end(&r);
}
END_TEST

/* A datagram socket's connect redirected: it connects to the relay, with
 * no handshake; getpeername names where the application aimed, until the
 * socket is connected anew where no filter redirects it. */
START_TEST(test_connect_redirected)
{
    struct sockaddr_storage peer;
    int peer_len = sizeof(peer);
    struct relay r;
    char got[64];

    relay_begin(&r, lb_family(_i));
    ck_assert_int_eq(connect(r.app, (struct sockaddr *)&r.aim, r.aim_len), 0);
    ck_assert_int_eq(getpeername(r.app, (struct sockaddr *)&peer, &peer_len), 0);
    ck_assert_int_eq(peer_len, r.aim_len);
    ck_assert_int_eq(memcmp(&peer, &r.aim, r.aim_len), 0);
    ck_assert_int_eq(send(r.app, "dgram", 5, 0), 5);
    relay_expects(&r, "dgram");
    relay_answers(&r, "reply");
    ck_assert_int_eq(sock_wait_readable(r.app, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(r.app, got, sizeof(got), 0), 5);

    probe->policy(0, 0, 0);
    ck_assert_int_eq(connect(r.app, (struct sockaddr *)&r.relay_name, r.relay_len), 0);
    peer_len = sizeof(peer);
    ck_assert_int_eq(getpeername(r.app, (struct sockaddr *)&peer, &peer_len), 0);
    ck_assert_int_eq(port_of(&peer), port_of(&r.relay_name));
    relay_end(&r);
}
END_TEST

/* A server of the test's for the filter's own connection: it takes
 * "ping" and answers "pong". */
static DWORD WINAPI pong_main(void *arg)
{
    SOCKET l = (SOCKET)arg, c = accept(l, NULL, NULL);
    char got[4];
    DWORD ok;

    if (c == INVALID_SOCKET)
        return 1;
    ok = sock_recv_exact(c, got, 4, LB_WAIT_MS) == 4 && !memcmp(got, "ping", 4) &&
         send(c, "pong", 4, 0) == 4;
    closesocket(c);
    return ok ? 0 : 1;
}

/* The host's dial: a connection of the filter's own, which no filter
 * sees made; a refused one fails with the stack's error. */
START_TEST(test_dial)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sock_listener(lb_family(_i), 0, 0, &addr, &len);
    LONG made, gone, taken, made_after;
    char answer[4];
    HANDLE server;
    DWORD code;

    probe->events(&made, &gone, &taken);
    server = CreateThread(NULL, 0, pong_main, (void *)l, 0, NULL);
    ck_assert_ptr_nonnull(server);
    ck_assert_int_eq(probe->dial((struct sockaddr *)&addr, len, "ping", answer, 4), 0);
    ck_assert_int_eq(memcmp(answer, "pong", 4), 0);
    ck_assert_uint_eq(WaitForSingleObject(server, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeThread(server, &code) && code == 0);
    CloseHandle(server);
    probe->events(&made_after, &gone, &taken);
    /* The listener's accepted socket is one of lspkit's; the dial's is not. */
    ck_assert_int_eq(made_after - made, 1);
    closesocket(l);
    ck_assert_int_eq(probe->dial((struct sockaddr *)&addr, len, "ping", answer, 4),
                     WSAECONNREFUSED);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *s = suite_create("filters_datagram");
    TCase *tc = tcase_create("datagrams");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_sendto_redirected, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_recv_without_source, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_overlapped_redirected, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_connect_redirected, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_dial, 0, LB_FAMILIES);
    suite_add_tcase(s, tc);
    return s;
}
