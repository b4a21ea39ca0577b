/* SPDX-License-Identifier: MIT */
/* Waiting and draining on a socket, the byte pattern the tests send, and
 * the loopback sockets they build: spicheck's, which the tests in test/
 * link too. The waits, threads and pattern are plain Winsock without
 * assertions, so helper threads may call them; the builders fail through
 * sock_fail, which each program defines (see below). */
#ifndef LSPKIT_SPICHECK_SOCKWAIT_H
#define LSPKIT_SPICHECK_SOCKWAIT_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <stddef.h>

/* Waits up to TIMEOUT_MS for S to be readable or writable: returns
 * select()'s count, 0 on timeout. */
int sock_wait_readable(SOCKET s, DWORD timeout_ms);
int sock_wait_writable(SOCKET s, DWORD timeout_ms);

/* Receives exactly LEN bytes (waiting up to TIMEOUT_MS between pieces).
 * Returns the count received; stops early at EOF, error or timeout. */
size_t sock_recv_exact(SOCKET s, void *buf, size_t len, DWORD timeout_ms);

/* Receives whatever is queued on S without blocking; returns the count. */
size_t sock_recv_available(SOCKET s);

/* The loopback address of FAMILY (port 0) in *SS; returns its length. */
int sock_loopback(int family, struct sockaddr_storage *ss);

/* How the socket builders below fail: each program that links this file
 * defines it - spicheck's clause fails, a Check program's test fails -
 * and it does not return. Only the builders call it, never the waits and
 * threads above and below, so helper threads stay free of it. */
__attribute__((noreturn, format(printf, 1, 2)))
void sock_fail(const char *fmt, ...);

/* Loopback sockets, or sock_fail naming the step that failed. BUFSIZE > 0
 * makes the socket buffers that small, so that a send of a few of them
 * cannot complete before the peer reads. ADDR gets the listener's name,
 * BNAME the name of B. The UDP sockets are overlapped. */
SOCKET sock_listener(int family, DWORD flags, int bufsize, struct sockaddr_storage *addr,
                     int *len);
void sock_tcp_pair(int family, DWORD flags, int bufsize, SOCKET *client, SOCKET *server);
void sock_udp_pair(int family, SOCKET *a, SOCKET *b, struct sockaddr_storage *bname,
                   int *blen);
/* Closes both sockets of a pair the builders above made. */
void sock_close_pair(SOCKET a, SOCKET b);
/* An extension function of S by GUID (SIO_GET_EXTENSION_FUNCTION_POINTER). */
void *sock_extension(SOCKET s, GUID guid);
/* The extension functions of a connection made and ended with them:
 * AcceptEx and GetAcceptExSockaddrs from LISTENER, ConnectEx and
 * DisconnectEx from CLIENT. */
struct sock_connect_extensions {
    LPFN_ACCEPTEX acceptex;
    LPFN_GETACCEPTEXSOCKADDRS sockaddrs;
    LPFN_CONNECTEX connectex;
    LPFN_DISCONNECTEX disconnectex;
};
void sock_connect_extensions(SOCKET listener, SOCKET client,
                             struct sock_connect_extensions *ext);
/* A message for WSASendMsg or WSARecvMsg: NAME (NAMELEN bytes, or NULL)
 * and COUNT buffers, no control data, no flags. */
WSAMSG sock_message(void *name, int namelen, WSABUF *bufs, DWORD count);
/* A temporary file holding SIZE bytes of DATA, read from its start and
 * deleted when closed (for TransmitFile). */
HANDLE sock_temp_file(const void *data, DWORD size);
/* A new completion port with C bound under C_KEY and S under S_KEY. */
HANDLE sock_port_for_pair(SOCKET c, ULONG_PTR c_key, SOCKET s, ULONG_PTR s_key);

/* A thread that sends DATA on S after DELAY_MS; its handle, or NULL. */
HANDLE sock_send_later(SOCKET s, const char *data, DWORD delay_ms);

/* A thread that sleeps DELAY_MS, then receives LEN bytes from S into a
 * buffer of its own (waiting up to TIMEOUT_MS between pieces), so that
 * the test's thread can block in a send. */
struct sock_drain {
    SOCKET s;
    size_t len;
    DWORD delay_ms, timeout_ms;
    unsigned char *buf;
    size_t got;
    HANDLE thread;
};
/* FALSE, with nothing started, when the buffer or thread cannot be made. */
BOOL sock_drain_start(struct sock_drain *d, SOCKET s, size_t len, DWORD delay_ms,
                      DWORD timeout_ms);
/* Waits for the thread (its delay and four of its timeouts at most) and
 * closes it; FALSE when it did not finish. d->got is then its count. */
BOOL sock_drain_join(struct sock_drain *d);
void sock_drain_free(struct sock_drain *d);

/* The byte at position I of pattern SEED: no short period, so a reordered
 * or duplicated chunk cannot match by accident. */
void pattern_fill(unsigned char *buf, size_t len, unsigned seed, size_t offset);
/* The index of the first byte of BUF that differs from the pattern, or LEN. */
size_t pattern_mismatch(const unsigned char *buf, size_t len, unsigned seed, size_t offset);

#endif
