/* SPDX-License-Identifier: MIT */
/* t_errors.c: how sends fail, and datagram specifics (S03 S11 S20 S21 S22
 * S23 S24 S25 S26 S27 S28 S31 S32 B04 B05). Every test asserts what the
 * documents say; where Wine says otherwise the failure names what it
 * answered, and test/loopback_errors.c, loopback_udp.c and
 * loopback_uninit.c pin that answer. */
#include "sc.h"

#include <stdlib.h>
#include <string.h>

/* send() and WSASend() of one byte on S both fail with CODE. */
static void sends_fail(SOCKET s, int code)
{
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;

    sc_check_wsa_error(send(s, "x", 1, 0), code);
    sc_check_wsa_error(WSASend(s, &buf, 1, &sent, 0, NULL, NULL), code);
}

/* S03: a failing send returns exactly SOCKET_ERROR and the error is what
 * WSAGetLastError gives right after it - not an earlier one. */
void t_S03(void)
{
    SOCKET c, s;
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    int rc;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    sc_check(shutdown(c, SD_SEND) == 0, "shutdown: %d", WSAGetLastError());
    WSASetLastError(WSAEINTR);
    rc = WSASend(c, &buf, 1, &sent, 0, NULL, NULL);
    sc_check(rc == SOCKET_ERROR, "WSASend after shutdown returned %d", rc);
    sc_check(WSAGetLastError() == WSAESHUTDOWN, "WSAGetLastError() is %d (%s), not WSAESHUTDOWN",
             WSAGetLastError(), sc_error_name(WSAGetLastError()));
    WSASetLastError(WSAEINTR);
    rc = send(c, "x", 1, 0);
    sc_check(rc == SOCKET_ERROR && WSAGetLastError() == WSAESHUTDOWN,
             "send after shutdown: %d, error %d", rc, WSAGetLastError());
    closesocket(c);
    closesocket(s);
}

static int max_msg_size(SOCKET s)
{
    unsigned int max = 0;
    int len = sizeof(max);

    sc_check(getsockopt(s, SOL_SOCKET, SO_MAX_MSG_SIZE, (char *)&max, &len) == 0,
             "SO_MAX_MSG_SIZE: %d", WSAGetLastError());
    sc_check(max > 0 && max < 65536, "SO_MAX_MSG_SIZE is %u", max);
    return (int)max;
}

/* S11: a datagram one byte over SO_MAX_MSG_SIZE fails with WSAEMSGSIZE
 * and nothing is transmitted; one of exactly that size goes whole and
 * unchanged. */
void t_S11(void)
{
    sc_require_over(SC_OVER_UDP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET a, b;
        struct sockaddr_storage bname;
        int blen, max, rcvbuf = 1 << 20, n, err;
        size_t bad;
        unsigned char *out, *in;
        WSABUF buf;
        DWORD sent;

        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        max = max_msg_size(a);
        n = setsockopt(b, SOL_SOCKET, SO_RCVBUF, (char *)&rcvbuf, sizeof(rcvbuf));
        err = WSAGetLastError();
        sc_check(n == 0, "%s: SO_RCVBUF of 1 MiB: %d, error %d (%s)", sc_family_name(sc_family(f)),
                 n, err, sc_error_name(err));
        out = sc_pattern(max + 1, 11);
        in = malloc(max + 1);
        sc_check(in != NULL, "out of memory");
        buf.buf = (char *)out;
        buf.len = max + 1;
        n = sendto(a, (char *)out, max + 1, 0, (struct sockaddr *)&bname, blen);
        sc_soft(n == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE,
                "%s: sendto of SO_MAX_MSG_SIZE + 1 = %d bytes returned %d (error %d)",
                sc_family_name(sc_family(f)), max + 1, n, WSAGetLastError());
        n = WSASendTo(a, &buf, 1, &sent, 0, (struct sockaddr *)&bname, blen, NULL, NULL);
        sc_soft(n == SOCKET_ERROR && WSAGetLastError() == WSAEMSGSIZE,
                "%s: WSASendTo of %d bytes returned %d (error %d)", sc_family_name(sc_family(f)),
                max + 1, n, WSAGetLastError());
        while (sock_wait_readable(b, 200) == 1) {
            int got = recv(b, (char *)in, max + 1, 0);
            sc_soft(0, "%s: a datagram of %d bytes over SO_MAX_MSG_SIZE was transmitted",
                    sc_family_name(sc_family(f)), got);
        }
        sc_check(sendto(a, (char *)out, max, 0, (struct sockaddr *)&bname, blen) == max,
                 "sendto of SO_MAX_MSG_SIZE bytes: %d", WSAGetLastError());
        sc_check(sc_recv_datagram(b, in, max + 1) == max, "the largest datagram did not arrive");
        bad = pattern_mismatch(in, max, 11, 0);
        sc_check(bad == (size_t)max, "%s: the largest datagram differs from what was sent at "
                 "byte %lu of %d", sc_family_name(sc_family(f)), (unsigned long)bad, max);
        free(out);
        free(in);
        sock_close_pair(a, b);
    }
}

