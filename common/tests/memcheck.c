/* SPDX-License-Identifier: MIT */
/* Unit tests of common/memcheck.c: each kind of memory a caller may hand
 * over, and that a check leaves a guard page as it found it. */
#include <windows.h>
#include <check.h>
#include "run_suite.h"
#include "../memcheck.h"

/* Three pages: read-write, then PROTECT, then released address space. */
static char *three_pages(DWORD protect, SIZE_T *page)
{
    SYSTEM_INFO si;
    char *base;
    DWORD old;

    GetSystemInfo(&si);
    *page = si.dwPageSize;
    base = VirtualAlloc(NULL, 3 * *page, MEM_RESERVE, PAGE_NOACCESS);
    ck_assert_ptr_nonnull(base);
    ck_assert_ptr_nonnull(VirtualAlloc(base, 2 * *page, MEM_COMMIT, PAGE_READWRITE));
    ck_assert(VirtualProtect(base + *page, *page, protect, &old));
    return base;
}

START_TEST(test_committed_read_write_memory_is_both)
{
    char stack[64];
    char *heap = HeapAlloc(GetProcessHeap(), 0, 100);

    ck_assert(mem_readable(stack, sizeof(stack)) && mem_writable(stack, sizeof(stack)));
    ck_assert(mem_readable(heap, 100) && mem_writable(heap, 100));
    HeapFree(GetProcessHeap(), 0, heap);
}
END_TEST

START_TEST(test_empty_range_is_accessible_null_is_not)
{
    ck_assert(mem_readable(NULL, 0) && mem_writable(NULL, 0));
    ck_assert(!mem_readable(NULL, 1) && !mem_writable(NULL, 1));
    ck_assert(!mem_readable((void *)(UINT_PTR)-8, 16));
}
END_TEST

START_TEST(test_read_only_page_is_readable_not_writable)
{
    SIZE_T page;
    char *base = three_pages(PAGE_READONLY, &page);

    ck_assert(mem_readable(base + page, 10));
    ck_assert(!mem_writable(base + page, 10));
    /* A range that starts writable and runs into the read-only page. */
    ck_assert(mem_readable(base + page - 4, 8));
    ck_assert(!mem_writable(base + page - 4, 8));
    ck_assert(VirtualFree(base, 0, MEM_RELEASE));
}
END_TEST

START_TEST(test_no_access_and_reserved_pages_are_neither)
{
    SIZE_T page;
    char *base = three_pages(PAGE_NOACCESS, &page);

    ck_assert(!mem_readable(base + page, 1) && !mem_writable(base + page, 1));
    ck_assert(!mem_readable(base + 2 * page, 1) && !mem_writable(base + 2 * page, 1));
    ck_assert(!mem_readable(base, 2 * page));
    ck_assert(mem_writable(base, page));
    ck_assert(VirtualFree(base, 0, MEM_RELEASE));
}
END_TEST

/* The reason for the module: IsBadReadPtr would take the guard off. */
START_TEST(test_guard_page_is_refused_and_kept)
{
    MEMORY_BASIC_INFORMATION region;
    SIZE_T page;
    char *base = three_pages(PAGE_READWRITE | PAGE_GUARD, &page);

    ck_assert(!mem_readable(base + page, 1));
    ck_assert(!mem_writable(base + page, 1));
    ck_assert_uint_eq(VirtualQuery(base + page, &region, sizeof(region)), sizeof(region));
    ck_assert_msg(region.Protect & PAGE_GUARD, "the guard page lost its guard (%#lx)",
                  region.Protect);
    ck_assert(VirtualFree(base, 0, MEM_RELEASE));
}
END_TEST

START_TEST(test_released_memory_is_neither)
{
    SIZE_T page;
    char *base = three_pages(PAGE_READWRITE, &page);

    ck_assert(mem_writable(base, 2 * page));
    ck_assert(VirtualFree(base, 0, MEM_RELEASE));
    ck_assert(!mem_readable(base, 1) && !mem_writable(base, 1));
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("common_memcheck");
    TCase *tc = tcase_create("memcheck");

    tcase_add_test(tc, test_committed_read_write_memory_is_both);
    tcase_add_test(tc, test_empty_range_is_accessible_null_is_not);
    tcase_add_test(tc, test_read_only_page_is_readable_not_writable);
    tcase_add_test(tc, test_no_access_and_reserved_pages_are_neither);
    tcase_add_test(tc, test_guard_page_is_refused_and_kept);
    tcase_add_test(tc, test_released_memory_is_neither);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
