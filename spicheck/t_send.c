/* SPDX-License-Identifier: MIT */
/* t_send.c: sends that complete inside the call - blocking, non-blocking,
 * gathers (S01 S06 S07 S08 S09 S12 B01 B02 B03), over TCP and UDP, IPv4
 * and IPv6: the only tests of these clauses (the loopback programs that
 * once repeated them are gone). */
#include "sc.h"

#include <stdlib.h>
#include <string.h>

/* X and Y are one IPv4 or IPv6 endpoint: family, port and address (an
 * IPv6 flow label and scope aside). */
static BOOL same_sender(const struct sockaddr_storage *x, const struct sockaddr_storage *y)
{
    const struct sockaddr_in *x4 = (const void *)x, *y4 = (const void *)y;
    const struct sockaddr_in6 *x6 = (const void *)x, *y6 = (const void *)y;

    if (x->ss_family != y->ss_family)
        return FALSE;
    return x->ss_family == AF_INET6
               ? x6->sin6_port == y6->sin6_port && IN6_ADDR_EQUAL(&x6->sin6_addr, &y6->sin6_addr)
               : x4->sin_port == y4->sin_port && x4->sin_addr.s_addr == y4->sin_addr.s_addr;
}

/* One datagram on B (waiting up to SC_WAIT_MS): its length, or -1 when
 * none came. It must come from A's name, as getsockname gives it. */
static int recv_from_sender(SOCKET b, SOCKET a, void *buf, int len)
{
    struct sockaddr_storage name, from;
    int namelen = sizeof(name), fromlen = sizeof(from), n, err;

    n = getsockname(a, (struct sockaddr *)&name, &namelen);
    err = WSAGetLastError();
    sc_check(n == 0, "getsockname(sender): %d, error %d (%s)", n, err, sc_error_name(err));
    if (sock_wait_readable(b, SC_WAIT_MS) != 1)
        return -1;
    memset(&from, 0, sizeof(from));
    n = recvfrom(b, buf, len, 0, (struct sockaddr *)&from, &fromlen);
    err = WSAGetLastError();
    sc_check(n != SOCKET_ERROR, "recvfrom: error %d (%s)", err, sc_error_name(err));
    sc_check(same_sender(&from, &name),
             "a %d-byte datagram came from family %d port %u, not from the sender's name "
             "(family %d port %u)", n, from.ss_family,
             ntohs(((struct sockaddr_in *)&from)->sin_port), name.ss_family,
             ntohs(((struct sockaddr_in *)&name)->sin_port));
    return n;
}

/* S01: a send that fits returns 0 (send: the count) with the byte count,
 * blocking and overlapped, TCP and UDP; the bytes arrive unchanged, each
 * datagram from the sender's name. */
