/* SPDX-License-Identifier: MIT */
/* Unit tests of common/protocol_info.c: both conversions keep every field
 * before the name, read no further than the name's field, and always
 * terminate the name. Plain Wine runs them (no Winsock call is made). */
#include <check.h>
#include "run_suite.h"
#include <string.h>
#include <wchar.h>
#include "../protocol_info.h"

static void fill_fields(WSAPROTOCOL_INFOW *wide)
{
    memset(wide, 0x5a, sizeof(*wide));
    wide->dwCatalogEntryId = 1042;
    wide->iAddressFamily = AF_INET6;
}

START_TEST(test_narrow_keeps_fields_and_name)
{
    WSAPROTOCOL_INFOW wide;
    WSAPROTOCOL_INFOA narrow;

    fill_fields(&wide);
    wcscpy(wide.szProtocol, L"lspkit over MSAFD Tcpip [TCP/IP]");
    memset(&narrow, 0x7f, sizeof(narrow));
    protocol_info_narrow(&wide, &narrow);
    ck_assert_int_eq(memcmp(&narrow, &wide, offsetof(WSAPROTOCOL_INFOA, szProtocol)), 0);
    ck_assert_str_eq(narrow.szProtocol, "lspkit over MSAFD Tcpip [TCP/IP]");
}
END_TEST

/* A name that fills its field, and one with no terminator at all (as a
 * buggy provider's entry may have): 255 characters, terminated. */
START_TEST(test_narrow_full_and_unterminated_names)
{
    WSAPROTOCOL_INFOW wide;
    WSAPROTOCOL_INFOA narrow;
    int terminated = _i;

    fill_fields(&wide);
    wmemset(wide.szProtocol, L'n', WSAPROTOCOL_LEN + 1);
    if (terminated)
        wide.szProtocol[WSAPROTOCOL_LEN] = L'\0';
    memset(narrow.szProtocol, 0x7f, sizeof(narrow.szProtocol));
    protocol_info_narrow(&wide, &narrow);
    ck_assert_uint_eq(strnlen(narrow.szProtocol, sizeof(narrow.szProtocol)), WSAPROTOCOL_LEN);
    ck_assert_int_eq(narrow.szProtocol[0], 'n');
    ck_assert_int_eq(narrow.szProtocol[WSAPROTOCOL_LEN - 1], 'n');
}
END_TEST

START_TEST(test_widen_keeps_fields_and_name)
{
    WSAPROTOCOL_INFOW wide, back;
    WSAPROTOCOL_INFOA narrow;

    fill_fields(&wide);
    wcscpy(wide.szProtocol, L"MSAFD Tcpip [UDP/IP]");
    protocol_info_narrow(&wide, &narrow);
    memset(&back, 0x7f, sizeof(back));
    ck_assert(protocol_info_widen(&narrow, &back));
    ck_assert_int_eq(memcmp(&back, &wide, offsetof(WSAPROTOCOL_INFOW, szProtocol)), 0);
    ck_assert(wcscmp(back.szProtocol, L"MSAFD Tcpip [UDP/IP]") == 0);
}
END_TEST

/* An application's structure whose name has no terminator: read no further
 * than the field, and terminate. */
START_TEST(test_widen_unterminated_name)
{
    struct {
        WSAPROTOCOL_INFOA info;
        char after[16];
    } narrow;
    WSAPROTOCOL_INFOW wide;

    memset(&narrow, 'w', sizeof(narrow));
    ck_assert(protocol_info_widen(&narrow.info, &wide));
    ck_assert_uint_eq(wcsnlen(wide.szProtocol, WSAPROTOCOL_LEN + 1), WSAPROTOCOL_LEN);
    ck_assert(wide.szProtocol[WSAPROTOCOL_LEN - 1] == L'w');
}
END_TEST

START_TEST(test_widen_empty_name)
{
    WSAPROTOCOL_INFOA narrow;
    WSAPROTOCOL_INFOW wide;

    memset(&narrow, 0, sizeof(narrow));
    wmemset(wide.szProtocol, L'x', WSAPROTOCOL_LEN + 1);
    ck_assert(protocol_info_widen(&narrow, &wide));
    ck_assert(wide.szProtocol[0] == L'\0');
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("protocol_info");
    TCase *tc = tcase_create("convert");

    tcase_add_test(tc, test_narrow_keeps_fields_and_name);
    tcase_add_loop_test(tc, test_narrow_full_and_unterminated_names, 0, 2);
    tcase_add_test(tc, test_widen_keeps_fields_and_name);
    tcase_add_test(tc, test_widen_unterminated_name);
    tcase_add_test(tc, test_widen_empty_name);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
