/* SPDX-License-Identifier: MIT */
/* layered_chain3.c: L02 - the provider finds its next link from its chain
 * entry alone. A second install of the same DLL, under new GUIDs, layers
 * over the first one's chains: sockets then cross the provider twice
 * (three links: second, first, base), the lower link a non-IFS provider
 * whose completions come through WPUCompleteOverlappedRequest. */
#include "layered_test.h"

#include <stdlib.h>
#include <string.h>

static struct layered_install upper;

static const GUID upper_layered = { 0x6c5a1003, 0x6b1e, 0x4f3a, { 0x9d, 1, 2, 3, 4, 5, 6, 3 } };
static const GUID upper_chain = { 0x6c5a1004, 0x6b1e, 0x4f3a, { 0x9d, 1, 2, 3, 4, 5, 6, 4 } };

/* Unchecked, after the main install (fixtures run in the order added). */
static void install_upper(void)
{
    int error = layered_install(LAYERED_DLL_PATH, &upper_layered, &upper_chain,
                                layered_installed.chain_ids, layered_installed.chain_count,
                                &upper);
    ck_assert_msg(error == 0, "layered_install (upper): %d", error);
}

static void uninstall_upper(void)
{
    layered_uninstall(&upper);
}

static volatile LONG calls;
static DWORD call_error, call_bytes;

static void CALLBACK count_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov; (void)flags;
    call_error = error;
    call_bytes = bytes;
    InterlockedIncrement(&calls);
}

START_TEST(test_L02_three_link_chain_carries_data)
{
    enum { TOTAL = 256 * 1024 };
    unsigned char *out = malloc(TOTAL);
    struct sock_drain drain;
    ULONGLONG sent, received;
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info);
    SOCKET c, s;

    ck_assert_ptr_nonnull(out);
    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    layered_assert_chain(c, &upper, 3);
    layered_assert_chain(s, &upper, 3);
    ck_assert_int_eq(getsockopt(c, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len), 0);
    ck_assert_uint_eq(info.ProtocolChain.ChainEntries[1], layered_installed.layered_id);
    pattern_fill(out, TOTAL, 30, 0);
    lb_drain_start(&drain, s, TOTAL, 0);
    ck_assert_int_eq(send(c, (char *)out, TOTAL, 0), TOTAL);
    lb_drain_join(&drain);
    ck_assert_uint_eq(pattern_mismatch(drain.buf, TOTAL, 30, 0), TOTAL);
    sock_drain_free(&drain);
    layered_counts(c, &sent, &received);
    ck_assert_uint_eq(sent, TOTAL);
    layered_counts(s, &sent, &received);
    ck_assert_uint_eq(received, TOTAL);
    free(out);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* Overlapped through both layers: event, routine and completion port. */
START_TEST(test_L02_three_link_chain_overlapped)
{
    WSAOVERLAPPED rov = { 0 }, sov = { 0 }, pov = { 0 };
    char in[32];
    WSABUF rbuf = { sizeof(in), in }, sbuf = { 6, "layers" };
    DWORD got = 0, flags = 0, sent = 0, n, f;
    ULONG_PTR key;
    LPOVERLAPPED ov;
    HANDLE port;
    SOCKET c, s;
    int rc, err;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    rov.hEvent = WSACreateEvent();
    rc = WSARecv(s, &rbuf, 1, &got, &flags, &rov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    lb_assert_fails(WSAGetOverlappedResult(s, &rov, &n, FALSE, &f), FALSE, WSA_IO_INCOMPLETE);

    calls = 0;
    rc = WSASend(c, &sbuf, 1, &sent, 0, &sov, count_routine);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d", err);
    layered_wait_alertable(&calls, 1, LB_WAIT_MS);
    ck_assert_int_eq(calls, 1);
    ck_assert_uint_eq(call_error, 0);
    ck_assert_uint_eq(call_bytes, 6);

    ck_assert_uint_eq(WaitForSingleObject(rov.hEvent, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(WSAGetOverlappedResult(s, &rov, &n, FALSE, &f));
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(memcmp(in, "layers", 6), 0);

    port = CreateIoCompletionPort((HANDLE)c, NULL, 3, 0);
    ck_assert_ptr_nonnull(port);
    rc = WSASend(c, &sbuf, 1, &sent, 0, &pov, NULL);
    err = WSAGetLastError();
    ck_assert_msg(rc == 0 || err == WSA_IO_PENDING, "WSASend: %d", err);
    ck_assert(GetQueuedCompletionStatus(port, &n, &key, &ov, LB_WAIT_MS));
    ck_assert_ptr_eq(ov, &pov);
    ck_assert_uint_eq(key, 3);
    ck_assert_uint_eq(n, 6);
    ck_assert(!GetQueuedCompletionStatus(port, &n, &key, &ov, 200));
    CloseHandle(port);
    WSACloseEvent(rov.hEvent);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* S29 through both layers: the pending receive completes once, failed. */
START_TEST(test_L02_three_link_chain_close_pending)
{
    WSAOVERLAPPED ov = { 0 };
    char in[16];
    WSABUF buf = { sizeof(in), in };
    DWORD got = 0, flags = 0;
    SOCKET c, s;
    int rc, err;

    sock_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    calls = 0;
    rc = WSARecv(s, &buf, 1, &got, &flags, &ov, count_routine);
    err = WSAGetLastError();
    ck_assert_msg(rc == SOCKET_ERROR && err == WSA_IO_PENDING, "WSARecv: %d %d", rc, err);
    ck_assert_int_eq(closesocket(s), 0);
    layered_wait_alertable(&calls, 1, LB_WAIT_MS);
    ck_assert_int_eq(calls, 1);
    ck_assert_uint_ne(call_error, 0);
    ck_assert_uint_eq(SleepEx(200, TRUE), 0);
    ck_assert_int_eq(calls, 1);
    closesocket(c);
}
END_TEST

TCase *layered_chain3_tcase(void)
{
    TCase *tc = layered_tcase("chain3");
    tcase_add_unchecked_fixture(tc, install_upper, uninstall_upper);
    tcase_add_loop_test(tc, test_L02_three_link_chain_carries_data, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L02_three_link_chain_overlapped, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L02_three_link_chain_close_pending, 0, LB_FAMILIES);
    return tc;
}
