/* SPDX-License-Identifier: MIT */
/* layered_capture_io.c: the test's end of a TCP conversation, in the
 * style of a plain program, of Go or of libuv (layered_capture_io.h).
 *
 * Go and libuv both accept with AcceptEx and no receive buffer, so the
 * accept completes with 0 bytes that are not the peer's FIN; Go then
 * reads with overlapped WSARecv into a buffer, libuv first posts a
 * zero-byte WSARecv that completes when data is there (again 0 bytes, no
 * FIN) and then reads without blocking until the socket would block. The
 * capture must tell those from the one receive that is the peer's FIN. */
#include "loopback_util.h"
#include "layered_capture_io.h"

/* Room for AcceptEx's two addresses (each sockaddr + 16, as documented). */
#define ADDRESS_ROOM (sizeof(struct sockaddr_in6) + 16)

SOCKET lc_listen(int family, enum lc_accept style, unsigned short *port)
{
    struct sockaddr_storage name;
    int len;
    DWORD flags = style == LC_ACCEPT ? 0 : WSA_FLAG_OVERLAPPED;
    SOCKET l = sock_listener(family, flags, 0, &name, &len);
    *port = ntohs(((struct sockaddr_in *)&name)->sin_port);
    return l;
}

/* The completion of OV on E's port, which must come within LC_WAIT_MS and
 * succeed; returns its byte count. */
static DWORD wait_completion(const struct lc_end *e, OVERLAPPED *ov)
{
    DWORD bytes = 0;
    ULONG_PTR key;
    OVERLAPPED *got = NULL;
    BOOL ok = GetQueuedCompletionStatus(e->port, &bytes, &key, &got, LC_WAIT_MS);
    DWORD error = GetLastError();
    ck_assert_msg(got != NULL, "no completion within %u ms (error %lu)", LC_WAIT_MS, error);
    ck_assert_msg(got == ov, "a completion for another operation");
    ck_assert_msg(ok, "the operation failed: %lu", error);
    return bytes;
}

/* Issued: 0, or SOCKET_ERROR/FALSE with WSA_IO_PENDING. Either way the
 * port gets the completion. */
static void assert_issued(BOOL done, const char *what)
{
    int error = WSAGetLastError();
    ck_assert_msg(done || error == WSA_IO_PENDING, "%s: error %d", what, error);
}

