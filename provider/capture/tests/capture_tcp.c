/* SPDX-License-Identifier: MIT */
/* TCP through the capture: the file gives back exactly the bytes each
 * side sent, in IP-sized segments with consecutive sequence numbers, after
 * a synthetic handshake; zero-byte and failed calls add no payload; each
 * packet says which process, thread and call it stands for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_tests.h"
#include "capture_util.h"

#define BIG 200000                /* more than three IPv4 or IPv6 packets */

/* What one conversation sent each way. */
struct sent {
    BYTE out[BIG + 4096], in[8192];
    size_t out_len, in_len;
};

static void expect_stream(const struct cap_file *f, USHORT sport, USHORT dport,
                          const BYTE *data, size_t len)
{
    BYTE *got;
    long long gap;
    size_t n = cap_tcp_stream(f, sport, dport, &got, &gap);

    ck_assert_msg(gap == 0, "%u->%u: gap %lld", sport, dport, gap);
    ck_assert_msg(n == len, "%u->%u: %zu bytes, sent %zu", sport, dport, n, len);
    ck_assert_msg(!memcmp(got, data, len), "%u->%u: the bytes differ", sport, dport);
    free(got);
}

/* A conversation on `f`: a gathered send, a gathered receive, a big send,
 * a zero-byte send, a failed send, the peer's FIN, our close. */
static void converse(struct fake_socket *f, struct sent *s)
{
    static const char request[] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    WSABUF out[3] = { { 4, (char *)request }, { 0, NULL }, { sizeof(request) - 5,
                                                             (char *)request + 4 } };
    WSABUF in[3];
    BYTE reply[5000];

    memset(s, 0, sizeof(*s));
    fake_call(f, CAPTURE_SEND, out, 3, sizeof(request) - 1, 0, 0, NULL, 0);
    memcpy(s->out, request, sizeof(request) - 1);
    s->out_len = sizeof(request) - 1;

    /* Three buffers of which the reply fills two and a half. */
    cu_pattern(reply, sizeof(reply), 1);
    in[0] = (WSABUF){ 2000, (char *)reply };
    in[1] = (WSABUF){ 2000, (char *)reply + 2000 };
    in[2] = (WSABUF){ 4000, (char *)reply + 4000 };
    fake_call(f, CAPTURE_RECEIVE, in, 3, sizeof(reply), 0, 0, NULL, 0);
    memcpy(s->in, reply, sizeof(reply));
    s->in_len = sizeof(reply);

    cu_pattern(s->out + s->out_len, BIG, 2);
    fake_data(f, CAPTURE_SEND, s->out + s->out_len, BIG);
    s->out_len += BIG;

    fake_data(f, CAPTURE_SEND, "", 0);
    /* A failed call's byte count means nothing: no payload for it. */
    fake_call(f, CAPTURE_SEND, out, 1, 4, WSAECONNRESET, 0, NULL, 0);
    fake_peer_fin(f);
    capture_socket_closed(f->s);
}

static size_t count_with(const struct cap_file *f, const char *text)
{
    size_t n = 0;

    for (size_t i = 0; i < f->count; i++)
        n += strstr(f->packets[i].comment, text) != NULL;
    return n;
}

