/* SPDX-License-Identifier: MIT */
/* base_harness.h: the harness of the base provider tests (test/base_*.c).
 *
 * The tests play the front end: they load build/x64/lspkit_base.dll from
 * beside the test program, call its WSPStartup with catalog entries made
 * from the system's own (TCP and UDP over IPv4, under lspkit catalog ids and
 * ProviderId, as lspkit's catalog stores them) and an upcall table that
 * records WPUModifyIFSHandle and WPUQueueApc and fails loudly on anything
 * else. Then they drive the provider through its proc table only.
 */
#ifndef LSPKIT_TEST_BASE_HARNESS_H
#define LSPKIT_TEST_BASE_HARNESS_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <mswsock.h>
#include <windows.h>
#include <check.h>

/* How long a test waits for something that should happen at once. */
#define BASE_WAIT_MS 5000

/* The catalog ids the harness gives its entries. */
#define BASE_ID_TCP4  7001
#define BASE_ID_UDP4  7002
#define BASE_ID_TCP4B 7003

extern WSPPROC_TABLE procs;
extern WSPDATA wsp_data;

/* lspkit's view of the catalog: entry_tcp4 is the one WSPStartup is called
 * for; entry_tcp4b is a second TCP entry of the same provider. */
extern WSAPROTOCOL_INFOW entry_tcp4, entry_tcp4b, entry_udp4;

/* The system's own TCP/IPv4 entry, for comparisons. */
extern WSAPROTOCOL_INFOW system_tcp4;

/* What the provider asked of the upcall table since the last reset. */
struct upcall_record {
    LONG modify_calls;
    DWORD modify_catalog_id;      /* of the last call */
    SOCKET modify_proposed;       /* of the last call */
    int modify_fail_with;         /* set by a test: make the next calls fail */
    LONG apc_calls;
    LONG unexpected_calls;
    const char *unexpected_name;  /* the last unexpected upcall */
};
extern struct upcall_record upcalls;

/* Loads the provider (once) and builds the entries. */
void base_load(void);

/* The harness's upcall table. */
WSPUPCALLTABLE base_upcall_table(void);

/* Calls the provider's WSPStartup with the harness's upcall table. */
int base_startup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, LPWSPPROC_TABLE table);

/* Checked fixture: WSPStartup(2.2, entry_tcp4) before each test, WSPCleanup
 * and a check that no unexpected upcall happened after it. */
void base_setup(void);
void base_teardown(void);
TCase *base_tcase(const char *name);

/* Asserts that EXPR returned FAILVAL and left CODE in the int ERR (the
 * provider's lpErrno), reading both before Check can touch anything. */
#define base_assert_fails(expr, failval, err, code) do {                    \
        long long base_ret_ = (long long)(expr);                            \
        int base_err_ = (err);                                              \
        ck_assert_msg(base_ret_ == (long long)(failval),                    \
                      "%s returned %lld, expected %lld (lpErrno %d)",       \
                      #expr, base_ret_, (long long)(failval), base_err_);   \
        ck_assert_msg(base_err_ == (code), "%s: lpErrno %d, expected %d (%s)", \
                      #expr, base_err_, (int)(code), #code);                \
    } while (0)

/* Socket helpers through the provider; each asserts success. */
SOCKET t_socket(const WSAPROTOCOL_INFOW *entry, DWORD flags);
void t_close(SOCKET s);
SOCKET t_listener(const WSAPROTOCOL_INFOW *entry, struct sockaddr_in *addr);
void t_tcp_pair(SOCKET *client, SOCKET *server);
void t_udp_pair(SOCKET *a, SOCKET *b, struct sockaddr_in *addr_b);
void t_nonblocking(SOCKET s, BOOL on);
void t_send_all(SOCKET s, const void *data, DWORD len);
void t_recv_exact(SOCKET s, void *data, DWORD len);

/* The calling thread as a WSATHREADID (a real handle); release it after. */
void t_thread_id(WSATHREADID *id);
void t_release_thread_id(WSATHREADID *id);

/* Suites, one per file. */
Suite *base_startup_suite(void);
Suite *base_socket_suite(void);
Suite *base_tcp_suite(void);
Suite *base_overlapped_suite(void);
Suite *base_udp_suite(void);
Suite *base_select_suite(void);
Suite *base_ioctl_suite(void);
Suite *base_misc_suite(void);

#endif
