/* SPDX-License-Identifier: MIT */
/* Helpers of the capture tests (test/capture_*.c): the configuration in
 * HKLM\SOFTWARE\lspkit, fresh capture directories, made-up sockets whose
 * events go straight to capture_record, and the file read back. */
#ifndef LSPKIT_TEST_CAPTURE_UTIL_H
#define LSPKIT_TEST_CAPTURE_UTIL_H

#include <check.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include "../provider/capture/capture.h"
#include "capture_pcapng.h"

/* A socket the tests make up, and the addresses capture may ask for. */
struct fake_socket {
    SOCKET s;
    int af, type, protocol;
    struct sockaddr_storage local, peer;
    int local_len, peer_len;      /* 0: the socket has no such address */
    LONG asked;                   /* times the address callback ran */
    enum capture_mark mark;       /* what fake_call's events say a filter changed */
};

/* Endpoints: IPv4 as four bytes, IPv6 as "2001:db8::N" (last group N). */
int sa4(struct sockaddr_storage *ss, BYTE a, BYTE b, BYTE c, BYTE d, USHORT port);
int sa6(struct sockaddr_storage *ss, USHORT last_group, USHORT port);

/* A stream (TCP) or datagram (UDP) socket with the given ends (peer_len 0: none). */
void fake_socket(struct fake_socket *f, SOCKET s, BOOL tcp, const struct sockaddr_storage *local,
                 int local_len, const struct sockaddr_storage *peer, int peer_len);

/* One finished call on `f`, as the provider reports it. */
void fake_call(struct fake_socket *f, enum capture_direction d, const WSABUF *bufs,
               DWORD count, DWORD bytes, int error, DWORD flags,
               const struct sockaddr_storage *remote, int remote_len);

/* One successful call with a single buffer. */
void fake_data(struct fake_socket *f, enum capture_direction d, const void *data, DWORD len);

/* The peer's FIN: a receive into a buffer with room that returns 0 bytes. */
void fake_peer_fin(struct fake_socket *f);

/* The configuration key, emptied; then single values. */
void cu_config_reset(void);
void cu_config_dword(const WCHAR *name, DWORD value);
void cu_config_string(const WCHAR *name, DWORD type, const WCHAR *text);
/* `items`: NUL-separated, ending with two NULs; `chars` counts them all. */
void cu_config_multi(const WCHAR *name, const WCHAR *items, size_t chars);
/* Enabled = 1, Directory = dir, everything else default. */
void cu_config_enable(const WCHAR *dir);

/* %TEMP%\lspkit-capture\NAME, created empty. */
void cu_dir(const char *name, WCHAR *out);

/* How many *.pcapng `dir` holds; the first one's path in `path`. */
size_t cu_captures(const WCHAR *dir, WCHAR *path);

/* Asserts that `dir` holds exactly one capture and that it reads well. */
void cu_read_capture(const WCHAR *dir, struct cap_file *f);

/* Lines of lspkit.log that contain "capture:". */
int cu_log_lines(void);

/* The threads of this process. */
int cu_threads(void);
/* The same, once a writer thread that capture_shutdown let go has ended:
 * the count after it stays the same for 100 ms (2 s at most). */
int cu_threads_settled(void);

/* `len` bytes of a pattern that differs per `seed`, so that misplaced
 * bytes show. */
void cu_pattern(BYTE *out, size_t len, unsigned seed);

/* The comment prefix every packet of this thread's calls carries. */
void cu_comment_prefix(char *out, size_t size, const char *call, SOCKET s);

#endif
