/* SPDX-License-Identifier: MIT */
/* winhttp_fetch.c: Wine's own winhttp.dll fetching pages from a small HTTP
 * server that this program runs in a thread on 127.0.0.1 (port 0, then
 * getsockname). winhttp imports ws2_32, so in the frontend arrangement its
 * traffic goes through lspkit as well as the server's: L08 asks that every
 * byte arrive unchanged and in order. */
#include "loopback_util.h"

#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_LEN 100000u
#define MAX_REQUEST 65536

/* The server: one thread, one connection at a time, "Connection: close". */
struct server {
    SOCKET listener;
    unsigned short port;
    volatile LONG stop;
    HANDLE thread;
    /* What the last request asked; written by the server thread, read by
     * the test after the response has been received. */
    char request_line[128];
    size_t request_body_len;
    int requests;
};

static const char *find(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* Content-Length of a header block, 0 when absent. */
static size_t content_length(const char *head, size_t len)
{
    const char *p = find(head, len, "\r\nContent-Length:");
    if (!p)
        p = find(head, len, "\r\ncontent-length:");
    return p ? strtoul(p + 17, NULL, 10) : 0;
}

static int send_all(SOCKET s, const char *buf, size_t len)
{
    while (len > 0) {
        int n = send(s, buf, len > (1u << 20) ? (1 << 20) : (int)len, 0);
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void respond(SOCKET s, int status, const char *reason, const char *body, size_t len)
{
    char head[256];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: application/octet-stream\r\n"
                     "Content-Length: %lu\r\nConnection: close\r\n\r\n",
                     status, reason, (unsigned long)len);
    if (send_all(s, head, (size_t)n) == 0)
        send_all(s, body, len);
}

/* Reads one request from S and answers it:
 *   GET /page  -> 200, PAGE_LEN pattern bytes (seed 80)
 *   POST /echo -> 200, the request body
 *   otherwise  -> 404 */
static void serve_one(struct server *srv, SOCKET s, char *buf)
{
    size_t got = 0;
    const char *end = NULL;
    while (!end && got < MAX_REQUEST) {
        if (sock_wait_readable(s, LB_WAIT_MS) != 1)
            return;
        int n = recv(s, buf + got, (int)(MAX_REQUEST - got), 0);
        if (n <= 0)
            return;
        got += (size_t)n;
        end = find(buf, got, "\r\n\r\n");
    }
    if (!end)
        return;
    size_t head_len = (size_t)(end - buf) + 4;
    size_t body_len = content_length(buf, head_len);
    if (head_len + body_len > MAX_REQUEST)
        return;
    if (got < head_len + body_len &&
        sock_recv_exact(s, buf + got, head_len + body_len - got, LB_WAIT_MS) != head_len + body_len - got)
        return;

    const char *eol = find(buf, head_len, "\r\n");
    size_t line_len = (size_t)(eol - buf);
    if (line_len >= sizeof(srv->request_line))
        line_len = sizeof(srv->request_line) - 1;
    memcpy(srv->request_line, buf, line_len);
    srv->request_line[line_len] = 0;
    srv->request_body_len = body_len;
    srv->requests++;

    if (strncmp(buf, "GET /page ", 10) == 0) {
        unsigned char *page = malloc(PAGE_LEN);
        if (!page)
            return;
        pattern_fill(page, PAGE_LEN, 80, 0);
        respond(s, 200, "OK", (char *)page, PAGE_LEN);
        free(page);
    } else if (strncmp(buf, "POST /echo ", 11) == 0) {
        respond(s, 200, "OK", buf + head_len, body_len);
    } else {
        respond(s, 404, "Not Found", "no such page\n", 13);
    }
}

static DWORD WINAPI server_main(void *arg)
{
    struct server *srv = arg;
    char *buf = malloc(MAX_REQUEST);
    while (buf && !srv->stop) {
        if (sock_wait_readable(srv->listener, 50) != 1)
            continue;
        SOCKET s = accept(srv->listener, NULL, NULL);
        if (s == INVALID_SOCKET)
            continue;
        serve_one(srv, s, buf);
        shutdown(s, SD_SEND);
        /* Let the client read to the end before the socket goes. */
        sock_recv_available(s);
        closesocket(s);
    }
    free(buf);
    return 0;
}

static void server_start(struct server *srv)
{
    struct sockaddr_storage addr;
    int len;
    memset(srv, 0, sizeof(*srv));
    srv->listener = sock_listener(AF_INET, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    srv->port = ntohs(((struct sockaddr_in *)&addr)->sin_port);
    ck_assert_uint_ne(srv->port, 0);
    srv->thread = CreateThread(NULL, 0, server_main, srv, 0, NULL);
    ck_assert_ptr_nonnull(srv->thread);
}

static void server_stop(struct server *srv)
{
    InterlockedExchange(&srv->stop, 1);
    ck_assert_uint_eq(WaitForSingleObject(srv->thread, LB_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(srv->thread);
    closesocket(srv->listener);
}

/* One WinHTTP exchange with the server: status code and body. */
struct reply {
    DWORD status;
    unsigned char *body;
    size_t len;
};

static struct reply fetch(unsigned short port, const WCHAR *verb, const WCHAR *path,
                          const void *data, DWORD data_len)
{
    struct reply r = { 0 };
    HINTERNET session = WinHttpOpen(L"lspkit-loopback/1.0", WINHTTP_ACCESS_TYPE_NO_PROXY,
                                    WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    ck_assert_msg(session != NULL, "WinHttpOpen: %lu", GetLastError());
    HINTERNET conn = WinHttpConnect(session, L"127.0.0.1", port, 0);
    ck_assert_msg(conn != NULL, "WinHttpConnect: %lu", GetLastError());
    HINTERNET req = WinHttpOpenRequest(conn, verb, path, NULL, WINHTTP_NO_REFERER,
                                       WINHTTP_DEFAULT_ACCEPT_TYPES, 0);
    ck_assert_msg(req != NULL, "WinHttpOpenRequest: %lu", GetLastError());
    BOOL ok = WinHttpSendRequest(req, WINHTTP_NO_ADDITIONAL_HEADERS, 0, (void *)data,
                                 data_len, data_len, 0);
    ck_assert_msg(ok, "WinHttpSendRequest: %lu", GetLastError());
    ok = WinHttpReceiveResponse(req, NULL);
    ck_assert_msg(ok, "WinHttpReceiveResponse: %lu", GetLastError());

    DWORD size = sizeof(r.status);
    ok = WinHttpQueryHeaders(req, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                             WINHTTP_HEADER_NAME_BY_INDEX, &r.status, &size, WINHTTP_NO_HEADER_INDEX);
    ck_assert_msg(ok, "WinHttpQueryHeaders: %lu", GetLastError());

    size_t cap = 4096;
    r.body = malloc(cap);
    ck_assert_ptr_nonnull(r.body);
    for (;;) {
        DWORD avail = 0, read = 0;
        ok = WinHttpQueryDataAvailable(req, &avail);
        ck_assert_msg(ok, "WinHttpQueryDataAvailable: %lu", GetLastError());
        if (avail == 0)
            break;
        if (r.len + avail > cap) {
            while (r.len + avail > cap)
                cap *= 2;
            r.body = realloc(r.body, cap);
            ck_assert_ptr_nonnull(r.body);
        }
        ok = WinHttpReadData(req, r.body + r.len, avail, &read);
        ck_assert_msg(ok, "WinHttpReadData: %lu", GetLastError());
        ck_assert_uint_gt(read, 0);
        r.len += read;
    }
    WinHttpCloseHandle(req);
    WinHttpCloseHandle(conn);
    WinHttpCloseHandle(session);
    return r;
}

/* L08: a GET of a 100 000-byte page: status 200, the exact body. */
START_TEST(test_L08_winhttp_get_page)
{
    static struct server srv; /* outlives a failed test and its thread */
    server_start(&srv);
    struct reply r = fetch(srv.port, L"GET", L"/page", NULL, 0);
    ck_assert_uint_eq(r.status, 200);
    ck_assert_uint_eq(r.len, PAGE_LEN);
    ck_assert_uint_eq(pattern_mismatch(r.body, r.len, 80, 0), PAGE_LEN);
    server_stop(&srv);
    ck_assert_int_eq(srv.requests, 1);
    ck_assert_str_eq(srv.request_line, "GET /page HTTP/1.1");
    free(r.body);
}
END_TEST

/* L08: a POST whose body the server echoes: the body goes out and comes
 * back byte for byte. */
START_TEST(test_L08_winhttp_post_echo)
{
    enum { LEN = 30000 };
    static unsigned char data[LEN];
    pattern_fill(data, LEN, 81, 0);
    static struct server srv; /* outlives a failed test and its thread */
    server_start(&srv);
    struct reply r = fetch(srv.port, L"POST", L"/echo", data, LEN);
    ck_assert_uint_eq(r.status, 200);
    ck_assert_uint_eq(r.len, LEN);
    ck_assert_uint_eq(pattern_mismatch(r.body, r.len, 81, 0), LEN);
    server_stop(&srv);
    ck_assert_str_eq(srv.request_line, "POST /echo HTTP/1.1");
    ck_assert_uint_eq(srv.request_body_len, LEN);
    free(r.body);
}
END_TEST

/* A status other than 200 reaches the client as such. */
START_TEST(test_winhttp_not_found)
{
    static struct server srv; /* outlives a failed test and its thread */
    server_start(&srv);
    struct reply r = fetch(srv.port, L"GET", L"/missing", NULL, 0);
    ck_assert_uint_eq(r.status, 404);
    ck_assert_uint_eq(r.len, 13);
    ck_assert_int_eq(memcmp(r.body, "no such page\n", 13), 0);
    server_stop(&srv);
    free(r.body);
}
END_TEST

Suite *lb_suite(void)
{
    Suite *suite = suite_create("winhttp_fetch");
    TCase *tc = lb_tcase("winhttp");
    tcase_add_test(tc, test_L08_winhttp_get_page);
    tcase_add_test(tc, test_L08_winhttp_post_echo);
    tcase_add_test(tc, test_winhttp_not_found);
    suite_add_tcase(suite, tc);
    return suite;
}