/* Checks one conversation's packets; `client_local`: who sent the SYN. */
static void check_conversation(const struct cap_file *f, const struct fake_socket *fs,
                               USHORT lport, USHORT rport, BOOL client_local,
                               const struct sent *s, int family)
{
    size_t idx[64], n;
    char prefix[160], text[256];

    expect_stream(f, lport, rport, s->out, s->out_len);
    expect_stream(f, rport, lport, s->in, s->in_len);

    /* The handshake, from the client. */
    n = cap_select(f, TRUE, client_local ? lport : rport, client_local ? rport : lport, idx, 64);
    ck_assert_uint_ge(n, 1);
    ck_assert_int_eq(f->packets[idx[0]].tcp_flags, 0x02);
    n = cap_select(f, TRUE, client_local ? rport : lport, client_local ? lport : rport, idx, 64);
    ck_assert_int_eq(f->packets[idx[0]].tcp_flags, 0x12);

    /* Every packet: its family, valid checksums, its direction. */
    for (size_t i = 0; i < f->count; i++) {
        const struct cap_packet *p = &f->packets[i];

        if (!(p->sport == lport && p->dport == rport) && !(p->sport == rport && p->dport == lport))
            continue;
        ck_assert_int_eq(p->family, family);
        ck_assert_msg(p->checksums_ok, "packet %zu: bad checksum", i);
        ck_assert(p->has_flags);
        ck_assert_uint_eq(p->epb_flags & 3, p->sport == lport ? 2u : 1u);
    }

    /* The big send: four segments (65495 or 65515 bytes each at most),
     * consecutive, each saying which part it is. */
    cu_comment_prefix(prefix, sizeof(prefix), "send", fs->s);
    for (int part = 1; part <= 4; part++) {
        snprintf(text, sizeof(text), "%s%d bytes, flags 0x0, segment %d of 4", prefix, BIG, part);
        ck_assert_msg(count_with(f, text) == 1, "no packet says \"%s\"", text);
    }
    snprintf(text, sizeof(text), "%s0 bytes, flags 0x0", prefix);
    ck_assert_uint_eq(count_with(f, text), 1);
    snprintf(text, sizeof(text), "%sfailed, error %d (WSAECONNRESET)", prefix, WSAECONNRESET);
    ck_assert_uint_eq(count_with(f, text), 1);
    for (size_t i = 0; i < f->count; i++)
        if (strstr(f->packets[i].comment, "failed"))
            ck_assert_uint_eq(f->packets[i].payload_len, 0);

    /* The peer's FIN and ours. */
    n = cap_select(f, TRUE, rport, lport, idx, 64);
    ck_assert_int_eq(f->packets[idx[n - 1]].tcp_flags & 0x01, 1);
    n = cap_select(f, TRUE, lport, rport, idx, 64);
    ck_assert_int_eq(f->packets[idx[n - 1]].tcp_flags & 0x01, 1);
    cu_comment_prefix(prefix, sizeof(prefix), "close", fs->s);
    ck_assert_uint_eq(count_with(f, prefix), 1);
}

static void check_file_name(const WCHAR *dir)
{
    WCHAR path[MAX_PATH], expect[64];
    const WCHAR *name;
    size_t len;

    ck_assert_uint_eq(cu_captures(dir, path), 1);
    name = wcsrchr(path, L'\\') + 1;
    _snwprintf(expect, 64, L"capture.exe-%lu-", GetCurrentProcessId());
    ck_assert_msg(!wcsncmp(name, expect, wcslen(expect)), "file %ls", name);
    name += wcslen(expect);
    len = wcslen(name);
    /* 20261122T051500Z.pcapng */
    ck_assert_msg(len == 23 && name[8] == L'T' && name[15] == L'Z' && !wcscmp(name + 16, L".pcapng"),
                  "file %ls", name);
}

START_TEST(test_tcp_ipv4_both_directions)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct sent *s = malloc(sizeof(*s));
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("tcp4", dir);
    cu_config_enable(dir);
    capture_init();
    ck_assert(capture_enabled());
    fake_socket(&fs, 0x104, TRUE, &local, sa4(&local, 10, 1, 2, 3, 50001), &peer,
                sa4(&peer, 192, 0, 2, 7, 80));
    converse(&fs, s);
    capture_shutdown();
    ck_assert(!capture_enabled());

    check_file_name(dir);
    cu_read_capture(dir, &f);
    ck_assert_int_eq(f.linktype, 101);
    ck_assert_int_eq(f.tsresol, 7);
    ck_assert_int_ge(f.stats, 1);
    ck_assert_uint_eq(f.ifdrop, 0);
    check_conversation(&f, &fs, 50001, 80, TRUE, s, 4);
    ck_assert(!memcmp(f.packets[0].src, "\x0a\x01\x02\x03", 4));
    ck_assert(!memcmp(f.packets[0].dst, "\xc0\x00\x02\x07", 4));
    /* The addresses were asked for once each. */
    ck_assert_int_eq(fs.asked, 2);
    cap_free(&f);
    free(s);
}
END_TEST

START_TEST(test_tcp_ipv6_server_side)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct sent *s = malloc(sizeof(*s));
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("tcp6", dir);
    cu_config_enable(dir);
    capture_init();
    /* An accepted socket: the peer has the ephemeral port, so it is the client. */
    fake_socket(&fs, 0x208, TRUE, &local, sa6(&local, 1, 8443), &peer, sa6(&peer, 2, 61000));
    converse(&fs, s);
    capture_shutdown();

    cu_read_capture(dir, &f);
    check_conversation(&f, &fs, 8443, 61000, FALSE, s, 6);
    ck_assert_int_eq(f.packets[0].sport, 61000);
    cap_free(&f);
    free(s);
}
END_TEST

