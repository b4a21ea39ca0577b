/* SPDX-License-Identifier: MIT */
/* layered_test.h: the test program run through the layered provider
 * (arrangement `layered`). It installs lspkit.dll into the catalog itself,
 * in an unchecked fixture around each test case (layered_install.h), and
 * then runs the clause tests over loopback with the loopback programs'
 * helpers (loopback_util.h).
 *
 * That a socket really goes through the provider is checked twice: its
 * SO_PROTOCOL_INFOW names one of the installed chain entries (L05), and
 * the provider's byte counts - read through the export
 * lspkit_inspect_counts of the tests' build of lspkit.dll (test/probes.mk,
 * provider/probe.h) - count its bytes. */
#ifndef LSPKIT_TEST_LAYERED_TEST_H
#define LSPKIT_TEST_LAYERED_TEST_H

#include "loopback_util.h"
#include "layered_install.h"
#include "layered_counts.h"

/* The provider as the fixture installed it: over TCP/UDP, IPv4/IPv6. */
extern struct layered_install layered_installed;

/* A test case whose tests run with the provider installed. */
TCase *layered_tcase(const char *name);

/* Asserts that S is a socket of the installed provider's chain `chain_len`
 * links long, whose first link is `installed`'s layered entry. */
void layered_assert_chain(SOCKET s, const struct layered_install *installed, int chain_len);

/* Asserts that S is a socket of the fixture's provider (a two-link chain). */
void layered_assert_through_lsp(SOCKET s);

/* A socket of the base entry beneath the provider's chain for (FAMILY,
 * TYPE), made by naming that entry, with WSASocket FLAGS: the baseline a
 * provider socket must answer like. */
SOCKET layered_base_socket(int family, int type, DWORD flags);

/* Runs EXPR on a provider socket and BASE_EXPR on a base one and asserts
 * that both fail alike: same return value, same error. */
#define layered_assert_same_error(expr, base_expr) do {                        \
        long long lt_ret_ = (long long)(expr);                                 \
        int lt_err_ = WSAGetLastError();                                       \
        long long lt_base_ret_ = (long long)(base_expr);                       \
        int lt_base_err_ = WSAGetLastError();                                  \
        ck_assert_msg(lt_ret_ == lt_base_ret_ && lt_err_ == lt_base_err_,      \
                      "%s: %lld (error %d), base: %lld (error %d)", #expr,     \
                      lt_ret_, lt_err_, lt_base_ret_, lt_base_err_);           \
        ck_assert_msg(lt_ret_ == SOCKET_ERROR, "%s did not fail", #expr);      \
    } while (0)

/* The provider's byte counters of S. */
void layered_counts(SOCKET s, ULONGLONG *sent, ULONGLONG *received);

/* Waits alertably until *COUNTER reaches AT_LEAST or TIMEOUT_MS passes. */
void layered_wait_alertable(volatile LONG *counter, LONG at_least, DWORD timeout_ms);

/* The test cases, one function per file. */
TCase *layered_chain_tcase(void);
TCase *layered_chain3_tcase(void);
TCase *layered_stream_tcase(void);
TCase *layered_overlapped_tcase(void);
TCase *layered_close_tcase(void);
TCase *layered_socket_tcase(void);
TCase *layered_extension_tcase(void);
TCase *layered_ready_tcase(void);

#endif
