/* SPDX-License-Identifier: MIT */
/* layered_suite.c: the fixture that installs the provider, the checks
 * that a socket goes through it, and the suite. */
#include "layered_test.h"

struct layered_install layered_installed;

static const GUID layered_guid = { 0x6c5a1001, 0x6b1e, 0x4f3a, { 0x9d, 1, 2, 3, 4, 5, 6, 1 } };
static const GUID chain_guid = { 0x6c5a1002, 0x6b1e, 0x4f3a, { 0x9d, 1, 2, 3, 4, 5, 6, 2 } };

/* Unchecked: runs once around each test case, outside any WSAStartup. */
static void install(void)
{
    DWORD base[LAYERED_MAX_CHAINS];
    DWORD n = layered_base_entries(base, LAYERED_MAX_CHAINS);
    int error;

    ck_assert_uint_eq(n, 4);
    error = layered_install(LAYERED_DLL_PATH, &layered_guid, &chain_guid, base, n,
                            &layered_installed);
    ck_assert_msg(error == 0, "layered_install: %d", error);
}

static void uninstall(void)
{
    layered_uninstall(&layered_installed);
}

TCase *layered_tcase(const char *name)
{
    TCase *tc = lb_tcase(name);
    tcase_add_unchecked_fixture(tc, install, uninstall);
    return tc;
}

void layered_assert_chain(SOCKET s, const struct layered_install *installed, int chain_len)
{
    WSAPROTOCOL_INFOW info;
    int len = sizeof(info), rc = getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len);
    int err = WSAGetLastError();
    DWORD i;
    BOOL listed = FALSE;

    ck_assert_msg(rc == 0, "SO_PROTOCOL_INFOW: %d", err);
    for (i = 0; i < installed->chain_count; i++)
        listed |= info.dwCatalogEntryId == installed->chain_ids[i];
    ck_assert_msg(listed, "socket of catalog entry %lu, not one of the provider's chains",
                  (unsigned long)info.dwCatalogEntryId);
    ck_assert_int_eq(info.ProtocolChain.ChainLen, chain_len);
    ck_assert_uint_eq(info.ProtocolChain.ChainEntries[0], installed->layered_id);
    ck_assert_msg(!(info.dwServiceFlags1 & XP1_IFS_HANDLES), "chain entry claims IFS handles");
}

void layered_assert_through_lsp(SOCKET s)
{
    layered_assert_chain(s, &layered_installed, 2);
}

SOCKET layered_base_socket(int family, int type, DWORD flags)
{
    WSAPROTOCOL_INFOW chain, base;
    SOCKET s;
    DWORD i;

    for (i = 0; i < layered_installed.chain_count; i++) {
        ck_assert_int_eq(layered_catalog_entry(layered_installed.chain_ids[i], &chain), 0);
        if (chain.iAddressFamily != family || chain.iSocketType != type)
            continue;
        ck_assert_int_eq(layered_catalog_entry(chain.ProtocolChain.ChainEntries[1], &base), 0);
        s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &base, 0,
                       flags);
        ck_assert_msg(s != INVALID_SOCKET, "base socket: %d", WSAGetLastError());
        return s;
    }
    ck_abort_msg("no chain for family %d type %d", family, type);
    return INVALID_SOCKET;
}

void layered_counts(SOCKET s, ULONGLONG *sent, ULONGLONG *received)
{
    ck_assert_msg(layered_inspect_counts(s, sent, received),
                  "lspkit.dll is not loaded, or the socket is not one of its");
}

void layered_wait_alertable(volatile LONG *counter, LONG at_least, DWORD timeout_ms)
{
    ULONGLONG deadline = GetTickCount64() + timeout_ms;

    while (*counter < at_least && GetTickCount64() < deadline)
        SleepEx(10, TRUE);
}

Suite *lb_suite(void)
{
    Suite *suite = suite_create("layered");

    suite_add_tcase(suite, layered_chain_tcase());
    suite_add_tcase(suite, layered_stream_tcase());
    suite_add_tcase(suite, layered_overlapped_tcase());
    suite_add_tcase(suite, layered_close_tcase());
    suite_add_tcase(suite, layered_socket_tcase());
    suite_add_tcase(suite, layered_extension_tcase());
    suite_add_tcase(suite, layered_ready_tcase());
    suite_add_tcase(suite, layered_chain3_tcase());
    return suite;
}