/* Several sockets, their records interleaved: each stream stays whole. */
START_TEST(test_tcp_interleaved_sockets)
{
    enum { SOCKETS = 5, ROUNDS = 40 };
    static BYTE out[SOCKETS][ROUNDS * 300], in[SOCKETS][ROUNDS * 200];
    struct sockaddr_storage local, peer;
    struct fake_socket fs[SOCKETS];
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("tcp-interleaved", dir);
    cu_config_enable(dir);
    capture_init();
    for (int k = 0; k < SOCKETS; k++) {
        fake_socket(&fs[k], 0x300 + 4 * k, TRUE, &local, sa4(&local, 127, 0, 0, 1, 52000 + k),
                    &peer, sa4(&peer, 127, 0, 0, 1, 7000));
        cu_pattern(out[k], sizeof(out[k]), 10 + k);
        cu_pattern(in[k], sizeof(in[k]), 20 + k);
    }
    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < SOCKETS; k++) {
            fake_data(&fs[k], CAPTURE_SEND, out[k] + r * 300, 300);
            fake_data(&fs[k], CAPTURE_RECEIVE, in[k] + r * 200, 200);
        }
    }
    capture_shutdown();

    cu_read_capture(dir, &f);
    for (int k = 0; k < SOCKETS; k++) {
        expect_stream(&f, 52000 + k, 7000, out[k], sizeof(out[k]));
        expect_stream(&f, 7000, 52000 + k, in[k], sizeof(in[k]));
    }
    cap_free(&f);
}
END_TEST

/* Both ends of one connection in one process (a loopback pair): their
 * records number the bytes alike, so the file holds one stream, each byte
 * seen twice but never contradicting itself. */
START_TEST(test_tcp_both_ends_agree)
{
    struct sockaddr_storage x, y;
    struct fake_socket client, server;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE request[3000], reply[700];
    size_t idx[16], n;

    cu_dir("tcp-pair", dir);
    cu_config_enable(dir);
    capture_init();
    sa4(&x, 127, 0, 0, 1, 50900);
    sa4(&y, 127, 0, 0, 1, 7300);
    fake_socket(&client, 0x480, TRUE, &x, sizeof(struct sockaddr_in), &y,
                sizeof(struct sockaddr_in));
    fake_socket(&server, 0x484, TRUE, &y, sizeof(struct sockaddr_in), &x,
                sizeof(struct sockaddr_in));
    cu_pattern(request, sizeof(request), 11);
    cu_pattern(reply, sizeof(reply), 12);
    fake_data(&client, CAPTURE_SEND, request, sizeof(request));
    /* The server reads it in two pieces. */
    fake_data(&server, CAPTURE_RECEIVE, request, 1000);
    fake_data(&server, CAPTURE_RECEIVE, request + 1000, 2000);
    fake_data(&server, CAPTURE_SEND, reply, sizeof(reply));
    fake_data(&client, CAPTURE_RECEIVE, reply, sizeof(reply));
    capture_shutdown();

    cu_read_capture(dir, &f);
    expect_stream(&f, 50900, 7300, request, sizeof(request));
    expect_stream(&f, 7300, 50900, reply, sizeof(reply));
    /* Both handshakes are the same one. */
    n = cap_select(&f, TRUE, 50900, 7300, idx, 16);
    ck_assert_uint_ge(n, 2);
    ck_assert_int_eq(f.packets[idx[0]].tcp_flags, 0x02);
    for (size_t i = 1; i < n; i++)
        if (f.packets[idx[i]].tcp_flags == 0x02)
            ck_assert_uint_eq(f.packets[idx[i]].seq, f.packets[idx[0]].seq);
    cap_free(&f);
}
END_TEST

/* SnapLength keeps that many payload bytes per call; the packets keep
 * their length on the wire. */
