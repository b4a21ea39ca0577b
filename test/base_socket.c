/* SPDX-License-Identifier: MIT */
/* Socket creation, IFS registration, the socket's catalog entry
 * (SO_PROTOCOL_INFO), accept, duplication and closing. */
#include <string.h>
#include "base_harness.h"

static int system_socket_type(SOCKET s, int *err)
{
    int type = 0, len = sizeof(type);

    *err = 0;
    if (getsockopt(s, SOL_SOCKET, SO_TYPE, (char *)&type, &len))
        *err = WSAGetLastError();
    return type;
}

/* WSPSocket registers the system handle with WPUModifyIFSHandle under the
 * catalog id of the entry it was asked for, and returns that handle. */
START_TEST(test_socket_registers_ifs_handle)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    int err;

    ck_assert_int_eq(upcalls.modify_calls, 1);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_TCP4);
    ck_assert_uint_eq(upcalls.modify_proposed, s);
    /* An IFS handle is the system's own socket. */
    ck_assert_int_eq(system_socket_type(s, &err), SOCK_STREAM);
    t_close(s);
}
END_TEST

/* A second entry of the same provider (not the one it was started for)
 * registers under its own id; explicit af/type/protocol work too. */
START_TEST(test_socket_other_entry_and_explicit_triple)
{
    int err = 0, type_err;
    SOCKET u, t;

    u = t_socket(&entry_udp4, 0);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_UDP4);
    ck_assert_int_eq(system_socket_type(u, &type_err), SOCK_DGRAM);
    t = procs.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, &entry_tcp4b, 0, 0, &err);
    ck_assert_msg(t != INVALID_SOCKET, "WSPSocket failed: %d", err);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_TCP4B);
    t_close(u);
    t_close(t);
}
END_TEST

/* When the front end refuses the handle, its error comes back and the
 * system socket is closed rather than leaked. */
START_TEST(test_socket_refused_handle_is_closed)
{
    int err = 0, type_err;
    SOCKET s;

    upcalls.modify_fail_with = WSAENOBUFS;
    s = procs.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, &entry_tcp4, 0, 0, &err);
    upcalls.modify_fail_with = 0;
    base_assert_fails(s, INVALID_SOCKET, err, WSAENOBUFS);
    ck_assert_int_eq(upcalls.modify_calls, 1);
    system_socket_type(upcalls.modify_proposed, &type_err);
    ck_assert_int_eq(type_err, WSAENOTSOCK);
}
END_TEST

/* The system's own error comes back through lpErrno. */
START_TEST(test_socket_system_error_through_lpErrno)
{
    int err = 0;
    SOCKET s = procs.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_UDP, NULL, 0, 0, &err);
    int expected_err;
    SOCKET expected = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_UDP, NULL, 0, 0);

    expected_err = WSAGetLastError();
    ck_assert_uint_eq(expected, INVALID_SOCKET);
    base_assert_fails(s, INVALID_SOCKET, err, expected_err);
    ck_assert_int_eq(upcalls.modify_calls, 0);
}
END_TEST

/* An info that is not ours (here a layered entry above us) means nothing
 * to this provider: the system gets it whole, and the socket belongs to the
 * entry the provider was started for. */
START_TEST(test_socket_foreign_info_goes_to_system)
{
    static const GUID other_provider =
        { 0x12345678, 0x9abc, 0xdef0, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    WSAPROTOCOL_INFOW layered = entry_tcp4;
    int err = 0, type_err;
    SOCKET s;

    layered.ProviderId = other_provider;
    layered.dwCatalogEntryId = 7100;
    layered.ProtocolChain.ChainLen = 2;
    layered.ProtocolChain.ChainEntries[0] = 7100;
    layered.ProtocolChain.ChainEntries[1] = BASE_ID_TCP4;
    s = procs.lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &layered,
                          0, 0, &err);
    ck_assert_msg(s != INVALID_SOCKET, "WSPSocket failed: %d", err);
    ck_assert_int_eq(system_socket_type(s, &type_err), SOCK_STREAM);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_TCP4);
    t_close(s);
}
END_TEST

