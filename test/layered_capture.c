/* SPDX-License-Identifier: MIT */
/* layered_capture.c: known traffic through the layered provider, for
 * test/layered_capture.sh to find again in the capture files with tshark.
 *
 * The test holds one end of each conversation of test/layered_capture.h
 * (TCP and UDP over IPv4 and IPv6, bytes in both directions; TCP also
 * accepted as Go and libuv do, test/layered_capture_io.c) and starts
 * layered_capture_peer.exe, from its own directory, for the other end; each
 * end checks every byte it receives, and the peer's exit code says how its
 * side went. Run with `documents layered` (test/layered_capture.list) it is
 * a plain end-to-end test through lspkit.dll; with the environment variable
 * LSPKIT_CAPTURE_EXPECT set to a directory it also writes there what the
 * capture must show: streams.txt, one line per conversation
 *   PROTO INDEX TESTPORT PEERPORT
 * (INDEX: tshark's stream number within PROTO) and, per end,
 * expect-PROTO-INDEX-PORT.hex: every byte that end sent, in hex. */
#include "loopback_util.h"
#include "layered_capture.h"
#include "layered_capture_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conv {
    SOCKET s;             /* listener (TCP) or the bound socket (UDP) */
    unsigned short port;  /* the test's port */
    unsigned short peer;  /* the peer's port, once known */
};

static void open_end(int index, struct conv *c)
{
    int family = lc_is_ipv6(index) ? AF_INET6 : AF_INET;
    struct sockaddr_storage name;
    int len = sizeof(name);
    if (lc_is_tcp(index)) {
        c->s = lc_listen(family, lc_accept_style(index), &c->port);
        return;
    }
    SOCKET other;
    /* lb_udp_pair binds two; only the second one's name is wanted. */
    sock_udp_pair(family, &other, &c->s, &name, &len);
    closesocket(other);
    c->port = ntohs(((struct sockaddr_in *)&name)->sin_port);
}

static unsigned short port_of(const struct sockaddr_storage *ss)
{
    return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

static void fill(unsigned char *buf, size_t len, unsigned seed, size_t off)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = lc_byte(seed, off + i);
}

static void assert_bytes(const unsigned char *buf, size_t len, unsigned seed, size_t off, int index)
{
    for (size_t i = 0; i < len; i++)
        ck_assert_msg(buf[i] == lc_byte(seed, off + i),
                      "conversation %d: byte %lu from the peer is wrong", index, (unsigned long)(off + i));
}

static void serve_tcp(int index, struct conv *c, unsigned char *buf)
{
    struct lc_end e;
    size_t up = lc_total(index, 1), down = lc_total(index, 0);
    lc_accept(&e, c->s, lc_is_ipv6(index) ? AF_INET6 : AF_INET, lc_accept_style(index));
    c->peer = e.peer;
    lc_recv_exact(&e, buf, up);
    assert_bytes(buf, up, lc_seed(index, 1), 0, index);
    fill(buf, down, lc_seed(index, 0), 0);
    lc_send_all(&e, buf, down);
    /* The peer closes once it has checked our bytes. */
    lc_expect_end(&e);
    lc_close(&e);
}

static void serve_udp(int index, struct conv *c, unsigned char *buf)
{
    struct sockaddr_storage from;
    int len = sizeof(from);
    size_t off = 0;
    for (int i = 0; i < LC_DGRAMS; i++) {
        len = sizeof(from);
        ck_assert_int_eq(sock_wait_readable(c->s, LC_WAIT_MS), 1);
        int n = recvfrom(c->s, (char *)buf, 65536, 0, (struct sockaddr *)&from, &len);
        ck_assert_int_eq(n, (int)lc_dgram_size(i));
        assert_bytes(buf, (size_t)n, lc_seed(index, 1), off, index);
        off += (size_t)n;
    }
    c->peer = port_of(&from);
    off = 0;
    for (int i = 0; i < LC_DGRAMS; i++) {
        size_t n = lc_dgram_size(i);
        fill(buf, n, lc_seed(index, 0), off);
        ck_assert_int_eq(sendto(c->s, (char *)buf, (int)n, 0, (struct sockaddr *)&from, len), (int)n);
        off += n;
    }
}

