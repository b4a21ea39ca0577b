/* SPDX-License-Identifier: MIT */
/* catalog_test.h: helpers of the catalog test programs (catalog_store.exe,
 * wsc_api.exe), which run in the `frontend` arrangement: their ws2_32 is
 * lspkit's front end, and the catalog is the registry store it keeps.
 *
 * Each program defines ct_suites(); catalog_util.c holds main(), which saves
 * the WinSock2 catalog keys it finds, runs the suites without forking, and
 * puts the saved keys back. Every test starts from a freshly seeded
 * catalog (the checked fixture deletes the store) with WSAStartup done. */
#ifndef LSPKIT_TEST_CATALOG_TEST_H
#define LSPKIT_TEST_CATALOG_TEST_H

#include <winsock2.h>
#include <ws2spi.h>
#include <sporder.h>
#include <check.h>
#include <wchar.h>

#define CT_ROOT_KEY  L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"
#define CT_APPID_KEY L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\AppId_Catalog"
#define CT_NATIVE_KEY CT_ROOT_KEY L"\\Catalog_Entries64"
#define CT_32_KEY     CT_ROOT_KEY L"\\Catalog_Entries"
#define CT_BASE_PATH  L"%SystemRoot%\\system32\\lspkit_base.dll"
#define CT_BASE_ENTRIES 6   /* TCP, UDP, RAW over IPv4 and IPv6 */

/* A PackedCatalogItem as Windows lays it out. */
struct ct_packed {
    CHAR path[MAX_PATH];
    WSAPROTOCOL_INFOW info;
};

/* Defined by each program: its suites, NULL-terminated. */
Suite **ct_suites(void);

/* A test case with the fixture: a freshly seeded catalog, WSAStartup done. */
TCase *ct_tcase(const char *name);

/* Deletes the whole store (Protocol_Catalog9 and AppId_Catalog). */
void ct_delete_store(void);

/* Every entry of a catalog (WSCEnumProtocols / WSCEnumProtocols32), in
 * order, in a buffer the caller frees. */
WSAPROTOCOL_INFOW *ct_enum(BOOL catalog32, int *count);

/* The first entry of a catalog with this family, type and protocol. */
WSAPROTOCOL_INFOW ct_find(BOOL catalog32, int af, int type, int protocol);

/* The index of the entry with `id` in `list`, or -1. */
int ct_index_of(const WSAPROTOCOL_INFOW *list, int count, DWORD id);

/* How many entries of a catalog belong to `provider`. */
int ct_count_provider(BOOL catalog32, const GUID *provider);

/* What Wine's own ws2_32 reports (spi/sysws2.h), in a buffer the caller
 * frees. */
WSAPROTOCOL_INFOW *ct_system_protocols(int *count);

/* An entry to install: a copy of the seeded TCP/IPv4 entry with `name`
 * and ChainLen `chain_len` (0 layered, 1 base). */
WSAPROTOCOL_INFOW ct_protocol(const WCHAR *name, int chain_len);

/* Registry access to the store, 64-bit view. ct_open returns NULL when the
 * key is missing. */
HKEY ct_open(const WCHAR *path, REGSAM access);
/* A REG_DWORD value, or `fallback` when missing. */
DWORD ct_dword(const WCHAR *key, const WCHAR *name, DWORD fallback);
/* Writes raw bytes as the PackedCatalogItem of entry key `index` (1-based)
 * of a catalog, with registry type `type`. */
void ct_write_packed(BOOL catalog32, DWORD index, const void *data, DWORD size, DWORD type);
/* Reads the PackedCatalogItem of entry key `index`; returns its size. */
DWORD ct_read_packed(BOOL catalog32, DWORD index, struct ct_packed *out, DWORD *type);

/* Asserts that a WSC* call returned SOCKET_ERROR with *lpErrno == CODE.
 * ERRVAR is the int the call was given as lpErrno. */
#define ct_assert_wsc_error(expr, errvar, code) do {                         \
        int ct_ret_;                                                         \
        (errvar) = 0;                                                        \
        ct_ret_ = (expr);                                                    \
        ck_assert_msg(ct_ret_ == SOCKET_ERROR, "%s returned %d, not SOCKET_ERROR", \
                      #expr, ct_ret_);                                       \
        ck_assert_msg((errvar) == (code), "%s: error %d, expected %d (%s)",  \
                      #expr, (errvar), (int)(code), #code);                  \
    } while (0)

/* Asserts that a call returned SOCKET_ERROR with WSAGetLastError() == CODE,
 * reading the error before Check can reset it. */
#define ct_assert_wsa_error(expr, code) do {                                 \
        int ct_ret_ = (expr);                                                \
        int ct_err_ = WSAGetLastError();                                     \
        ck_assert_msg(ct_ret_ == SOCKET_ERROR, "%s returned %d, not SOCKET_ERROR", \
                      #expr, ct_ret_);                                       \
        ck_assert_msg(ct_err_ == (code), "%s: error %d, expected %d (%s)",   \
                      #expr, ct_err_, (int)(code), #code);                   \
    } while (0)

#define ct_assert_wstr_eq(a, b) do {                                        \
        const WCHAR *ct_a_ = (a), *ct_b_ = (b);                              \
        ck_assert_msg(!wcscmp(ct_a_, ct_b_), "\"%ls\" != \"%ls\"", ct_a_, ct_b_); \
    } while (0)

/* Asserts that a WSC* call succeeded (returned 0 or a count >= 0). */
#define ct_assert_wsc_ok(expr, errvar) do {                                  \
        int ct_ret_;                                                         \
        (errvar) = 0;                                                        \
        ct_ret_ = (expr);                                                    \
        ck_assert_msg(ct_ret_ != SOCKET_ERROR, "%s failed with %d", #expr, (errvar)); \
    } while (0)

#endif