/* S20: after connect() on a datagram socket, send and WSASend without an
 * address go to that default peer. */
void t_S20(void)
{
    sc_require_over(SC_OVER_UDP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET a, b;
        struct sockaddr_storage bname;
        int blen, rc;
        unsigned char in[64];
        WSABUF buf = { 6, "second" };
        DWORD sent = 0;

        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        sc_check(connect(a, (struct sockaddr *)&bname, blen) == 0, "connect: %d",
                 WSAGetLastError());
        sc_check(send(a, "first", 5, 0) == 5, "send: %d", WSAGetLastError());
        rc = WSASend(a, &buf, 1, &sent, 0, NULL, NULL);
        sc_check(rc == 0 && sent == 6, "WSASend: %d (error %d)", rc, WSAGetLastError());
        sc_check(sc_recv_datagram(b, in, sizeof(in)) == 5 && !memcmp(in, "first", 5),
                 "the first datagram did not reach the default peer");
        sc_check(sc_recv_datagram(b, in, sizeof(in)) == 6 && !memcmp(in, "second", 6),
                 "the second datagram did not reach the default peer");
        closesocket(a);
        closesocket(b);
    }
}

/* Urgent data shows in select()'s exceptfds (SO_OOBINLINE off). */
static BOOL wait_urgent(SOCKET s)
{
    fd_set set;
    struct timeval tv = { SC_WAIT_MS / 1000, 0 };

    FD_ZERO(&set);
    FD_SET(s, &set);
    return select(0, NULL, NULL, &set, &tv) == 1;
}

/* S21: MSG_DONTROUTE is accepted (may be ignored); MSG_OOB on a stream
 * sends urgent data; MSG_OOB on a datagram socket (sendto, WSASendTo, send
 * once connected) and MSG_PARTIAL on a stream (unsupported there) fail
 * with WSAEOPNOTSUPP, sending nothing. */
