/* SPDX-License-Identifier: MIT */
/* The bounded queue: a full queue drops and counts instead of waiting,
 * the count reaches the file as isb_ifdrop, and a dropped TCP record
 * leaves a visible gap rather than shifted bytes. */
#include <stdlib.h>
#include <string.h>
#include "capture_tests.h"
#include "capture_util.h"
#include "../queue.h"

static struct record *make_record(size_t charge)
{
    struct record *r = calloc(1, sizeof(*r));

    ck_assert_ptr_nonnull(r);
    r->charge = charge;
    return r;
}

static size_t list_length(struct record *r)
{
    size_t n = 0;

    for (; r; r = r->next)
        n++;
    return n;
}

/* Bound by count, then by bytes; a closed queue takes nothing and counts nothing. */
START_TEST(test_queue_bounds)
{
    struct queue q;
    struct record *r, *volatile list;
    ULONGLONG offered, dropped;

    queue_init(&q, 1000, 3);
    for (int i = 0; i < 5; i++) {
        r = make_record(10);
        if (!queue_push(&q, r))
            free(r);
    }
    queue_counts(&q, &offered, &dropped);
    ck_assert_uint_eq(offered, 5);
    ck_assert_uint_eq(dropped, 2);
    ck_assert(queue_full_hint(&q, 10));
    ck_assert(!queue_take(&q, 0, &list));
    ck_assert_uint_eq(list_length(list), 3);
    records_free(list);

    /* 600 + 300 fit in 1000, the next 200 does not, 100 does. */
    size_t sizes[] = { 600, 300, 200, 100 };
    BOOL fit[] = { TRUE, TRUE, FALSE, TRUE };
    for (int i = 0; i < 4; i++) {
        r = make_record(sizes[i]);
        ck_assert_int_eq(queue_full_hint(&q, sizes[i]), !fit[i]);
        ck_assert_int_eq(queue_push(&q, r), fit[i]);
        if (!fit[i])
            free(r);
    }
    queue_drop(&q);
    queue_counts(&q, &offered, &dropped);
    ck_assert_uint_eq(offered, 10);
    ck_assert_uint_eq(dropped, 4);

    queue_close(&q);
    r = make_record(1);
    ck_assert(!queue_push(&q, r));
    free(r);
    queue_counts(&q, &offered, &dropped);
    ck_assert_uint_eq(offered, 10);
    ck_assert(queue_take(&q, INFINITE, &list));
    ck_assert_uint_eq(list_length(list), 3);
    ck_assert_ptr_null(queue_abandoned(&q));
    records_free(list);
}
END_TEST

/* A record bigger than QueueBytes can never fit: it is dropped, counted in
 * the file's statistics, and the records around it are written. */
START_TEST(test_drop_reaches_isb)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE *big = malloc(100000);

    cu_dir("drop-isb", dir);
    cu_config_enable(dir);
    cu_config_dword(L"SnapLength", 200000);
    cu_config_dword(L"QueueBytes", 65536);
    capture_init();
    fake_socket(&fs, 0xB00, FALSE, &local, sa4(&local, 10, 0, 0, 1, 6000), &peer,
                sa4(&peer, 10, 0, 0, 2, 6001));
    cu_pattern(big, 100000, 5);
    fake_data(&fs, CAPTURE_SEND, "one", 3);
    fake_data(&fs, CAPTURE_SEND, big, 60000);    /* fits in 64 KiB with its record */
    fake_data(&fs, CAPTURE_SEND, big, 65500);    /* does not */
    fake_data(&fs, CAPTURE_SEND, "two", 3);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 3);
    ck_assert_uint_eq(f.packets[1].payload_len, 60000);
    ck_assert(!memcmp(f.packets[2].payload, "two", 3));
    ck_assert_int_ge(f.stats, 1);
    ck_assert_uint_eq(f.ifdrop, 1);
    ck_assert_uint_eq(f.ifrecv, 4);
    ck_assert_uint_eq(f.usrdeliv, 3);
    cap_free(&f);
    free(big);
}
END_TEST

/* A dropped TCP send: the sequence numbers go on past it, so the stream
 * shows exactly its bytes as missing. */