void t_S01(void)
{
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s, a, b;
        unsigned char out[1300], in[1300];
        struct sockaddr_storage bname;
        int blen, rc, err, n;
        WSABUF buf = { 600, (char *)out + 400 };
        DWORD sent = 0xdeadbeef;
        WSAOVERLAPPED ov = { 0 };

        sc_require_over(SC_OVER_TCP);
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        pattern_fill(out, sizeof(out), 1, 0);
        sc_check(send(c, (char *)out, 400, 0) == 400, "send of 400 bytes: %d", WSAGetLastError());
        rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
        err = WSAGetLastError();
        sc_check(rc == 0 && sent == 600, "blocking WSASend: %d (error %d), count %lu", rc, err,
                 sent);
        ov.hEvent = WSACreateEvent();
        buf.buf = (char *)out + 1000;
        buf.len = 300;
        sent = 0xdeadbeef;
        rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
        err = WSAGetLastError();
        if (rc == 0)
            sc_check(sent == 300, "overlapped WSASend completed at once with count %lu", sent);
        else
            sc_check(err == WSA_IO_PENDING, "overlapped WSASend: error %d (%s)", err,
                     sc_error_name(err));
        sc_check(sock_recv_exact(s, in, sizeof(in), SC_WAIT_MS) == sizeof(in), "peer got too little");
        sc_check(pattern_mismatch(in, sizeof(in), 1, 0) == sizeof(in), "peer's bytes differ");
        WSACloseEvent(ov.hEvent);
        closesocket(c);
        closesocket(s);

        if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
            continue;
        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        sc_check(sendto(a, (char *)out, 200, 0, (struct sockaddr *)&bname, blen) == 200,
                 "sendto: %d", WSAGetLastError());
        buf.buf = (char *)out + 200;
        buf.len = 300;
        rc = WSASendTo(a, &buf, 1, &sent, 0, (struct sockaddr *)&bname, blen, NULL, NULL);
        err = WSAGetLastError();
        sc_check(rc == 0 && sent == 300, "WSASendTo: %d (error %d), count %lu", rc, err, sent);
        n = recv_from_sender(b, a, in, sizeof(in));
        sc_check(n == 200, "first datagram: %d bytes, expected 200", n);
        n = recv_from_sender(b, a, in + 200, sizeof(in) - 200);
        sc_check(n == 300, "second datagram: %d bytes, expected 300", n);
        sc_check(pattern_mismatch(in, 500, 1, 0) == 500, "datagram bytes differ");
        closesocket(a);
        closesocket(b);
    }
}

/* S06: on an overlapped socket, WSASend with lpOverlapped and the routine
 * NULL is a blocking send: a request far larger than the transport holds
 * returns 0 only once all of it is consumed. */
void t_S06(void)
{
    const size_t total = 4u << 20;
    SOCKET c, s;
    unsigned char *out = sc_pattern(total, 6);
    struct sock_drain d;
    WSABUF buf = { (ULONG)total, (char *)out };
    DWORD sent = 0;
    int rc, err;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    sc_drain_start(&d, s, total, 300);
    rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
    err = WSAGetLastError();
    sc_check(rc == 0, "WSASend(no overlapped) returned %d, error %d (%s)", rc, err,
             sc_error_name(err));
    sc_check(sent == total, "count %lu of %lu", sent, (unsigned long)total);
    sc_drain_check(&d, 6, 0);
    free(out);
    closesocket(c);
    closesocket(s);
}

/* Sends pieces on non-blocking C until WSAEWOULDBLOCK; returns the total. */
static size_t fill_until_wouldblock(SOCKET c, const unsigned char *out, int len)
{
    size_t total = 0;

    for (;;) {
        int n = send(c, (const char *)out, len, 0);
        int err = WSAGetLastError();
        if (n == SOCKET_ERROR) {
            sc_check(err == WSAEWOULDBLOCK, "send: error %d (%s), expected WSAEWOULDBLOCK", err,
                     sc_error_name(err));
            return total;
        }
        sc_check(n >= 1 && n <= len, "send returned %d of %d", n, len);
        total += (size_t)n;
        sc_check(total < (64u << 20), "64 MiB accepted without WSAEWOULDBLOCK");
    }
}

/* S07 and B01: non-blocking, too little buffer space: the count is
 * between 1 and the total (send and a two-buffer WSASend), the bytes
 * taken are exactly the start of what was offered, and once the peer has
 * read them the socket is writable again. */
