/* SPDX-License-Identifier: MIT */
/* loopback_util.h: shared helpers of the loopback test programs.
 *
 * The loopback programs link only against the system's ws2_32/mswsock import
 * libraries (no lspkit code), so that the very same binary can run on Wine's
 * own Winsock (arrangement `host`) and through the lspkit front end
 * (`frontend`, `layered`): whatever differs between the runs is the project's.
 *
 * Every program defines lb_suite(); loopback_util.c holds main(), which runs
 * that suite without forking (there is no fork on Windows) under a watchdog so
 * that a hang ends the program with a message instead of stalling the run.
 *
 * Where Wine's ws2_32 departs from the documents, a program has two test
 * cases: one tagged LB_DOCUMENTED with the documented behaviour, one tagged
 * LB_WINE_DEPARTURE (its tests named *_wine_departure_*) pinning what Wine
 * does instead. The program's first argument says which to expect:
 *   PROGRAM.exe documents   (the default) runs all but LB_WINE_DEPARTURE
 *   PROGRAM.exe wine        runs all but LB_DOCUMENTED
 * so that test/loopback.list states the expectation of every arrangement.
 *
 * A second argument, `layered`, says a layered provider with non-IFS handles
 * sits in the path. Such a provider cannot see whether the application bound
 * its socket handle to a completion port (the binding never reaches it), so
 * the checks that need that knowledge (tag LB_PORT_AWARE, S31's second half)
 * give way to LB_LAYERED_DEPARTURE tests pinning what happens instead.
 */
#ifndef LSPKIT_TEST_LOOPBACK_UTIL_H
#define LSPKIT_TEST_LOOPBACK_UTIL_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <stddef.h>
#include <check.h>
#include "sockwait.h"

/* Loop tests run once per address family: index 0 is IPv4, 1 is IPv6. */
#define LB_FAMILIES 2

/* How long a test waits for something that should happen at once. */
#define LB_WAIT_MS 5000

/* Defined by each program: the tests it runs. */
Suite *lb_suite(void);

int lb_family(int index);

/* Checked fixture: WSAStartup(2.2) / WSACleanup around each test. */
void lb_setup(void);
void lb_teardown(void);

/* A test case with the Winsock fixture. */
TCase *lb_tcase(const char *name);

#define LB_DOCUMENTED "documented"
#define LB_WINE_DEPARTURE "wine_departure"
#define LB_PORT_AWARE "port_aware"
#define LB_LAYERED_DEPARTURE "layered_departure"
/* The same, tagged LB_DOCUMENTED or LB_WINE_DEPARTURE (see above). */
TCase *lb_tcase_tagged(const char *name, const char *tag);

/* Reads WSAGetLastError() right after EXPR, before Check can touch it, and
 * asserts that EXPR returned FAILVAL with error CODE. */
#define lb_assert_fails(expr, failval, code) do {                         \
        long lb_ret_ = (long)(expr);                                      \
        int lb_err_ = WSAGetLastError();                                  \
        ck_assert_msg(lb_ret_ == (long)(failval),                         \
                      "%s returned %ld, expected %ld (error %d)",         \
                      #expr, lb_ret_, (long)(failval), lb_err_);          \
        ck_assert_msg(lb_err_ == (code), "%s: error %d, expected %d",     \
                      #expr, lb_err_, (int)(code));                       \
    } while (0)

#define lb_assert_wsa_error(expr, code) lb_assert_fails(expr, SOCKET_ERROR, code)


/* Listeners and socket pairs: spicheck/sockwait.h's sock_listener,
 * sock_tcp_pair and sock_udp_pair, failing the test through sock_fail. */

void lb_set_nonblocking(SOCKET s, int on);

/* A receiving thread (spicheck/sockwait.h), started or the test fails. */
void lb_drain_start(struct sock_drain *d, SOCKET s, size_t len, DWORD delay_ms);
/* Joins the thread and asserts it received LEN bytes. */
void lb_drain_join(struct sock_drain *d);


#endif