START_TEST(test_tcp_snap_length)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE data[1000];
    size_t idx[8], n;

    cu_dir("tcp-snap", dir);
    cu_config_enable(dir);
    cu_config_dword(L"SnapLength", 100);
    capture_init();
    fake_socket(&fs, 0x400, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50100), &peer,
                sa4(&peer, 10, 0, 0, 2, 443));
    cu_pattern(data, sizeof(data), 3);
    fake_data(&fs, CAPTURE_SEND, data, sizeof(data));
    capture_shutdown();

    cu_read_capture(dir, &f);
    n = cap_select(&f, TRUE, 50100, 443, idx, 8);
    ck_assert_uint_eq(n, 3);      /* SYN, ACK, the data */
    ck_assert_uint_eq(f.packets[idx[2]].caplen, 40 + 100);
    ck_assert_uint_eq(f.packets[idx[2]].origlen, 40 + 1000);
    ck_assert(!memcmp(f.packets[idx[2]].payload, data, 100));
    cap_free(&f);
}
END_TEST

/* SnapLength 0 keeps every byte, even of a call above the default 262144. */
START_TEST(test_tcp_snap_zero_keeps_all)
{
    enum { SIZE = 300000 };
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    BYTE *data = malloc(SIZE);

    cu_dir("tcp-snap0", dir);
    cu_config_enable(dir);
    cu_config_dword(L"SnapLength", 0);
    capture_init();
    fake_socket(&fs, 0x440, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50150), &peer,
                sa4(&peer, 10, 0, 0, 2, 443));
    cu_pattern(data, SIZE, 8);
    fake_data(&fs, CAPTURE_SEND, data, SIZE);
    capture_shutdown();

    cu_read_capture(dir, &f);
    expect_stream(&f, 50150, 443, data, SIZE);
    cap_free(&f);
    free(data);
}
END_TEST

/* The thread an overlapped call was issued from, and MSG_OOB as URG. */
START_TEST(test_tcp_thread_and_urgent)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct capture_event e;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    WSABUF buf = { 1, "!" };
    const struct cap_packet *p;
    size_t idx[8], n;

    cu_dir("tcp-thread", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x500, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50200), &peer,
                sa4(&peer, 10, 0, 0, 2, 21));
    e = (struct capture_event){ .socket = fs.s, .af = AF_INET, .type = SOCK_STREAM,
                                .protocol = IPPROTO_TCP, .direction = CAPTURE_SEND,
                                .flags = MSG_OOB, .bytes = 1, .buffers = &buf,
                                .buffer_count = 1, .thread_id = 4242 };
    /* No address callback: the addresses come from the event alone. */
    e.remote = (struct sockaddr *)&peer;
    e.remote_length = sizeof(struct sockaddr_in);
    capture_record(&e);
    capture_shutdown();

    cu_read_capture(dir, &f);
    /* The local end is unknown (port 0); the remote one is the event's. */
    n = cap_select(&f, TRUE, 0, 21, idx, 8);
    ck_assert_uint_ge(n, 1);
    p = &f.packets[idx[n - 1]];
    ck_assert_uint_eq(p->payload_len, 1);
    ck_assert_int_eq(p->tcp_flags & 0x20, 0x20);
    ck_assert_int_eq(p->urgent, 1);
    ck_assert_msg(strstr(p->comment, " tid 4242 on socket 0x500: 1 bytes, flags 0x1"),
                  "comment: %s", p->comment);
    cap_free(&f);
}
END_TEST

/* The FIN packets from `sport` to `dport`; `idx` gets the first one. */
static size_t count_fins(const struct cap_file *f, USHORT sport, USHORT dport, size_t *first)
{
    size_t idx[64], n = cap_select(f, TRUE, sport, dport, idx, 64), fins = 0;

    for (size_t i = 0; i < n; i++) {
        if (!(f->packets[idx[i]].tcp_flags & 0x01))
            continue;
        if (!fins++)
            *first = idx[i];
    }
    return fins;
}

/* Receives that return 0 bytes without meaning the end of the stream:
 * an AcceptEx without a receive buffer (as Go, libuv and esbuild accept),
 * a receive into zero-length buffers (libuv's readiness wait), a receive
 * with no buffers at all. None is a FIN nor takes a sequence number; the
 * one receive into room that returns 0 is the peer's FIN, and an empty
 * read after it is no second one. */
