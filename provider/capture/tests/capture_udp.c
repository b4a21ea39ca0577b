/* SPDX-License-Identifier: MIT */
/* UDP through the capture: one packet per datagram with its real ends,
 * whether the peer comes with the call (sendto, recvfrom) or from the
 * connected socket; empty datagrams stay empty and failed calls carry no
 * payload. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_tests.h"
#include "capture_util.h"

static void expect_datagram(const struct cap_file *f, size_t i, USHORT sport, USHORT dport,
                            const void *data, DWORD len)
{
    const struct cap_packet *p;

    ck_assert_uint_lt(i, f->count);
    p = &f->packets[i];
    ck_assert(!p->tcp);
    ck_assert_int_eq(p->sport, sport);
    ck_assert_int_eq(p->dport, dport);
    ck_assert_uint_eq(p->payload_len, len);
    ck_assert_uint_eq(p->payload_captured, len);
    ck_assert(len == 0 || !memcmp(p->payload, data, len));
    ck_assert_msg(p->checksums_ok, "datagram %zu: bad checksum", i);
}

/* An unconnected IPv4 socket: sendto and recvfrom with several peers. */
START_TEST(test_udp_ipv4_sendto_recvfrom)
{
    struct sockaddr_storage local, a, b;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    WSABUF two[2] = { { 3, "abc" }, { 4, "defg" } };
    WSABUF one = { 5, "hello" };
    char prefix[160];
    int alen, blen;

    cu_dir("udp4", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x700, FALSE, &local, sa4(&local, 0, 0, 0, 0, 5353), NULL, 0);
    alen = sa4(&a, 192, 0, 2, 1, 53);
    blen = sa4(&b, 192, 0, 2, 2, 123);
    fake_call(&fs, CAPTURE_SEND, two, 2, 7, 0, 0, &a, alen);
    fake_call(&fs, CAPTURE_SEND, &one, 1, 5, 0, 0, &b, blen);
    fake_call(&fs, CAPTURE_RECEIVE, &one, 1, 5, 0, 0, &a, alen);
    fake_call(&fs, CAPTURE_SEND, &one, 1, 0, 0, 0, &b, blen);          /* empty datagram */
    fake_call(&fs, CAPTURE_SEND, &one, 1, 5, WSAEMSGSIZE, 0, &a, alen);
    /* A peek leaves the datagram queued: not a receive yet. */
    fake_call(&fs, CAPTURE_RECEIVE, &one, 1, 5, 0, MSG_PEEK, &a, alen);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 5);
    expect_datagram(&f, 0, 5353, 53, "abcdefg", 7);
    ck_assert(!memcmp(f.packets[0].dst, "\xc0\x00\x02\x01", 4));
    expect_datagram(&f, 1, 5353, 123, "hello", 5);
    expect_datagram(&f, 2, 53, 5353, "hello", 5);
    ck_assert_uint_eq(f.packets[2].epb_flags & 3, 1);
    expect_datagram(&f, 3, 5353, 123, "", 0);
    expect_datagram(&f, 4, 5353, 53, "", 0);
    cu_comment_prefix(prefix, sizeof(prefix), "send", fs.s);
    ck_assert_msg(strstr(f.packets[4].comment, prefix) &&
                  strstr(f.packets[4].comment, "failed, error 10040 (WSAEMSGSIZE)"),
                  "comment: %s", f.packets[4].comment);
    /* The local address was asked once; the peer never (each call had one). */
    ck_assert_int_eq(fs.asked, 1);
    cap_free(&f);
}
END_TEST

/* A connected IPv6 socket: send and recv without addresses, and a
 * datagram as large as UDP allows. */
START_TEST(test_udp_ipv6_connected)
{
    enum { LARGE = 65507 };
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE *big = malloc(LARGE);

    cu_dir("udp6", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x800, FALSE, &local, sa6(&local, 1, 60000), &peer, sa6(&peer, 2, 9000));
    cu_pattern(big, LARGE, 4);
    fake_data(&fs, CAPTURE_SEND, "ping", 4);
    fake_data(&fs, CAPTURE_RECEIVE, "pong", 4);
    fake_data(&fs, CAPTURE_SEND, big, LARGE);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 3);
    expect_datagram(&f, 0, 60000, 9000, "ping", 4);
    ck_assert_int_eq(f.packets[0].family, 6);
    ck_assert(!memcmp(f.packets[0].src, "\x20\x01\x0d\xb8", 4) && f.packets[0].src[15] == 1);
    expect_datagram(&f, 1, 9000, 60000, "pong", 4);
    expect_datagram(&f, 2, 60000, 9000, big, LARGE);
    cap_free(&f);
    free(big);
}
END_TEST

