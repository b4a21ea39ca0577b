/* SPDX-License-Identifier: MIT */
/* Unit tests of common/hash.c: keys that share a chain, keys that repeat,
 * removal anywhere in a chain, and draining. */
#include <windows.h>
#include <check.h>
#include "run_suite.h"
#include "../hash.h"

struct entry {
    int id;
    struct hash_link link;
};

#define ENTRY(l) CONTAINING_RECORD(l, struct entry, link)

/* Two buckets, so that many keys share each chain. */
HASH_TABLE(small, 2);

static void empty_small(void)
{
    struct hash_link *l;

    while ((l = hash_any(&small)))
        hash_remove(&small, l);
}

START_TEST(test_finds_each_key_among_many_in_a_chain)
{
    struct entry e[64];

    empty_small();
    for (int i = 0; i < 64; i++) {
        e[i].id = i;
        hash_add(&small, &e[i].link, (ULONG_PTR)(0x1000 + 4 * i));
    }
    for (int i = 0; i < 64; i++) {
        struct hash_link *l = hash_first(&small, (ULONG_PTR)(0x1000 + 4 * i));

        ck_assert_ptr_nonnull(l);
        ck_assert_int_eq(ENTRY(l)->id, i);
        ck_assert_ptr_null(hash_next(l));
    }
    ck_assert_ptr_null(hash_first(&small, 0x999));
    empty_small();
}
END_TEST

START_TEST(test_repeated_key_gives_every_entry_newest_first)
{
    struct entry e[3] = { { 0, { 0 } }, { 1, { 0 } }, { 2, { 0 } } }, other = { 9, { 0 } };
    struct hash_link *l;
    int seen = 0;

    empty_small();
    hash_add(&small, &other.link, 0x2004);
    for (int i = 0; i < 3; i++)
        hash_add(&small, &e[i].link, 0x2000);
    for (l = hash_first(&small, 0x2000); l; l = hash_next(l))
        ck_assert_int_eq(ENTRY(l)->id, 2 - seen++);
    ck_assert_int_eq(seen, 3);
    empty_small();
}
END_TEST

START_TEST(test_remove_from_head_middle_and_tail)
{
    struct entry e[5];

    empty_small();
    for (int i = 0; i < 5; i++) {
        e[i].id = i;
        hash_add(&small, &e[i].link, (ULONG_PTR)(8 * i));
    }
    hash_remove(&small, &e[4].link);
    hash_remove(&small, &e[0].link);
    hash_remove(&small, &e[2].link);
    ck_assert_ptr_null(hash_first(&small, 0));
    ck_assert_ptr_null(hash_first(&small, 16));
    ck_assert_ptr_null(hash_first(&small, 32));
    ck_assert_int_eq(ENTRY(hash_first(&small, 8))->id, 1);
    ck_assert_int_eq(ENTRY(hash_first(&small, 24))->id, 3);
    empty_small();
}
END_TEST

START_TEST(test_any_drains_the_table)
{
    struct entry e[10];
    int drained = 0;
    struct hash_link *l;

    empty_small();
    for (int i = 0; i < 10; i++)
        hash_add(&small, &e[i].link, (ULONG_PTR)i);
    while ((l = hash_any(&small))) {
        hash_remove(&small, l);
        drained++;
    }
    ck_assert_int_eq(drained, 10);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("common_hash");
    TCase *tc = tcase_create("hash");

    tcase_add_test(tc, test_finds_each_key_among_many_in_a_chain);
    tcase_add_test(tc, test_repeated_key_gives_every_entry_newest_first);
    tcase_add_test(tc, test_remove_from_head_middle_and_tail);
    tcase_add_test(tc, test_any_drains_the_table);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
