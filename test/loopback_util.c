/* SPDX-License-Identifier: MIT */
/* loopback_util.c: socket pairs, patterns, waits and main() of the loopback
 * test programs (see loopback_util.h). */
#include "loopback_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A program that has not finished after this long is hung: there is no
 * per-test timeout without fork, so one watchdog guards the whole run. It
 * fires before scripts/run-tests.sh's default limit (120 s), so that the
 * log says what happened; the programs take a few seconds. */
#define LB_WATCHDOG_MS 100000

int lb_family(int index)
{
    return index == 0 ? AF_INET : AF_INET6;
}

void lb_setup(void)
{
    WSADATA data;
    int rc = WSAStartup(MAKEWORD(2, 2), &data);
    ck_assert_int_eq(rc, 0);
    ck_assert_int_eq(data.wVersion, MAKEWORD(2, 2));
}

void lb_teardown(void)
{
    WSACleanup();
}

TCase *lb_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, lb_setup, lb_teardown);
    return tc;
}

TCase *lb_tcase_tagged(const char *name, const char *tag)
{
    TCase *tc = lb_tcase(name);
    tcase_set_tags(tc, tag);
    return tc;
}

/* The socket builders' failure (spicheck/sockwait.h): the test fails. */
void sock_fail(const char *fmt, ...)
{
    char reason[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    ck_abort_msg("socket setup: %s", reason);
    abort();                      /* Check's failure does not return */
}

void lb_set_nonblocking(SOCKET s, int on)
{
    u_long arg = on ? 1 : 0;
    ck_assert_int_eq(ioctlsocket(s, FIONBIO, &arg), 0);
}

void lb_drain_start(struct sock_drain *d, SOCKET s, size_t len, DWORD delay_ms)
{
    ck_assert_msg(sock_drain_start(d, s, len, delay_ms, LB_WAIT_MS),
                  "cannot start a receiving thread: %lu", GetLastError());
}

void lb_drain_join(struct sock_drain *d)
{
    ck_assert_msg(sock_drain_join(d), "receiver thread did not finish");
    ck_assert_msg(d->got == d->len, "receiver got %lu of %lu bytes", (unsigned long)d->got,
                  (unsigned long)d->len);
}

static DWORD WINAPI watchdog_main(void *arg)
{
    (void)arg;
    Sleep(LB_WATCHDOG_MS);
    fprintf(stderr, "watchdog: no result after %u ms, giving up (hung test)\n", LB_WATCHDOG_MS);
    fflush(stderr);
    ExitProcess(3);
}

/* The tags of the test cases NOT to run, from the expectation arguments;
 * NULL when they make no sense. */
static const char *excluded_tags(int argc, char **argv)
{
    const char *expect = argc > 1 ? argv[1] : "documents";
    BOOL layered = argc == 3 && strcmp(argv[2], "layered") == 0;

    if (argc > 3 || (argc == 3 && !layered))
        return NULL;
    if (strcmp(expect, "documents") == 0)
        return layered ? LB_WINE_DEPARTURE " " LB_PORT_AWARE
                       : LB_WINE_DEPARTURE " " LB_LAYERED_DEPARTURE;
    if (strcmp(expect, "wine") == 0)
        return layered ? LB_DOCUMENTED " " LB_PORT_AWARE
                       : LB_DOCUMENTED " " LB_LAYERED_DEPARTURE;
    return NULL;
}

/* With the `layered` argument, a TCP socket must come from a layered chain
 * (ChainLen > 1): otherwise the run would pass without the provider it is
 * meant to test. */
static BOOL layered_provider_in_path(void)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info);
    WSADATA data;
    SOCKET s;
    BOOL layered = FALSE;

    if (WSAStartup(MAKEWORD(2, 2), &data))
        return FALSE;
    s = socket(AF_INET, SOCK_STREAM, 0);
    if (s != INVALID_SOCKET
        && !getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len))
        layered = info.ProtocolChain.ChainLen > 1;
    if (s != INVALID_SOCKET)
        closesocket(s);
    WSACleanup();
    return layered;
}

int main(int argc, char **argv)
{
    /* Unbuffered output, so that what a hung program printed is not lost. */
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *exclude = excluded_tags(argc, argv);
    if (!exclude) {
        fprintf(stderr, "usage: %s [documents|wine [layered]]\n"
                "  documents  expect the documented behaviour everywhere (default)\n"
                "  wine       expect Wine's ws2_32 where it departs (tests *_wine_departure_*)\n"
                "  layered    a non-IFS layered provider is in the path (tests *_layered_departure_*)\n",
                argv[0]);
        return 2;
    }
    if (argc == 3 && !layered_provider_in_path()) {
        fprintf(stderr, "layered: TCP sockets do not come from a layered chain\n");
        return 2;
    }
    HANDLE dog = CreateThread(NULL, 0, watchdog_main, NULL, 0, NULL);
    if (!dog) {
        fprintf(stderr, "cannot start the watchdog thread\n");
        return 2;
    }
    SRunner *sr = srunner_create(lb_suite());
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_tagged(sr, NULL, NULL, NULL, exclude, CK_VERBOSE);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