void t_S21(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        const char *fam = sc_family_name(sc_family(f));
        SOCKET c, s, a, b;
        struct sockaddr_storage bname;
        int blen, n, err;
        char in[8];
        WSABUF buf = { 1, "p" };
        DWORD sent = 0;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        n = send(c, "d", 1, MSG_DONTROUTE);
        sc_soft(n == 1, "%s: send(MSG_DONTROUTE) returned %d (error %d)", fam, n,
                WSAGetLastError());
        if (n == 1)
            sc_soft(sock_recv_exact(s, in, 1, SC_WAIT_MS) == 1 && in[0] == 'd',
                    "%s: MSG_DONTROUTE data lost", fam);
        n = send(c, "u", 1, MSG_OOB);
        sc_soft(n == 1, "%s: send(MSG_OOB) on a stream returned %d (error %d)", fam, n,
                WSAGetLastError());
        if (n == 1) {
            sc_soft(wait_urgent(s), "%s: select() never reported the urgent data (exceptfds)",
                    fam);
            n = recv(s, in, 1, MSG_OOB);
            sc_soft(n == 1 && in[0] == 'u', "%s: recv(MSG_OOB) returned %d (error %d)", fam, n,
                    WSAGetLastError());
        }
        n = WSASend(c, &buf, 1, &sent, MSG_PARTIAL, NULL, NULL);
        err = WSAGetLastError();
        sc_soft(n == SOCKET_ERROR && err == WSAEOPNOTSUPP,
                "%s: WSASend(MSG_PARTIAL) on TCP returned %d (error %d %s), expected "
                "WSAEOPNOTSUPP", fam, n, err, sc_error_name(err));
        sc_soft(n == 0 || sock_wait_readable(s, 200) == 0, "%s: MSG_PARTIAL data was sent", fam);
        closesocket(c);
        closesocket(s);

        if (sc_env.arrangement == SC_LAYERED && !(sc_env.over & SC_OVER_UDP))
            continue;
        sc_udp_pair(sc_family(f), &a, &b, &bname, &blen);
        n = sendto(a, "x", 1, MSG_OOB, (struct sockaddr *)&bname, blen);
        err = WSAGetLastError();
        sc_soft(n == SOCKET_ERROR && err == WSAEOPNOTSUPP,
                "%s: sendto(MSG_OOB) on UDP returned %d (error %d), expected WSAEOPNOTSUPP", fam,
                n, err);
        buf.buf = "y";
        n = WSASendTo(a, &buf, 1, &sent, MSG_OOB, (struct sockaddr *)&bname, blen, NULL, NULL);
        err = WSAGetLastError();
        sc_soft(n == SOCKET_ERROR && err == WSAEOPNOTSUPP,
                "%s: WSASendTo(MSG_OOB) on UDP returned %d (error %d %s), expected WSAEOPNOTSUPP",
                fam, n, err, sc_error_name(err));
        n = connect(a, (struct sockaddr *)&bname, blen);
        err = WSAGetLastError();
        sc_check(n == 0, "%s: connect(UDP): %d, error %d (%s)", fam, n, err, sc_error_name(err));
        n = send(a, "z", 1, MSG_OOB);
        err = WSAGetLastError();
        sc_soft(n == SOCKET_ERROR && err == WSAEOPNOTSUPP,
                "%s: send(MSG_OOB) on connected UDP returned %d (error %d %s), expected "
                "WSAEOPNOTSUPP", fam, n, err, sc_error_name(err));
        sc_soft(sock_wait_readable(b, 200) == 0, "%s: a MSG_OOB datagram was transmitted", fam);
        closesocket(a);
        closesocket(b);
    }
}

/* S22: after shutdown(SD_SEND) or (SD_BOTH): WSAESHUTDOWN; the peer sees
 * the end of the stream only. */
void t_S22(void)
{
    static const int how[2] = { SD_SEND, SD_BOTH };

    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++)
        for (int h = 0; h < 2; h++) {
            SOCKET c, s;
            char in[4];
            sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
            sc_check(shutdown(c, how[h]) == 0, "shutdown: %d", WSAGetLastError());
            sends_fail(c, WSAESHUTDOWN);
            sc_check(sock_wait_readable(s, SC_WAIT_MS) == 1 && recv(s, in, sizeof(in), 0) == 0,
                     "the peer did not see just the end of the stream");
            closesocket(c);
            closesocket(s);
        }
}

/* S23: a stream socket not connected (unbound, bound): WSAENOTCONN. */
void t_S23(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET s = sc_socket(sc_family(f), SOCK_STREAM, WSA_FLAG_OVERLAPPED);
        struct sockaddr_storage any;
        int len = sock_loopback(sc_family(f), &any);

        sends_fail(s, WSAENOTCONN);
        sc_check(bind(s, (struct sockaddr *)&any, len) == 0, "bind: %d", WSAGetLastError());
        sends_fail(s, WSAENOTCONN);
        closesocket(s);
    }
}