START_TEST(test_tcp_drop_leaves_gap)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE *data = malloc(100000), *got;
    long long gap;
    size_t n;

    cu_dir("drop-gap", dir);
    cu_config_enable(dir);
    cu_config_dword(L"SnapLength", 200000);
    cu_config_dword(L"QueueBytes", 65536);
    capture_init();
    fake_socket(&fs, 0xC00, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50500), &peer,
                sa4(&peer, 10, 0, 0, 2, 80));
    cu_pattern(data, 100000, 6);
    fake_data(&fs, CAPTURE_SEND, data, 100);
    fake_data(&fs, CAPTURE_SEND, data + 100, 99800);   /* dropped */
    fake_data(&fs, CAPTURE_SEND, data + 99900, 100);
    capture_shutdown();

    cu_read_capture(dir, &f);
    n = cap_tcp_stream(&f, 50500, 80, &got, &gap);
    ck_assert_uint_eq(n, 100000);
    ck_assert_int_eq(gap, 99800);
    ck_assert(!memcmp(got, data, 100) && !memcmp(got + 99900, data + 99900, 100));
    ck_assert_uint_eq(f.ifdrop, 1);
    free(got);
    cap_free(&f);
    free(data);
}
END_TEST

/* A dropped first record: the handshake comes with the next one. */
START_TEST(test_tcp_first_record_dropped)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE *data = malloc(70000), *got;
    long long gap;

    cu_dir("drop-first", dir);
    cu_config_enable(dir);
    cu_config_dword(L"QueueBytes", 65536);
    capture_init();
    fake_socket(&fs, 0xD00, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50600), &peer,
                sa4(&peer, 10, 0, 0, 2, 80));
    cu_pattern(data, 70000, 7);
    fake_data(&fs, CAPTURE_SEND, data, 69990);         /* dropped */
    fake_data(&fs, CAPTURE_SEND, data + 69990, 10);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 4);                     /* SYN, SYN-ACK, ACK, data */
    ck_assert_int_eq(f.packets[0].tcp_flags, 0x02);
    ck_assert_uint_eq(cap_tcp_stream(&f, 50600, 80, &got, &gap), 70000);
    ck_assert_int_eq(gap, 69990);
    free(got);
    cap_free(&f);
    free(data);
}
END_TEST

struct stress {
    struct fake_socket fs;
    int records;
};

static DWORD WINAPI stress_thread(void *arg)
{
    struct stress *s = arg;
    BYTE data[64];

    for (int i = 0; i < s->records; i++) {
        memcpy(data, &i, sizeof(i));
        fake_data(&s->fs, CAPTURE_SEND, data, sizeof(data));
    }
    return 0;
}

/* Many threads, a tiny queue: every record is written or counted as
 * dropped, and never waited for. */
START_TEST(test_many_threads_small_queue)
{
    enum { THREADS = 8, EACH = 3000 };
    struct sockaddr_storage local, peer;
    struct stress s[THREADS];
    HANDLE threads[THREADS];
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("stress", dir);
    cu_config_enable(dir);
    cu_config_dword(L"QueueRecords", 16);
    capture_init();
    for (int t = 0; t < THREADS; t++) {
        fake_socket(&s[t].fs, 0x1000 + 4 * t, FALSE, &local, sa4(&local, 10, 0, 0, 1, 7000 + t),
                    &peer, sa4(&peer, 10, 0, 0, 2, 7100));
        s[t].records = EACH;
        threads[t] = CreateThread(NULL, 0, stress_thread, &s[t], 0, NULL);
        ck_assert_ptr_nonnull(threads[t]);
    }
    WaitForMultipleObjects(THREADS, threads, TRUE, INFINITE);
    for (int t = 0; t < THREADS; t++)
        CloseHandle(threads[t]);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.ifrecv, THREADS * EACH);
    ck_assert_uint_eq(f.usrdeliv, f.count);
    ck_assert_uint_eq(f.count + f.ifdrop, THREADS * EACH);
    /* Each thread's datagrams stay in the order it sent them. */
    for (int t = 0; t < THREADS; t++) {
        int last = -1, i;

        for (size_t k = 0; k < f.count; k++) {
            if (f.packets[k].sport != 7000 + t)
                continue;
            memcpy(&i, f.packets[k].payload, sizeof(i));
            ck_assert_int_gt(i, last);
            last = i;
        }
    }
    cap_free(&f);
}
END_TEST

Suite *capture_queue_suite(void)
{
    Suite *s = suite_create("capture_queue");
    TCase *tc = tcase_create("queue");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_queue_bounds);
    tcase_add_test(tc, test_drop_reaches_isb);
    tcase_add_test(tc, test_tcp_drop_leaves_gap);
    tcase_add_test(tc, test_tcp_first_record_dropped);
    tcase_add_test(tc, test_many_threads_small_queue);
    suite_add_tcase(s, tc);
    return s;
}