/* SO_PROTOCOL_INFOW describes the socket's entry in our
 * catalog, not the system's. */
START_TEST(test_protocol_info_is_our_entry)
{
    SOCKET s = t_socket(&entry_tcp4b, WSA_FLAG_OVERLAPPED);
    WSAPROTOCOL_INFOW info;
    int err = 0, len = sizeof(info);

    memset(&info, 0xcc, sizeof(info));
    ck_assert_int_eq(procs.lpWSPGetSockOpt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info,
                                           &len, &err), 0);
    ck_assert_int_eq(len, sizeof(info));
    ck_assert_uint_eq(info.dwCatalogEntryId, BASE_ID_TCP4B);
    ck_assert_msg(!memcmp(&info, &entry_tcp4b, sizeof(info)), "not the socket's entry");
    t_close(s);
}
END_TEST

START_TEST(test_protocol_info_narrow)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    WSAPROTOCOL_INFOA info;
    int err = 0, len = sizeof(info);

    ck_assert_int_eq(procs.lpWSPGetSockOpt(s, SOL_SOCKET, SO_PROTOCOL_INFOA, (char *)&info,
                                           &len, &err), 0);
    ck_assert_uint_eq(info.dwCatalogEntryId, BASE_ID_TCP4);
    ck_assert_str_eq(info.szProtocol, "lspkit test TCP/IPv4");
    t_close(s);
}
END_TEST

/* A short buffer gets the system's WSAEFAULT. */
START_TEST(test_protocol_info_short_buffer)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    WSAPROTOCOL_INFOW info;
    int err = 0, len = 10;

    base_assert_fails(procs.lpWSPGetSockOpt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info,
                                            &len, &err), SOCKET_ERROR, err, WSAEFAULT);
    t_close(s);
}
END_TEST

/* Accepted sockets are registered too, under the listening socket's entry. */
START_TEST(test_accept_registers_under_listener_entry)
{
    struct sockaddr_in addr, peer;
    SOCKET listener = t_listener(&entry_tcp4b, &addr);
    SOCKET client = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED), accepted;
    WSAPROTOCOL_INFOW info;
    int err = 0, len = sizeof(peer), info_len = sizeof(info);

    ck_assert_int_eq(procs.lpWSPConnect(client, (struct sockaddr *)&addr, sizeof(addr),
                                        NULL, NULL, NULL, NULL, &err), 0);
    upcalls.modify_calls = 0;
    accepted = procs.lpWSPAccept(listener, (struct sockaddr *)&peer, &len, NULL, 0, &err);
    ck_assert_msg(accepted != INVALID_SOCKET, "WSPAccept failed: %d", err);
    ck_assert_int_eq(upcalls.modify_calls, 1);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_TCP4B);
    ck_assert_uint_eq(upcalls.modify_proposed, accepted);
    ck_assert_int_eq(peer.sin_family, AF_INET);
    ck_assert_int_eq(procs.lpWSPGetSockOpt(accepted, SOL_SOCKET, SO_PROTOCOL_INFOW,
                                           (char *)&info, &info_len, &err), 0);
    ck_assert_uint_eq(info.dwCatalogEntryId, BASE_ID_TCP4B);
    t_close(accepted);
    t_close(client);
    t_close(listener);
}
END_TEST

/* A condition function that rejects makes WSPAccept fail with the
 * system's WSAECONNREFUSED, and nothing is registered. */
static int CALLBACK reject_all(LPWSABUF caller_id, LPWSABUF caller_data, LPQOS sqos,
                               LPQOS gqos, LPWSABUF callee_id, LPWSABUF callee_data,
                               GROUP *g, DWORD_PTR context)
{
    (void)caller_id; (void)caller_data; (void)sqos; (void)gqos;
    (void)callee_id; (void)callee_data; (void)g;
    ++*(int *)context;
    return CF_REJECT;
}

