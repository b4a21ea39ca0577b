/* SPDX-License-Identifier: MIT */
/* Blocking and non-blocking stream sends and receives, and the errors
 * that come back through lpErrno. */
#include <stdlib.h>
#include <string.h>
#include "base_harness.h"

#define CHUNK (64 * 1024)
#define MAX_FILL_CHUNKS 4096          /* 256 MiB: far beyond any loopback buffer */

/* S01: a send that completes at once returns 0 with the byte count. */
START_TEST(test_S01_blocking_send_recv)
{
    static const char msg[] = "hello, base provider";
    WSABUF buf = { sizeof(msg), (char *)msg };
    char got[sizeof(msg)];
    SOCKET client, server;
    DWORD sent = 0;
    int err = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPSend(client, &buf, 1, &sent, 0, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(sent, sizeof(msg));
    t_recv_exact(server, got, sizeof(got));
    ck_assert_str_eq(got, msg);
    t_close(client);
    t_close(server);
}
END_TEST

/* S12: several buffers are sent as one gather, in array order. */
START_TEST(test_S12_gather_in_order)
{
    WSABUF bufs[3] = { { 3, "abc" }, { 0, "" }, { 4, "defg" } };
    SOCKET client, server;
    char got[8] = { 0 };
    DWORD sent = 0;
    int err = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPSend(client, bufs, 3, &sent, 0, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(sent, 7);
    t_recv_exact(server, got, 7);
    ck_assert_str_eq(got, "abcdefg");
    t_close(client);
    t_close(server);
}
END_TEST

/* S23: sending on a stream socket that is not connected fails with
 * WSAENOTCONN, as documented, even though Wine 8's own socket answers
 * WSAECONNRESET (spi/base/send_checks.c corrects it). */
START_TEST(test_S23_send_unconnected)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    int err = 0;

    base_assert_fails(procs.lpWSPSend(s, &buf, 1, &sent, 0, NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAENOTCONN);
    t_close(s);
}
END_TEST

/* S24: sending on a closed handle. */
START_TEST(test_S24_send_closed_socket)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    int err = 0;

    t_close(s);
    base_assert_fails(procs.lpWSPSend(s, &buf, 1, &sent, 0, NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAENOTSOCK);
    base_assert_fails(procs.lpWSPSend(INVALID_SOCKET, &buf, 1, &sent, 0, NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAENOTSOCK);
}
END_TEST

/* S22: no sends after shutdown(SD_SEND); the peer sees the end of data. */
START_TEST(test_S22_send_after_shutdown)
{
    WSABUF buf = { 1, "x" }, rbuf;
    SOCKET client, server;
    DWORD sent = 0, got = 1, flags = 0;
    char c;
    int err = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPShutdown(client, SD_SEND, &err), 0);
    base_assert_fails(procs.lpWSPSend(client, &buf, 1, &sent, 0, NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAESHUTDOWN);
    rbuf.len = 1;
    rbuf.buf = &c;
    ck_assert_int_eq(procs.lpWSPRecv(server, &rbuf, 1, &got, &flags, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(got, 0);
    t_close(client);
    t_close(server);
}
END_TEST

/* B02: a zero-length send succeeds and sends nothing. */
START_TEST(test_B02_zero_length_send)
{
    WSABUF buf = { 0, "" };
    SOCKET client, server;
    DWORD sent = 99;
    int err = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPSend(client, &buf, 1, &sent, 0, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(sent, 0);
    t_close(client);
    t_close(server);
}
END_TEST

/* A non-blocking receive with nothing to read. */
START_TEST(test_nonblocking_recv_would_block)
{
    SOCKET client, server;
    char c;
    WSABUF buf = { 1, &c };
    DWORD got = 0, flags = 0;
    int err = 0;

    t_tcp_pair(&client, &server);
    t_nonblocking(server, TRUE);
    base_assert_fails(procs.lpWSPRecv(server, &buf, 1, &got, &flags, NULL, NULL, NULL, &err),
                      SOCKET_ERROR, err, WSAEWOULDBLOCK);
    t_close(client);
    t_close(server);
}
END_TEST

/* Sends chunks on non-blocking `s` until the transport is full; returns
 * how many bytes went out. */
static size_t fill_until_would_block(SOCKET s, char *chunk)
{
    WSABUF buf = { CHUNK, chunk };
    size_t total = 0;
    DWORD sent;
    int i, err = 0;

    for (i = 0; i < MAX_FILL_CHUNKS; i++) {
        if (procs.lpWSPSend(s, &buf, 1, &sent, 0, NULL, NULL, NULL, &err) == SOCKET_ERROR)
            break;
        total += sent;
    }
    ck_assert_msg(i < MAX_FILL_CHUNKS, "the transport never filled up");
    ck_assert_int_eq(err, WSAEWOULDBLOCK);
    return total;
}

/* Receives and discards `count` bytes. */
static void drain(SOCKET s, size_t count, char *chunk)
{
    while (count) {
        DWORD n = count < CHUNK ? (DWORD)count : CHUNK;
        t_recv_exact(s, chunk, n);
        count -= n;
    }
}

/* B03: a full non-blocking socket says WSAEWOULDBLOCK, and becomes
 * writable again once the peer reads. */
START_TEST(test_B03_would_block_then_writable)
{
    char *chunk = calloc(1, CHUNK);
    struct timeval wait = { BASE_WAIT_MS / 1000, 0 };
    SOCKET client, server;
    fd_set writable;
    size_t total;
    int err = 0;

    ck_assert_ptr_nonnull(chunk);
    t_tcp_pair(&client, &server);
    t_nonblocking(client, TRUE);
    total = fill_until_would_block(client, chunk);
    ck_assert_uint_gt(total, 0);
    drain(server, total, chunk);

    FD_ZERO(&writable);
    FD_SET(client, &writable);
    ck_assert_int_eq(procs.lpWSPSelect(0, NULL, &writable, NULL, &wait, &err), 1);
    ck_assert(FD_ISSET(client, &writable));
    t_close(client);
    t_close(server);
    free(chunk);
}
END_TEST

/* S07: a non-blocking send larger than the free space takes part of it. */
START_TEST(test_S07_partial_nonblocking_stream)
{
    const DWORD big = 16 * 1024 * 1024;
    char *chunk = calloc(1, CHUNK), *data = calloc(1, big);
    WSABUF buf = { big, data };
    SOCKET client, server;
    DWORD sent = 0;
    int err = 0;

    ck_assert_ptr_nonnull(chunk);
    ck_assert_ptr_nonnull(data);
    t_tcp_pair(&client, &server);
    t_nonblocking(client, TRUE);
    drain(server, fill_until_would_block(client, chunk), chunk);
    ck_assert_int_eq(procs.lpWSPSend(client, &buf, 1, &sent, 0, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_ge(sent, 1);
    ck_assert_uint_lt(sent, big);
    t_close(client);
    t_close(server);
    free(chunk);
    free(data);
}
END_TEST

struct reader {
    SOCKET s;
    DWORD expected;
    DWORD got;
    BOOL in_order;
};

/* Reads until `expected` bytes or the end, checking the byte pattern. */
static DWORD WINAPI read_all(void *arg)
{
    struct reader *r = arg;
    unsigned char buf[CHUNK];
    WSABUF wbuf = { sizeof(buf), (char *)buf };
    DWORD n, flags, i;
    int err;

    r->in_order = TRUE;
    while (r->got < r->expected) {
        flags = 0;
        if (procs.lpWSPRecv(r->s, &wbuf, 1, &n, &flags, NULL, NULL, NULL, &err) || !n)
            break;
        for (i = 0; i < n; i++)
            r->in_order &= buf[i] == (unsigned char)((r->got + i) % 251);
        r->got += n;
    }
    return 0;
}

/* S08: a blocking send waits until every byte is consumed. */
START_TEST(test_S08_blocking_send_consumes_everything)
{
    const DWORD big = 8 * 1024 * 1024;
    unsigned char *data = malloc(big);
    WSABUF buf = { big, (char *)data };
    struct reader r = { 0 };
    SOCKET client, server;
    HANDLE thread;
    DWORD sent = 0, i;
    int err = 0;

    ck_assert_ptr_nonnull(data);
    for (i = 0; i < big; i++)
        data[i] = (unsigned char)(i % 251);
    t_tcp_pair(&client, &server);
    r.s = server;
    r.expected = big;
    thread = CreateThread(NULL, 0, read_all, &r, 0, NULL);
    ck_assert_ptr_nonnull(thread);
    ck_assert_int_eq(procs.lpWSPSend(client, &buf, 1, &sent, 0, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(sent, big);
    ck_assert_uint_eq(WaitForSingleObject(thread, BASE_WAIT_MS * 4), WAIT_OBJECT_0);
    CloseHandle(thread);
    ck_assert_uint_eq(r.got, big);
    ck_assert(r.in_order);
    t_close(client);
    t_close(server);
    free(data);
}
END_TEST

/* S28: after the peer resets the connection, a send fails with
 * WSAECONNRESET (or is aborted) and the socket still closes cleanly. */
START_TEST(test_S28_send_after_peer_reset)
{
    struct linger hard = { 1, 0 };
    WSABUF buf = { 1, "x" };
    SOCKET client, server;
    DWORD sent = 0;
    int err = 0, i, ret = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPSetSockOpt(server, SOL_SOCKET, SO_LINGER, (char *)&hard,
                                           sizeof(hard), &err), 0);
    t_close(server);
    /* The RST may take a moment to arrive: a bounded number of tries. */
    for (i = 0; i < 50 && ret != SOCKET_ERROR; i++) {
        ret = procs.lpWSPSend(client, &buf, 1, &sent, 0, NULL, NULL, NULL, &err);
        if (ret != SOCKET_ERROR)
            Sleep(20);
    }
    ck_assert_int_eq(ret, SOCKET_ERROR);
    ck_assert_msg(err == WSAECONNRESET || err == WSAECONNABORTED, "lpErrno %d", err);
    t_close(client);
}
END_TEST

/* Local and peer names come from the system. */
START_TEST(test_names)
{
    struct sockaddr_in local, peer;
    int err = 0, llen = sizeof(local), plen = sizeof(peer);
    SOCKET client, server, lone;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPGetSockName(client, (struct sockaddr *)&local, &llen, &err), 0);
    ck_assert_int_eq(procs.lpWSPGetPeerName(server, (struct sockaddr *)&peer, &plen, &err), 0);
    ck_assert_uint_eq(local.sin_port, peer.sin_port);
    ck_assert_uint_eq(peer.sin_addr.s_addr, htonl(INADDR_LOOPBACK));

    lone = t_socket(&entry_tcp4, 0);
    plen = sizeof(peer);
    base_assert_fails(procs.lpWSPGetPeerName(lone, (struct sockaddr *)&peer, &plen, &err),
                      SOCKET_ERROR, err, WSAENOTCONN);
    t_close(lone);
    t_close(client);
    t_close(server);
}
END_TEST

/* WSPSendDisconnect ends the sending direction like shutdown(SD_SEND). */
START_TEST(test_send_disconnect)
{
    SOCKET client, server;
    char c;
    WSABUF buf = { 1, &c };
    DWORD got = 1, flags = 0;
    int err = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPSendDisconnect(client, NULL, &err), 0);
    ck_assert_int_eq(procs.lpWSPRecv(server, &buf, 1, &got, &flags, NULL, NULL, NULL, &err), 0);
    ck_assert_uint_eq(got, 0);
    ck_assert_int_eq(procs.lpWSPRecvDisconnect(server, NULL, &err), 0);
    t_close(client);
    t_close(server);
}
END_TEST

Suite *base_tcp_suite(void)
{
    Suite *s = suite_create("base_tcp");
    TCase *tc = base_tcase("tcp");

    tcase_add_test(tc, test_S01_blocking_send_recv);
    tcase_add_test(tc, test_S12_gather_in_order);
    tcase_add_test(tc, test_S23_send_unconnected);
    tcase_add_test(tc, test_S24_send_closed_socket);
    tcase_add_test(tc, test_S22_send_after_shutdown);
    tcase_add_test(tc, test_B02_zero_length_send);
    tcase_add_test(tc, test_nonblocking_recv_would_block);
    tcase_add_test(tc, test_B03_would_block_then_writable);
    tcase_add_test(tc, test_S07_partial_nonblocking_stream);
    tcase_add_test(tc, test_S08_blocking_send_consumes_everything);
    tcase_add_test(tc, test_S28_send_after_peer_reset);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_send_disconnect);
    suite_add_tcase(s, tc);
    return s;
}
