/* SPDX-License-Identifier: MIT */
/* WSCWriteProviderOrder(32): the documented failures change nothing. */
#include "catalog_test.h"

#include <stdlib.h>
#include <string.h>

static GUID guid_a = { 0x6c6b7370, 0x0004, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 0x0a } };

static int catalog_ids(BOOL catalog32, DWORD *ids)
{
    WSAPROTOCOL_INFOW *list;
    int n, i;

    list = ct_enum(catalog32, &n);
    for (i = 0; i < n; i++)
        ids[i] = list[i].dwCatalogEntryId;
    free(list);
    return n;
}

START_TEST(test_order_errors)
{
    DWORD ids[64], again[64], serial;
    int n = catalog_ids(FALSE, ids), i;

    serial = ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0);
    ck_assert_int_eq(WSCWriteProviderOrder(NULL, n), WSAEINVAL);
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n - 1), WSAEINVAL);     /* not every entry */
    ck_assert_int_eq(WSCWriteProviderOrder(ids, 0), WSAEINVAL);
    memcpy(again, ids, sizeof(ids));
    again[0] = 999999;                                                 /* unknown id */
    ck_assert_int_eq(WSCWriteProviderOrder(again, n), WSAEINVAL);
    again[0] = ids[1];                                                 /* twice */
    ck_assert_int_eq(WSCWriteProviderOrder(again, n), WSAEINVAL);
    ck_assert_uint_eq(ct_dword(CT_ROOT_KEY, L"Serial_Access_Num", 0), serial);
    ck_assert_int_eq(catalog_ids(FALSE, again), n);
    for (i = 0; i < n; i++)
        ck_assert_uint_eq(again[i], ids[i]);
}
END_TEST

/* Hidden and layered entries count too: an order must name them. */
START_TEST(test_order_includes_hidden)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit order layered", LAYERED_PROTOCOL);
    WSAPROTOCOL_INFOW visible[64];
    DWORD ids[64], now[64], len = sizeof(visible), layered;
    int n, i, err;

    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, L"x.dll", &info, 1, &err), err);
    n = WSAEnumProtocolsW(NULL, visible, &len);
    for (i = 0; i < n; i++)
        ids[i] = visible[i].dwCatalogEntryId;
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n), WSAEINVAL);
    n = catalog_ids(FALSE, ids);
    layered = ids[n - 1];   /* the layered entry goes first */
    memmove(&ids[1], &ids[0], (n - 1) * sizeof(ids[0]));
    ids[0] = layered;
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n), 0);
    ck_assert_int_eq(catalog_ids(FALSE, now), n);
    ck_assert(!memcmp(now, ids, n * sizeof(DWORD)));
}
END_TEST

/* An entry moved to the top is the one applications meet first. */
START_TEST(test_order_moves_entry_first)
{
    WSAPROTOCOL_INFOW info = ct_protocol(L"lspkit first", BASE_PROTOCOL), visible[64];
    DWORD ids[64], len = sizeof(visible), moved;
    int n, err;

    ct_assert_wsc_ok(WSCInstallProvider(&guid_a, L"x.dll", &info, 1, &err), err);
    n = catalog_ids(FALSE, ids);
    moved = ids[n - 1];
    memmove(&ids[1], &ids[0], (n - 1) * sizeof(ids[0]));
    ids[0] = moved;
    ck_assert_int_eq(WSCWriteProviderOrder(ids, n), 0);
    ck_assert_int_eq(WSAEnumProtocolsW(NULL, visible, &len), n);
    ck_assert_uint_eq(visible[0].dwCatalogEntryId, moved);
    ct_assert_wstr_eq(visible[0].szProtocol, L"lspkit first");
}
END_TEST

/* WSCWriteProviderOrder32 orders the 32-bit catalog alone. */
START_TEST(test_order32)
{
    DWORD ids[64], ids32[64], now[64];
    int n = catalog_ids(FALSE, ids), n32 = catalog_ids(TRUE, ids32), i;

    for (i = 0; i < n32 / 2; i++) {
        DWORD t = ids32[i];
        ids32[i] = ids32[n32 - 1 - i];
        ids32[n32 - 1 - i] = t;
    }
    ck_assert_int_eq(WSCWriteProviderOrder32(ids32, n32 - 1), WSAEINVAL);
    ck_assert_int_eq(WSCWriteProviderOrder32(ids32, n32), 0);
    ck_assert_int_eq(catalog_ids(TRUE, now), n32);
    ck_assert(!memcmp(now, ids32, n32 * sizeof(DWORD)));
    ck_assert_int_eq(catalog_ids(FALSE, now), n);
    ck_assert(!memcmp(now, ids, n * sizeof(DWORD)));
}
END_TEST

Suite *wsc_order_suite(void)
{
    Suite *s = suite_create("wsc_order");
    TCase *tc = ct_tcase("order");

    tcase_add_test(tc, test_order_errors);
    tcase_add_test(tc, test_order_includes_hidden);
    tcase_add_test(tc, test_order_moves_entry_first);
    tcase_add_test(tc, test_order32);
    suite_add_tcase(s, tc);
    return s;
}