static void partial_nonblocking(int use_wsasend)
{
    const int big = 4 << 20;

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(big, 7), *in = malloc(big);
        DWORD sent = 0;
        int n, err;

        sc_check(in != NULL, "out of memory");
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        sc_set_nonblocking(c, 1);
        if (use_wsasend) {
            WSABUF bufs[2] = { { big / 2, (char *)out }, { big / 2, (char *)out + big / 2 } };
            n = WSASend(c, bufs, 2, &sent, 0, NULL, NULL) == 0 ? (int)sent : SOCKET_ERROR;
        } else {
            n = send(c, (char *)out, big, 0);
        }
        err = WSAGetLastError();
        sc_check(n != SOCKET_ERROR, "%s on %s failed: %d (%s)", use_wsasend ? "WSASend" : "send",
                 sc_family_name(sc_family(f)), err, sc_error_name(err));
        sc_check(n >= 1 && n < big, "%s took %d of %d bytes", use_wsasend ? "WSASend" : "send",
                 n, big);
        sc_check(sock_recv_exact(s, in, (size_t)n, SC_WAIT_MS) == (size_t)n, "peer got too little");
        sc_check(pattern_mismatch(in, (size_t)n, 7, 0) == (size_t)n, "peer's bytes differ");
        n = sock_wait_writable(c, SC_WAIT_MS);
        sc_check(n == 1, "%s: once the peer read all %s took, select gave %d, not writable",
                 sc_family_name(sc_family(f)), use_wsasend ? "WSASend" : "send", n);
        free(in);
        free(out);
        sock_close_pair(c, s);
    }
}

void t_S07(void)
{
    partial_nonblocking(1);
}

void t_B01(void)
{
    partial_nonblocking(0);
}

/* S08: a blocking WSASend of two buffers far larger than the transport
 * holds blocks until every byte of both is consumed; so does a send(). */
void t_S08(void)
{
    const size_t half = 4u << 20;

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        unsigned char *out = sc_pattern(2 * half, 8);
        struct sock_drain d;
        WSABUF bufs[2] = { { (ULONG)half, (char *)out }, { (ULONG)half, (char *)out + half } };
        DWORD sent = 0;
        int rc, err, n;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
        sc_drain_start(&d, s, 2 * half, 200);
        rc = WSASend(c, bufs, 2, &sent, 0, NULL, NULL);
        err = WSAGetLastError();
        sc_check(rc == 0, "blocking WSASend failed: %d (%s)", err, sc_error_name(err));
        sc_check(sent == 2 * half, "count %lu of %lu", sent, (unsigned long)(2 * half));
        sc_drain_check(&d, 8, 0);

        /* The same through send(): the count is the whole length. */
        sc_drain_start(&d, s, half, 200);
        n = send(c, (char *)out, (int)half, 0);
        err = WSAGetLastError();
        sc_check(n == (int)half, "blocking send of %lu bytes returned %d (error %d %s)",
                 (unsigned long)half, n, err, sc_error_name(err));
        sc_drain_check(&d, 8, 0);
        free(out);
        closesocket(c);
        closesocket(s);
    }
}

/* S09: without an overlapped structure the data is copied out before the
 * call returns: the buffer overwritten right after the call changes
 * nothing the peer gets; on a socket made without the overlapped
 * attribute the same holds. */
void t_S09(void)
{
    static const DWORD flags[2] = { WSA_FLAG_OVERLAPPED, 0 };

    sc_require_over(SC_OVER_TCP);
    for (int i = 0; i < 2; i++) {
        SOCKET c, s;
        unsigned char out[3000], in[3000];
        WSABUF buf = { sizeof(out), (char *)out };
        DWORD sent = 0;
        int rc, err;

        sc_tcp_pair(AF_INET, flags[i], 0, &c, &s);
        pattern_fill(out, sizeof(out), 9, 0);
        rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
        err = WSAGetLastError();
        memset(out, 0xEE, sizeof(out));
        sc_check(rc == 0 && sent == sizeof(out), "WSASend: %d (error %d), count %lu", rc, err,
                 sent);
        sc_check(sock_recv_exact(s, in, sizeof(in), SC_WAIT_MS) == sizeof(in), "peer got too little");
        sc_check(pattern_mismatch(in, sizeof(in), 9, 0) == sizeof(in),
                 "the peer got bytes written after the call returned (%s socket)",
                 flags[i] ? "overlapped" : "non-overlapped");
        closesocket(c);
        closesocket(s);
    }
}

