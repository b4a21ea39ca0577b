/* SPDX-License-Identifier: MIT */
/* Unit tests of common/text.c, in UTF-8 (the same under any ANSI code
 * page): text that does not fit keeps its whole leading characters, and is
 * always terminated. */
#include <check.h>
#include "run_suite.h"
#include <string.h>
#include <wchar.h>
#include "../text.h"

START_TEST(test_fits)
{
    char out[16];

    ck_assert_str_eq(text_utf8(L"caf\x00e9", out, sizeof(out)), "caf\xc3\xa9");
    ck_assert_str_eq(text_utf8(L"", out, sizeof(out)), "");
}
END_TEST

/* "ab" then two 2-byte characters: with 4 bytes of room the second is
 * left out, with 3 both are, and nothing is cut in half. */
START_TEST(test_cut_at_a_whole_character)
{
    char out[8];

    memset(out, 'x', sizeof(out));
    ck_assert_str_eq(text_narrow(CP_UTF8, L"ab\x00e9\x00e9", -1, out, 5), "ab\xc3\xa9");
    ck_assert_str_eq(text_narrow(CP_UTF8, L"ab\x00e9\x00e9", -1, out, 4), "ab");
    ck_assert_str_eq(text_narrow(CP_UTF8, L"ab\x00e9\x00e9", -1, out, 1), "");
}
END_TEST

/* U+1F600 is a surrogate pair, four bytes in UTF-8: never half of it. */
START_TEST(test_never_half_a_pair)
{
    char out[8];

    ck_assert_str_eq(text_narrow(CP_UTF8, L"a\xd83d\xde00", -1, out, 6), "a\xf0\x9f\x98\x80");
    ck_assert_str_eq(text_narrow(CP_UTF8, L"a\xd83d\xde00", -1, out, 5), "a");
    ck_assert_str_eq(text_narrow(CP_UTF8, L"a\xd83d\xde00", -1, out, 3), "a");
}
END_TEST

/* A count reads no further than it says, terminator or not. */
START_TEST(test_counted_text)
{
    WCHAR unterminated[4] = { L'w', L'x', L'y', L'z' };
    char out[8];

    ck_assert_str_eq(text_narrow(CP_UTF8, unterminated, 4, out, sizeof(out)), "wxyz");
    ck_assert_str_eq(text_narrow(CP_UTF8, unterminated, 2, out, sizeof(out)), "wx");
}
END_TEST

/* A path far longer than the buffer keeps its beginning. */
START_TEST(test_long_path)
{
    static WCHAR path[32768];
    char out[MAX_PATH];

    wmemset(path, L'p', 32767);
    path[32767] = 0;
    ck_assert_uint_eq(strlen(text_utf8(path, out, sizeof(out))), MAX_PATH - 1);
    ck_assert_int_eq(out[0], 'p');
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("text");
    TCase *tc = tcase_create("narrow");

    tcase_add_test(tc, test_fits);
    tcase_add_test(tc, test_cut_at_a_whole_character);
    tcase_add_test(tc, test_never_half_a_pair);
    tcase_add_test(tc, test_counted_text);
    tcase_add_test(tc, test_long_path);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
