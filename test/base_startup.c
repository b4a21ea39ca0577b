/* SPDX-License-Identifier: MIT */
/* WSPStartup and WSPCleanup of the base provider. These tests start and
 * clean up themselves (no fixture): counting startups is what they check. */
#include <string.h>
#include "base_harness.h"

#define PROC_COUNT (sizeof(WSPPROC_TABLE) / sizeof(void (*)(void)))

/* L01: every entry of the proc table is filled and 2.2 is negotiated. */
START_TEST(test_L01_proc_table_complete_version_2_2)
{
    void (*entries[PROC_COUNT])(void);
    WSPPROC_TABLE table;
    WSPDATA data;
    size_t i;
    int err = 0;

    memset(&table, 0, sizeof(table));
    memset(&data, 0, sizeof(data));
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_tcp4, &table), 0);
    ck_assert_uint_eq(PROC_COUNT, 30);
    memcpy(entries, &table, sizeof(table));
    for (i = 0; i < PROC_COUNT; i++)
        ck_assert_msg(entries[i] != NULL, "proc table entry %u is NULL", (unsigned)i);
    ck_assert_uint_eq(data.wVersion, MAKEWORD(2, 2));
    ck_assert_uint_eq(data.wHighVersion, MAKEWORD(2, 2));
    ck_assert_msg(data.szDescription[0] != 0, "empty provider description");
    ck_assert_int_eq(table.lpWSPCleanup(&err), 0);
}
END_TEST

/* L01: a newer request is answered with 2.2, the version we implement. */
START_TEST(test_L01_newer_request_negotiates_2_2)
{
    WSPPROC_TABLE table;
    WSPDATA data;
    int err = 0;

    ck_assert_int_eq(base_startup(MAKEWORD(3, 0), &data, &entry_tcp4, &table), 0);
    ck_assert_uint_eq(data.wVersion, MAKEWORD(2, 2));
    ck_assert_int_eq(table.lpWSPCleanup(&err), 0);
}
END_TEST

/* An older request is refused, and leaves no startup behind. */
START_TEST(test_startup_refuses_old_version)
{
    WSPPROC_TABLE table;
    WSPDATA data;
    int err = 0;

    ck_assert_int_eq(base_startup(MAKEWORD(1, 1), &data, &entry_tcp4, &table),
                     WSAVERNOTSUPPORTED);
    ck_assert_int_eq(base_startup(MAKEWORD(2, 0), &data, &entry_tcp4, &table),
                     WSAVERNOTSUPPORTED);
    /* A successful startup gives us a cleanup to count with. */
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_tcp4, &table), 0);
    ck_assert_int_eq(table.lpWSPCleanup(&err), 0);
    base_assert_fails(table.lpWSPCleanup(&err), SOCKET_ERROR, err, WSANOTINITIALISED);
}
END_TEST

/* Bad arguments get an error code, never a crash. */
START_TEST(test_startup_bad_arguments)
{
    WSPUPCALLTABLE upcall_table = base_upcall_table();
    WSPPROC_TABLE table;
    WSPDATA data;
    LPWSPSTARTUP startup;

    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), NULL, &entry_tcp4, &table), WSAEFAULT);
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, NULL, &table), WSAEFAULT);
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_tcp4, NULL), WSAEFAULT);

    /* Without WPUModifyIFSHandle no socket could be registered. */
    startup = (LPWSPSTARTUP)GetProcAddress(GetModuleHandleW(L"lspkit_base.dll"), "WSPStartup");
    ck_assert_ptr_nonnull(startup);
    upcall_table.lpWPUModifyIFSHandle = NULL;
    ck_assert_int_eq(startup(MAKEWORD(2, 2), &data, &entry_tcp4, upcall_table, &table), WSAEINVAL);
}
END_TEST

/* Startups nest: each WSPCleanup undoes one, one more is refused. */
START_TEST(test_cleanup_counts_startups)
{
    WSPPROC_TABLE table;
    WSPDATA data;
    int err = 0;

    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_tcp4, &table), 0);
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_udp4, &table), 0);
    ck_assert_int_eq(table.lpWSPCleanup(&err), 0);
    ck_assert_int_eq(table.lpWSPCleanup(&err), 0);
    base_assert_fails(table.lpWSPCleanup(&err), SOCKET_ERROR, err, WSANOTINITIALISED);
}
END_TEST

/* After the last WSPCleanup the provider forgets its sockets and entries
 * (the front end may unload it): a new startup for another entry works,
 * and an info-less socket belongs to that entry, not to an old one. */
START_TEST(test_cleanup_then_restart_forgets)
{
    WSPDATA data;
    SOCKET s;
    int err = 0;

    memset(&upcalls, 0, sizeof(upcalls));
    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_tcp4, &procs), 0);
    s = t_socket(&entry_tcp4, WSA_FLAG_OVERLAPPED);
    t_close(s);
    ck_assert_int_eq(procs.lpWSPCleanup(&err), 0);

    ck_assert_int_eq(base_startup(MAKEWORD(2, 2), &data, &entry_tcp4b, &procs), 0);
    s = procs.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0, &err);
    ck_assert_msg(s != INVALID_SOCKET, "WSPSocket failed: %d", err);
    ck_assert_uint_eq(upcalls.modify_catalog_id, BASE_ID_TCP4B);
    t_close(s);
    ck_assert_int_eq(procs.lpWSPCleanup(&err), 0);

    /* A stale proc table creates nothing and crashes nothing. */
    base_assert_fails(procs.lpWSPSocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, 0, &err),
                      INVALID_SOCKET, err, WSANOTINITIALISED);
}
END_TEST

Suite *base_startup_suite(void)
{
    Suite *s = suite_create("base_startup");
    TCase *tc = tcase_create("startup");

    tcase_add_unchecked_fixture(tc, base_load, NULL);
    tcase_add_test(tc, test_L01_proc_table_complete_version_2_2);
    tcase_add_test(tc, test_L01_newer_request_negotiates_2_2);
    tcase_add_test(tc, test_startup_refuses_old_version);
    tcase_add_test(tc, test_startup_bad_arguments);
    tcase_add_test(tc, test_cleanup_counts_startups);
    tcase_add_test(tc, test_cleanup_then_restart_forgets);
    suite_add_tcase(s, tc);
    return s;
}