/* Starts the peer from this program's directory; it inherits the
 * launcher's environment, so it gets the same front end. */
static HANDLE start_peer(const struct conv *convs)
{
    WCHAR path[MAX_PATH], cmd[2 * MAX_PATH];
    DWORD len = GetModuleFileNameW(NULL, path, MAX_PATH);
    ck_assert(len > 0 && len < MAX_PATH);
    WCHAR *slash = wcsrchr(path, L'\\');
    ck_assert_ptr_nonnull(slash);
    wcscpy(slash + 1, L"layered_capture_peer.exe");
    BOOL layered = __argc == 3 && strcmp(__argv[2], "layered") == 0;
    int n = swprintf(cmd, 2 * MAX_PATH, L"\"%ls\"", path);
    for (int i = 0; i < LC_CONVERSATIONS; i++)
        n += swprintf(cmd + n, 2 * MAX_PATH - n, L" %u", convs[i].port);
    if (layered)
        wcscat(cmd, L" layered");
    STARTUPINFOW si = { .cb = sizeof(si) };
    PROCESS_INFORMATION pi;
    ck_assert_msg(CreateProcessW(path, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi),
                  "cannot start %ls: %lu", path, GetLastError());
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

static void write_hex(const WCHAR *dir, const char *proto, int index, unsigned short port,
                      unsigned seed, int conv)
{
    WCHAR path[MAX_PATH];
    swprintf(path, MAX_PATH, L"%ls\\expect-%hs-%d-%u.hex", dir, proto, index, port);
    FILE *f = _wfopen(path, L"wb");
    ck_assert_msg(f != NULL, "cannot write %ls", path);
    size_t total = lc_total(conv, seed == lc_seed(conv, 1));
    for (size_t i = 0; i < total; i++)
        fprintf(f, "%02x", lc_byte(seed, i));
    fputc('\n', f);
    ck_assert_int_eq(fclose(f), 0);
}

/* What test/layered_capture.sh checks the capture files against. */
static void write_expectations(const struct conv *convs)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"LSPKIT_CAPTURE_EXPECT", dir, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return;
    swprintf(path, MAX_PATH, L"%ls\\streams.txt", dir);
    FILE *f = _wfopen(path, L"wb");
    ck_assert_msg(f != NULL, "cannot write %ls", path);
    for (int i = 0; i < LC_CONVERSATIONS; i++) {
        const char *proto = lc_is_tcp(i) ? "tcp" : "udp";
        int index = lc_stream(i);
        fprintf(f, "%s %d %u %u\n", proto, index, convs[i].port, convs[i].peer);
        write_hex(dir, proto, index, convs[i].port, lc_seed(i, 0), i);
        write_hex(dir, proto, index, convs[i].peer, lc_seed(i, 1), i);
    }
    ck_assert_int_eq(fclose(f), 0);
}

/* L08 and the capture's raw material: both directions of TCP and UDP over
 * IPv4 and IPv6 arrive intact through the provider, in two processes;
 * L06: AcceptEx without a receive buffer and ConnectEx without data, as Go
 * and libuv use them, through the provider. */
START_TEST(test_conversations_both_ways)
{
    struct conv convs[LC_CONVERSATIONS];
    unsigned char *buf = malloc(65536 + LC_TCP_UP);
    ck_assert_ptr_nonnull(buf);
    for (int i = 0; i < LC_CONVERSATIONS; i++)
        open_end(i, &convs[i]);
    HANDLE peer = start_peer(convs);
    for (int i = 0; i < LC_CONVERSATIONS; i++) {
        if (lc_is_tcp(i))
            serve_tcp(i, &convs[i], buf);
        else
            serve_udp(i, &convs[i], buf);
    }
    DWORD code = 1;
    ck_assert_int_eq(WaitForSingleObject(peer, LC_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeProcess(peer, &code));
    CloseHandle(peer);
    ck_assert_msg(code == 0, "layered_capture_peer.exe exited with %lu", code);
    for (int i = 0; i < LC_CONVERSATIONS; i++)
        closesocket(convs[i].s);
    free(buf);
    write_expectations(convs);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *s = suite_create("layered_capture");
    TCase *tc = lb_tcase("conversations");
    tcase_add_test(tc, test_conversations_both_ways);
    suite_add_tcase(s, tc);
    return s;
}