/* S12: several WSABUFs go out as one gather in array order, TCP (pieces
 * laid out back to front, one empty) and UDP (one datagram). */
void t_S12(void)
{
    enum { N = 5 };
    static const ULONG sizes[N] = { 1, 17, 4096, 0, 70001 };

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        WSABUF bufs[N];
        size_t total = 0, tail = 80000;
        unsigned char *out = sc_pattern(80000, 12), *pieces = malloc(80000);
        struct sock_drain d;
        DWORD sent = 0;
        int rc, err;

        sc_check(pieces != NULL, "out of memory");
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        for (int i = 0; i < N; i++) {
            tail -= sizes[i];
            memcpy(pieces + tail, out + total, sizes[i]);
            bufs[i].buf = (char *)pieces + tail;
            bufs[i].len = sizes[i];
            total += sizes[i];
        }
        sc_drain_start(&d, s, total, 0);
        rc = WSASend(c, bufs, N, &sent, 0, NULL, NULL);
        err = WSAGetLastError();
        sc_check(rc == 0 && sent == total, "gather WSASend: %d (error %d), count %lu", rc, err,
                 sent);
        sc_drain_check(&d, 12, 0);
        free(pieces);
        free(out);
        sock_close_pair(c, s);

        if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
            continue;
        SOCKET a, b;
        struct sockaddr_storage bname;
        int blen;
        unsigned char dgram[1200], mem[1200], in[1500];
        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        pattern_fill(dgram, sizeof(dgram), 112, 0);
        memcpy(mem + 900, dgram, 300);
        memcpy(mem + 100, dgram + 300, 800);
        memcpy(mem, dgram + 1100, 100);
        WSABUF ub[3] = { { 300, (char *)mem + 900 }, { 800, (char *)mem + 100 }, { 100, (char *)mem } };
        rc = WSASendTo(a, ub, 3, &sent, 0, (struct sockaddr *)&bname, blen, NULL, NULL);
        err = WSAGetLastError();
        sc_check(rc == 0 && sent == 1200, "UDP gather: %d (error %d), count %lu", rc, err, sent);
        sc_check(sc_recv_datagram(b, in, sizeof(in)) == 1200, "not one datagram of 1200 bytes");
        sc_check(pattern_mismatch(in, 1200, 112, 0) == 1200, "datagram bytes out of order");
        sc_check(sock_wait_readable(b, 100) == 0, "a second datagram arrived");
        closesocket(a);
        closesocket(b);
    }
}

/* B02: len 0 succeeds and returns 0 (send, and WSASend with its count 0)
 * and leaves the stream alone; on a datagram socket it sends a zero-length
 * datagram, from the sender's name. */
void t_B02(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s, a, b;
        struct sockaddr_storage bname;
        int blen, n, err;
        char in[8];
        WSABUF empty = { 0, NULL };
        DWORD sent;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        n = send(c, "", 0, 0);
        sc_check(n == 0, "send(len 0) returned %d (error %d)", n, WSAGetLastError());
        sent = 0xdeadbeef;
        n = WSASend(c, &empty, 1, &sent, 0, NULL, NULL);
        err = WSAGetLastError();
        sc_check(n == 0 && sent == 0, "WSASend of one empty WSABUF returned %d (error %d %s), "
                 "count %lu; expected 0 and 0", n, err, sc_error_name(err), sent);
        sc_check(sock_wait_readable(s, 100) == 0, "the peer saw something");
        sc_check(send(c, "abcd", 4, 0) == 4, "send after it");
        sc_check(sock_recv_exact(s, in, 4, SC_WAIT_MS) == 4 && !memcmp(in, "abcd", 4),
                 "the stream changed");
        closesocket(c);
        closesocket(s);

        if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
            continue;
        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        n = sendto(a, "", 0, 0, (struct sockaddr *)&bname, blen);
        sc_check(n == 0, "sendto(len 0) returned %d (error %d)", n, WSAGetLastError());
        n = recv_from_sender(b, a, in, sizeof(in));
        sc_check(n == 0, "expected a zero-length datagram, got %d", n);
        closesocket(a);
        closesocket(b);
    }
}