START_TEST(test_tcp_empty_receives_are_no_fin)
{
    static const char request[] = "GET /index.html HTTP/1.1\r\nHost: example\r\n\r\n";
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];
    char accept_out[2 * (sizeof(struct sockaddr_in6) + 16)];
    WSABUF no_data = { 0, accept_out }, empty = { 0, NULL };
    BYTE reply[3000];
    size_t fin, idx[64];
    char prefix[160], text[256];

    cu_dir("tcp-empty-receives", dir);
    cu_config_enable(dir);
    capture_init();
    fake_socket(&fs, 0x680, TRUE, &local, sa4(&local, 10, 0, 0, 1, 8080), &peer,
                sa4(&peer, 10, 0, 0, 2, 60123));
    fake_call(&fs, CAPTURE_RECEIVE, &no_data, 1, 0, 0, 0, NULL, 0);
    fake_call(&fs, CAPTURE_RECEIVE, &empty, 1, 0, 0, 0, NULL, 0);
    fake_call(&fs, CAPTURE_RECEIVE, NULL, 0, 0, 0, 0, NULL, 0);
    fake_data(&fs, CAPTURE_RECEIVE, request, sizeof(request) - 1);
    cu_pattern(reply, sizeof(reply), 9);
    fake_data(&fs, CAPTURE_SEND, reply, sizeof(reply));
    fake_call(&fs, CAPTURE_RECEIVE, &empty, 1, 0, 0, 0, NULL, 0);
    fake_peer_fin(&fs);
    fake_peer_fin(&fs);
    capture_socket_closed(fs.s);
    capture_shutdown();

    cu_read_capture(dir, &f);
    expect_stream(&f, 60123, 8080, (const BYTE *)request, sizeof(request) - 1);
    expect_stream(&f, 8080, 60123, reply, sizeof(reply));
    /* One FIN from the peer, right after its bytes. */
    ck_assert_uint_eq(count_fins(&f, 60123, 8080, &fin), 1);
    ck_assert_uint_ge(cap_select(&f, TRUE, 60123, 8080, idx, 64), 1);
    ck_assert_int_eq(f.packets[idx[0]].tcp_flags, 0x02);
    ck_assert_uint_eq(f.packets[fin].seq, f.packets[idx[0]].seq + 1 + sizeof(request) - 1);
    ck_assert_msg(strstr(f.packets[fin].comment, "0 bytes (the peer closed: FIN)"), "comment: %s",
                  f.packets[fin].comment);
    cu_comment_prefix(prefix, sizeof(prefix), "recv", fs.s);
    snprintf(text, sizeof(text), "%s0 bytes, flags 0x0", prefix);
    ck_assert_uint_eq(count_with(&f, text), 5);
    /* And ours, on close. */
    ck_assert_uint_eq(count_fins(&f, 8080, 60123, &fin), 1);
    cap_free(&f);
}
END_TEST

START_TEST(test_restart_appends_section)
{
    struct sockaddr_storage local, peer;
    struct fake_socket fs;
    struct cap_file f;
    WCHAR dir[MAX_PATH];

    cu_dir("restart", dir);
    cu_config_enable(dir);
    for (int round = 0; round < 2; round++) {
        capture_init();
        fake_socket(&fs, 0x600, TRUE, &local, sa4(&local, 10, 0, 0, 1, 50300 + round), &peer,
                    sa4(&peer, 10, 0, 0, 2, 25));
        fake_data(&fs, CAPTURE_SEND, "HELO", 4);
        capture_shutdown();
    }
    cu_read_capture(dir, &f);
    ck_assert_int_eq(f.sections, 2);
    ck_assert_int_eq(f.stats, 2);
    ck_assert_uint_eq(f.count, 8);
    cap_free(&f);
}
END_TEST

Suite *capture_tcp_suite(void)
{
    Suite *s = suite_create("capture_tcp");
    TCase *tc = tcase_create("tcp");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_tcp_ipv4_both_directions);
    tcase_add_test(tc, test_tcp_ipv6_server_side);
    tcase_add_test(tc, test_tcp_interleaved_sockets);
    tcase_add_test(tc, test_tcp_both_ends_agree);
    tcase_add_test(tc, test_tcp_snap_length);
    tcase_add_test(tc, test_tcp_snap_zero_keeps_all);
    tcase_add_test(tc, test_tcp_thread_and_urgent);
    tcase_add_test(tc, test_tcp_empty_receives_are_no_fin);
    tcase_add_test(tc, test_restart_appends_section);
    suite_add_tcase(s, tc);
    return s;
}