/* A dual-stack IPv6 socket given an IPv4 peer: written as IPv4-mapped IPv6. */
START_TEST(test_udp_dual_stack_peer)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    static const BYTE mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 198, 51, 100, 9 };
    WSABUF buf = { 2, "hi" };

    cu_dir("udp-dual", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x900, FALSE, &local, sa6(&local, 1, 4000), NULL, 0);
    fake_call(&fs, CAPTURE_SEND, &buf, 1, 2, 0, 0, &peer, sa4(&peer, 198, 51, 100, 9, 4001));
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 1);
    expect_datagram(&f, 0, 4000, 4001, "hi", 2);
    ck_assert(!memcmp(f.packets[0].dst, mapped, 16));
    cap_free(&f);
}
END_TEST

/* recv on an unconnected socket: the source is unknown (zero), asked for
 * once; after a connect, the first send without a destination learns it. */
START_TEST(test_udp_unknown_source)
{
    struct sockaddr_storage local;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("udp-unknown", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x980, FALSE, &local, sa4(&local, 10, 0, 0, 1, 4100), NULL, 0);
    fake_data(&fs, CAPTURE_RECEIVE, "a", 1);
    fake_data(&fs, CAPTURE_RECEIVE, "b", 1);
    ck_assert_int_eq(fs.asked, 2);              /* its own address, its peer once */
    fs.peer_len = sa4(&fs.peer, 10, 0, 0, 2, 4101);   /* connect() */
    fake_data(&fs, CAPTURE_SEND, "c", 1);
    fake_data(&fs, CAPTURE_RECEIVE, "d", 1);
    ck_assert_int_eq(fs.asked, 3);
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 4);
    expect_datagram(&f, 0, 0, 4100, "a", 1);
    ck_assert(!memcmp(f.packets[0].src, "\0\0\0\0", 4));
    expect_datagram(&f, 1, 0, 4100, "b", 1);
    expect_datagram(&f, 2, 4100, 4101, "c", 1);
    expect_datagram(&f, 3, 4101, 4100, "d", 1);
    cap_free(&f);
}
END_TEST

/* Neither TCP nor UDP, nor IP: nothing is written. */
START_TEST(test_other_protocols_ignored)
{
    struct capture_event e = { .socket = 0xA00, .af = AF_INET, .type = SOCK_RAW,
                               .protocol = IPPROTO_ICMP, .direction = CAPTURE_SEND,
                               .bytes = 0 };
    WCHAR dir[MAX_PATH];

    cu_dir("other", dir);
    cu_config_enable(dir);
    capture_init();
    capture_record(&e);
    e.af = AF_UNIX;
    e.type = SOCK_STREAM;
    e.protocol = 0;
    capture_record(&e);
    capture_shutdown();
    ck_assert_uint_eq(cu_captures(dir, NULL), 0);
}
END_TEST

/* What a filter changed is said in the record's comment; the record
 * keeps the application's bytes and the address it used. */
START_TEST(test_filter_marks)
{
    static const enum capture_mark marks[] = { CAPTURE_REPLACED, CAPTURE_REDIRECTED,
                                               CAPTURE_AS_SENT };
    static const char *const said[] = { "; a filter sent other bytes in their place",
                                        "; a filter redirected the connection", NULL };
    struct sockaddr_storage local, a;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    WSABUF one = { 5, "hello" };
    int alen;

    cu_dir("marks", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x710, FALSE, &local, sa4(&local, 0, 0, 0, 0, 5354), NULL, 0);
    alen = sa4(&a, 192, 0, 2, 1, 53);
    for (size_t i = 0; i < 3; i++) {
        fs.mark = marks[i];
        fake_call(&fs, CAPTURE_SEND, &one, 1, 5, 0, 0, &a, alen);
    }
    capture_shutdown();

    cu_read_capture(dir, &f);
    ck_assert_uint_eq(f.count, 3);
    for (size_t i = 0; i < 3; i++) {
        expect_datagram(&f, i, 5354, 53, "hello", 5);
        if (said[i])
            ck_assert_msg(strstr(f.packets[i].comment, said[i]), "comment: %s",
                          f.packets[i].comment);
        else
            ck_assert_msg(!strstr(f.packets[i].comment, "filter"), "comment: %s",
                          f.packets[i].comment);
    }
    cap_free(&f);
}
END_TEST

Suite *capture_udp_suite(void)
{
    Suite *s = suite_create("capture_udp");
    TCase *tc = tcase_create("udp");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_udp_ipv4_sendto_recvfrom);
    tcase_add_test(tc, test_udp_ipv6_connected);
    tcase_add_test(tc, test_udp_dual_stack_peer);
    tcase_add_test(tc, test_udp_unknown_source);
    tcase_add_test(tc, test_other_protocols_ignored);
    tcase_add_test(tc, test_filter_marks);
    suite_add_tcase(s, tc);
    return s;
}