START_TEST(test_accept_condition_reject)
{
    struct sockaddr_in addr;
    SOCKET listener = t_listener(&entry_tcp4, &addr);
    SOCKET client = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    int err = 0, calls = 0;

    ck_assert_int_eq(procs.lpWSPConnect(client, (struct sockaddr *)&addr, sizeof(addr),
                                        NULL, NULL, NULL, NULL, &err), 0);
    upcalls.modify_calls = 0;
    base_assert_fails(procs.lpWSPAccept(listener, NULL, NULL, reject_all, (DWORD_PTR)&calls,
                                        &err), INVALID_SOCKET, err, WSAECONNREFUSED);
    ck_assert_int_eq(calls, 1);
    ck_assert_int_eq(upcalls.modify_calls, 0);
    t_close(client);
    t_close(listener);
}
END_TEST

/* Duplication hands out the system's info under our catalog id (so a front
 * end routes it back to us); WSPSocket turns it into a working socket of
 * the same entry. */
START_TEST(test_duplicate_socket_round_trip)
{
    WSAPROTOCOL_INFOW dup_info, info;
    SOCKET client, server, dup;
    char buf[5];
    int err = 0, len = sizeof(info);

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPDuplicateSocket(client, GetCurrentProcessId(), &dup_info, &err),
                     0);
    ck_assert_uint_eq(dup_info.dwCatalogEntryId, BASE_ID_TCP4);
    upcalls.modify_calls = 0;
    dup = procs.lpWSPSocket(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                            &dup_info, 0, WSA_FLAG_OVERLAPPED, &err);
    ck_assert_msg(dup != INVALID_SOCKET, "WSPSocket from duplicate failed: %d", err);
    ck_assert_uint_ne(dup, client);
    ck_assert_int_eq(upcalls.modify_calls, 1);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_TCP4);
    ck_assert_int_eq(procs.lpWSPGetSockOpt(dup, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info,
                                           &len, &err), 0);
    ck_assert_uint_eq(info.dwCatalogEntryId, BASE_ID_TCP4);

    /* The duplicate is the same connection. */
    t_close(client);
    t_send_all(dup, "dup!", 5);
    t_recv_exact(server, buf, 5);
    ck_assert_str_eq(buf, "dup!");
    t_close(dup);
    t_close(server);
}
END_TEST

/* S24: a closed handle is not a socket any more. */
START_TEST(test_S24_close_twice_not_a_socket)
{
    SOCKET s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    int err = 0;

    ck_assert_int_eq(procs.lpWSPCloseSocket(s, &err), 0);
    base_assert_fails(procs.lpWSPCloseSocket(s, &err), SOCKET_ERROR, err, WSAENOTSOCK);
}
END_TEST

Suite *base_socket_suite(void)
{
    Suite *s = suite_create("base_socket");
    TCase *tc = base_tcase("socket");

    tcase_add_test(tc, test_socket_registers_ifs_handle);
    tcase_add_test(tc, test_socket_other_entry_and_explicit_triple);
    tcase_add_test(tc, test_socket_refused_handle_is_closed);
    tcase_add_test(tc, test_socket_system_error_through_lpErrno);
    tcase_add_test(tc, test_socket_foreign_info_goes_to_system);
    tcase_add_test(tc, test_protocol_info_is_our_entry);
    tcase_add_test(tc, test_protocol_info_narrow);
    tcase_add_test(tc, test_protocol_info_short_buffer);
    tcase_add_test(tc, test_accept_registers_under_listener_entry);
    tcase_add_test(tc, test_accept_condition_reject);
    tcase_add_test(tc, test_duplicate_socket_round_trip);
    tcase_add_test(tc, test_S24_close_twice_not_a_socket);
    suite_add_tcase(s, tc);
    return s;
}