/* S24: INVALID_SOCKET, a closed socket (IPv4, IPv6) and a file handle:
 * WSAENOTSOCK. */
void t_S24(void)
{
    SOCKET c, s;
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    HANDLE file;

    sc_require_over(SC_OVER_TCP);
    sends_fail(INVALID_SOCKET, WSAENOTSOCK);
    for (int f = 0; f < SC_FAMILIES; f++) {
        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        sc_check(closesocket(c) == 0, "closesocket: %d", WSAGetLastError());
        sends_fail(c, WSAENOTSOCK);
        closesocket(s);
    }
    sc_check(GetTempPathW(MAX_PATH, dir) && GetTempFileNameW(dir, L"spc", 0, path),
             "no temporary file");
    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    sc_check(file != INVALID_HANDLE_VALUE, "CreateFile: %lu", GetLastError());
    sends_fail((SOCKET)file, WSAENOTSOCK);
    CloseHandle(file);
}

/* A page that cannot be read: where the invalid buffers point. */
static void *no_access_page(void)
{
    void *p = VirtualAlloc(NULL, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_NOACCESS);

    sc_check(p != NULL, "VirtualAlloc: %lu", GetLastError());
    return p;
}

/* S25: lpBuffers, or a data buffer, not in valid memory: WSAEFAULT, no
 * crash, blocking and overlapped; nothing is sent. */
void t_S25(void)
{
    SOCKET c, s;
    void *bad = no_access_page();
    WSABUF good = { 1, "x" }, bad_data = { 16, bad };
    WSAOVERLAPPED ov = { 0 };
    DWORD sent = 0;
    int rc, err;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    sc_check_wsa_error(WSASend(c, (WSABUF *)bad, 1, &sent, 0, NULL, NULL), WSAEFAULT);
    sc_check_wsa_error(WSASend(c, &bad_data, 1, &sent, 0, NULL, NULL), WSAEFAULT);
    ov.hEvent = WSACreateEvent();
    rc = WSASend(c, (WSABUF *)bad, 1, &sent, 0, &ov, NULL);
    err = WSAGetLastError();
    sc_check(rc == SOCKET_ERROR && err == WSAEFAULT,
             "overlapped WSASend with lpBuffers unreadable: %d, error %d (%s)", rc, err,
             sc_error_name(err));
    sc_check(sock_wait_readable(s, 200) == 0, "something was sent");
    /* The socket still works. */
    rc = WSASend(c, &good, 1, &sent, 0, NULL, NULL);
    sc_check(rc == 0 && sent == 1, "a good send after them failed: %d", WSAGetLastError());
    WSACloseEvent(ov.hEvent);
    closesocket(c);
    closesocket(s);
}

/* S26: lpNumberOfBytesSent NULL without an overlapped structure:
 * WSAEFAULT, nothing sent; with one it is accepted. IPv4 and IPv6. */
void t_S26(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++) {
        SOCKET c, s;
        char in[8];
        WSABUF fail = { 4, "fail" }, ok = { 4, "good" };
        WSAOVERLAPPED ov = { 0 };
        DWORD bytes = 0, flags = 0;
        int rc, err;

        sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
        sc_check_wsa_error(WSASend(c, &fail, 1, NULL, 0, NULL, NULL), WSAEFAULT);
        sc_check(sock_wait_readable(s, 100) == 0, "the failed send transmitted");
        ov.hEvent = WSACreateEvent();
        rc = WSASend(c, &ok, 1, NULL, 0, &ov, NULL);
        err = WSAGetLastError();
        sc_check(rc == 0 || err == WSA_IO_PENDING, "overlapped, NULL count: error %d", err);
        sc_check(WSAGetOverlappedResult(c, &ov, &bytes, TRUE, &flags) && bytes == 4,
                 "overlapped result");
        sc_check(sock_recv_exact(s, in, 4, SC_WAIT_MS) == 4 && !memcmp(in, "good", 4),
                 "wrong bytes");
        WSACloseEvent(ov.hEvent);
        closesocket(c);
        closesocket(s);
    }
}