/* B03: a non-blocking send with no buffer space fails with
 * WSAEWOULDBLOCK; once the peer reads, select() says writable and the
 * next send succeeds. IPv4 and IPv6, the socket made non-blocking by
 * FIONBIO and by WSAEventSelect; with WSAEventSelect, FD_WRITE is
 * recorded at first and again (no error) once the peer has read. */
static void wouldblock_then_writable(int family, BOOL event_select)
{
    static unsigned char out[65536];
    const char *fam = sc_family_name(family), *how = event_select ? "WSAEventSelect" : "FIONBIO";
    SOCKET c, s;
    WSAEVENT ev = WSA_INVALID_EVENT;
    WSANETWORKEVENTS ne;
    size_t queued, drained = 0;
    int rc, err;
    DWORD w;

    pattern_fill(out, sizeof(out), 3, 0);
    sc_tcp_pair(family, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    if (event_select) {
        ev = WSACreateEvent();
        err = WSAGetLastError();
        sc_check(ev != WSA_INVALID_EVENT, "WSACreateEvent: error %d", err);
        rc = WSAEventSelect(c, ev, FD_WRITE);
        err = WSAGetLastError();
        sc_check(rc == 0, "%s: WSAEventSelect(FD_WRITE) returned %d, error %d (%s)", fam, rc, err,
                 sc_error_name(err));
        sc_check(WaitForSingleObject(ev, SC_WAIT_MS) == WAIT_OBJECT_0, "%s: no first FD_WRITE",
                 fam);
        sc_check(WSAEnumNetworkEvents(c, ev, &ne) == 0 && (ne.lNetworkEvents & FD_WRITE),
                 "%s: first FD_WRITE not recorded", fam);
    } else {
        sc_set_nonblocking(c, 1);
    }
    queued = fill_until_wouldblock(c, out, sizeof(out));
    sc_check(queued > 0, "%s, %s: nothing was accepted before WSAEWOULDBLOCK", fam, how);
    while (drained < queued && sock_wait_readable(s, SC_WAIT_MS) == 1)
        drained += sock_recv_available(s);
    sc_check(drained == queued, "%s, %s: peer read %lu of %lu", fam, how, (unsigned long)drained,
             (unsigned long)queued);
    sc_check(sock_wait_writable(c, SC_WAIT_MS) == 1, "%s, %s: select does not say writable again",
             fam, how);
    if (event_select) {
        w = WaitForSingleObject(ev, SC_WAIT_MS);
        sc_check(w == WAIT_OBJECT_0, "%s: FD_WRITE not signalled again (wait gave %lu)", fam, w);
        sc_check(WSAEnumNetworkEvents(c, ev, &ne) == 0 && (ne.lNetworkEvents & FD_WRITE) &&
                 ne.iErrorCode[FD_WRITE_BIT] == 0,
                 "%s: FD_WRITE not recorded again without error", fam);
    }
    rc = send(c, (char *)out, 100, 0);
    err = WSAGetLastError();
    sc_check(rc == 100, "%s, %s: the next send returned %d (error %d %s), expected 100", fam, how,
             rc, err, sc_error_name(err));
    if (event_select) {
        rc = WSAEventSelect(c, NULL, 0);
        err = WSAGetLastError();
        sc_check(rc == 0, "%s: WSAEventSelect(NULL, 0) returned %d, error %d (%s)", fam, rc, err,
                 sc_error_name(err));
        WSACloseEvent(ev);
    }
    closesocket(c);
    closesocket(s);
}

void t_B03(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        wouldblock_then_writable(sc_family(f), FALSE);
        wouldblock_then_writable(sc_family(f), TRUE);
    }
}