static void bind_to_port(struct lc_end *e, SOCKET s)
{
    e->port = CreateIoCompletionPort((HANDLE)s, e->port, (ULONG_PTR)s, 0);
    ck_assert_msg(e->port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
}

static unsigned short peer_port(SOCKET s)
{
    struct sockaddr_storage name;
    int len = sizeof(name);
    ck_assert_msg(getpeername(s, (struct sockaddr *)&name, &len) == 0, "getpeername: %d",
                  WSAGetLastError());
    return ntohs(((struct sockaddr_in *)&name)->sin_port);
}

/* AcceptEx with dwReceiveDataLength 0, posted before the peer may have
 * connected, as a server posts it: completes as soon as a connection is
 * accepted, with 0 bytes. */
static SOCKET accept_ex(struct lc_end *e, SOCKET listener, int family)
{
    LPFN_ACCEPTEX accept_fn = sock_extension(listener, (GUID)WSAID_ACCEPTEX);
    char addresses[2 * ADDRESS_ROOM];
    OVERLAPPED ov = { 0 };
    DWORD bytes = 0;
    SOCKET s = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert_msg(s != INVALID_SOCKET, "WSASocket: %d", WSAGetLastError());
    bind_to_port(e, listener);
    bind_to_port(e, s);
    assert_issued(accept_fn(listener, s, addresses, 0, ADDRESS_ROOM, ADDRESS_ROOM, &bytes, &ov),
                  "AcceptEx");
    ck_assert_uint_eq(wait_completion(e, &ov), 0);
    ck_assert_msg(setsockopt(s, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener,
                             sizeof(listener)) == 0,
                  "SO_UPDATE_ACCEPT_CONTEXT: %d", WSAGetLastError());
    return s;
}

void lc_accept(struct lc_end *e, SOCKET listener, int family, enum lc_accept style)
{
    *e = (struct lc_end){ .style = style, .port = NULL };
    if (style == LC_ACCEPT) {
        ck_assert_int_eq(sock_wait_readable(listener, LC_WAIT_MS), 1);
        e->s = accept(listener, NULL, NULL);
        ck_assert_msg(e->s != INVALID_SOCKET, "accept: %d", WSAGetLastError());
    } else {
        e->s = accept_ex(e, listener, family);
    }
    /* libuv reads without blocking once its zero-byte read completed. */
    if (style == LC_ACCEPTEX_LIBUV)
        lb_set_nonblocking(e->s, 1);
    e->peer = peer_port(e->s);
}

/* One overlapped WSARecv into LEN bytes of BUF through the port. */
static DWORD recv_overlapped(struct lc_end *e, unsigned char *buf, size_t len)
{
    WSABUF wb = { (ULONG)len, (char *)buf };
    OVERLAPPED ov = { 0 };
    DWORD bytes = 0, flags = 0;
    assert_issued(WSARecv(e->s, &wb, 1, &bytes, &flags, &ov, NULL) == 0, "WSARecv");
    return wait_completion(e, &ov);
}

/* libuv's read: a zero-byte read completes when data (or the end) is
 * there, then a non-blocking read takes it; 0 only at the end of the
 * stream. */
static size_t recv_libuv(struct lc_end *e, unsigned char *buf, size_t len)
{
    for (;;) {
        ck_assert_uint_eq(recv_overlapped(e, NULL, 0), 0);
        int n = recv(e->s, (char *)buf, (int)len, 0);
        int error = WSAGetLastError();
        if (n >= 0)
            return (size_t)n;
        ck_assert_msg(error == WSAEWOULDBLOCK, "recv: %d", error);
    }
}

/* One read in E's style; 0 only at the end of the stream. */
static size_t recv_some(struct lc_end *e, unsigned char *buf, size_t len)
{
    int n;
    switch (e->style) {
    case LC_ACCEPTEX_GO:
        return recv_overlapped(e, buf, len);
    case LC_ACCEPTEX_LIBUV:
        return recv_libuv(e, buf, len);
    default:
        ck_assert_int_eq(sock_wait_readable(e->s, LC_WAIT_MS), 1);
        n = recv(e->s, (char *)buf, (int)len, 0);
        ck_assert_msg(n >= 0, "recv: %d", WSAGetLastError());
        return (size_t)n;
    }
}

void lc_recv_exact(struct lc_end *e, unsigned char *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        size_t n = recv_some(e, buf + got, len - got);
        ck_assert_msg(n > 0, "the peer closed after %lu of %lu bytes", (unsigned long)got,
                      (unsigned long)len);
        got += n;
    }
}

void lc_send_all(struct lc_end *e, const unsigned char *buf, size_t len)
{
    WSABUF wb = { (ULONG)len, (char *)buf };
    OVERLAPPED ov = { 0 };
    DWORD bytes = 0;
    if (e->style == LC_ACCEPT) {
        ck_assert_int_eq(send(e->s, (const char *)buf, (int)len, 0), (int)len);
        return;
    }
    assert_issued(WSASend(e->s, &wb, 1, &bytes, 0, &ov, NULL) == 0, "WSASend");
    ck_assert_uint_eq(wait_completion(e, &ov), len);
}

void lc_expect_end(struct lc_end *e)
{
    unsigned char byte;
    ck_assert_uint_eq(recv_some(e, &byte, 1), 0);
}

void lc_close(struct lc_end *e)
{
    closesocket(e->s);
    if (e->port)
        CloseHandle(e->port);
}