/* S27 (runs without the fixture's WSAStartup): before WSAStartup, and
 * after the last WSACleanup, send and WSASend fail with
 * WSANOTINITIALISED. */
void t_S27(void)
{
    WSADATA data;
    SOCKET a, b;
    struct sockaddr_storage bname;
    int blen;

    sends_fail(INVALID_SOCKET, WSANOTINITIALISED);
    sends_fail((SOCKET)0x104, WSANOTINITIALISED);
    sc_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    sc_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "second WSAStartup");
    sc_udp_pair(AF_INET, &a, &b, &bname, &blen);
    sc_check(connect(a, (struct sockaddr *)&bname, blen) == 0, "connect");
    sc_check(WSACleanup() == 0, "first WSACleanup");
    sc_check(send(a, "x", 1, 0) == 1, "send between the two WSACleanups: %d", WSAGetLastError());
    sc_check(WSACleanup() == 0, "last WSACleanup");
    sends_fail(a, WSANOTINITIALISED);
}

/* An overlapped WSASend with an event on C, after the peer's reset: it
 * fails with WSAECONNRESET at once, and no completion follows (S05): the
 * event stays unsignalled. */
static void overlapped_send_reset(SOCKET c, const char *fam)
{
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 1, "x" };
    DWORD sent = 0, w;

    ov.hEvent = WSACreateEvent();
    sc_check_wsa_error(WSASend(c, &buf, 1, &sent, 0, &ov, NULL), WSAECONNRESET);
    w = WaitForSingleObject(ov.hEvent, 200);
    sc_check(w == WAIT_TIMEOUT, "%s: the event of a WSASend that failed at once with "
             "WSAECONNRESET was signalled (wait gave %lu, expected WAIT_TIMEOUT)", fam, w);
    WSACloseEvent(ov.hEvent);
}

/* S28: after the peer's reset (SO_LINGER {1, 0}), send and overlapped
 * WSASend fail with WSAECONNRESET, whichever comes first, and the socket
 * still closes. IPv4 and IPv6. */
void t_S28(void)
{
    sc_require_over(SC_OVER_TCP);
    for (int f = 0; f < SC_FAMILIES; f++)
        for (int wsasend_first = 0; wsasend_first < 2; wsasend_first++) {
            const char *fam = sc_family_name(sc_family(f));
            SOCKET c, s;
            struct linger lg = { 1, 0 };
            int rc, err;

            sc_tcp_pair(sc_family(f), WSA_FLAG_OVERLAPPED, 0, &c, &s);
            sc_check(setsockopt(s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof(lg)) == 0, "SO_LINGER");
            sc_check(closesocket(s) == 0, "closesocket(peer)");
            sc_check(sock_wait_readable(c, SC_WAIT_MS) == 1, "the reset did not arrive");
            if (wsasend_first)
                overlapped_send_reset(c, fam);
            sc_check_wsa_error(send(c, "x", 1, 0), WSAECONNRESET);
            if (!wsasend_first)
                overlapped_send_reset(c, fam);
            rc = closesocket(c);
            err = WSAGetLastError();
            sc_check(rc == 0, "%s: closesocket after the reset: %d, error %d (%s)", fam, rc, err,
                     sc_error_name(err));
        }
}

static void CALLBACK unused_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags)
{
    (void)error, (void)bytes, (void)ov, (void)flags;
}

/* S31: an overlapped send on a socket made without WSA_FLAG_OVERLAPPED,
 * and a send with a completion routine on a socket bound to a completion
 * port: WSAEINVAL. */
void t_S31(void)
{
    SOCKET c, s;
    WSAOVERLAPPED ov = { 0 };
    WSABUF buf = { 1, "x" };
    DWORD sent = 0;
    HANDLE port;
    int rc, err;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, 0, 0, &c, &s);
    ov.hEvent = WSACreateEvent();
    rc = WSASend(c, &buf, 1, &sent, 0, &ov, NULL);
    err = WSAGetLastError();
    sc_soft(rc == SOCKET_ERROR && err == WSAEINVAL,
            "overlapped WSASend on a non-overlapped socket: %d, error %d (%s)", rc, err,
            sc_error_name(err));
    closesocket(c);
    closesocket(s);

    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    port = CreateIoCompletionPort((HANDLE)c, NULL, 31, 0);
    sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
    memset(&ov, 0, sizeof(ov));
    rc = WSASend(c, &buf, 1, &sent, 0, &ov, unused_routine);
    err = WSAGetLastError();
    sc_soft(rc == SOCKET_ERROR && err == WSAEINVAL,
            "WSASend with a routine on a socket bound to a port: %d, error %d (%s)", rc, err,
            sc_error_name(err));
    SleepEx(0, TRUE);
    CloseHandle(port);
    closesocket(c);
    closesocket(s);
}

/* S32: a datagram to a broadcast address without SO_BROADCAST: WSAEACCES.
 * The address is the loopback network's broadcast, 127.255.255.255, so a
 * stack that wrongly sends it sends it nowhere but here. */
void t_S32(void)
{
    struct sockaddr_in to = { 0 };
    WSABUF buf = { 1, "b" };
    DWORD sent = 0;
    BOOL on = FALSE;
    int len = sizeof(on);
    SOCKET a;

    sc_require_over(SC_OVER_UDP);
    a = sc_socket(AF_INET, SOCK_DGRAM, WSA_FLAG_OVERLAPPED);
    sc_check(getsockopt(a, SOL_SOCKET, SO_BROADCAST, (char *)&on, &len) == 0 && !on,
             "SO_BROADCAST is set on a new socket");
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    to.sin_addr.s_addr = htonl(0x7fffffff);
    sc_check_wsa_error(sendto(a, "b", 1, 0, (struct sockaddr *)&to, sizeof(to)), WSAEACCES);
    sc_check_wsa_error(WSASendTo(a, &buf, 1, &sent, 0, (struct sockaddr *)&to, sizeof(to),
                                 NULL, NULL), WSAEACCES);
    closesocket(a);
}

/* B04: an unknown flag, or MSG_OOB with SO_OOBINLINE set: WSAEINVAL. */
void t_B04(void)
{
    SOCKET c, s;
    BOOL on = TRUE;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    int n = send(c, "x", 1, 0x40000000), err = WSAGetLastError();

    sc_soft(n == SOCKET_ERROR && err == WSAEINVAL,
            "send with unknown flag 0x40000000 returned %d (error %d), expected WSAEINVAL", n, err);
    sc_check(setsockopt(c, SOL_SOCKET, SO_OOBINLINE, (char *)&on, sizeof(on)) == 0,
             "SO_OOBINLINE: %d", WSAGetLastError());
    n = send(c, "x", 1, MSG_OOB);
    err = WSAGetLastError();
    sc_soft(n == SOCKET_ERROR && err == WSAEINVAL,
            "send(MSG_OOB) with SO_OOBINLINE set returned %d (error %d), expected WSAEINVAL", n,
            err);
    closesocket(c);
    closesocket(s);
}

/* B05: send() with buf not in valid memory: WSAEFAULT, no crash. */
void t_B05(void)
{
    SOCKET c, s;
    void *bad = no_access_page();

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    sc_check_wsa_error(send(c, bad, 16, 0), WSAEFAULT);
    sc_check_wsa_error(send(c, (char *)1, 16, 0), WSAEFAULT);
    sc_check(sock_wait_readable(s, 200) == 0, "something was sent");
    sc_check(send(c, "x", 1, 0) == 1, "a good send after them failed: %d", WSAGetLastError());
    closesocket(c);
    closesocket(s);
}
