/* SPDX-License-Identifier: MIT */
/* sc.h: what spicheck's clause tests share - the arrangement they run in,
 * how a test passes, fails or declares itself not testable here, and the
 * socket helpers of util.c.
 *
 * Every clause test runs alone in a child process (`spicheck --child ID`),
 * so a test ends by ending that process: sc_fail and sc_skip print the
 * reason on the last line of its output and terminate it at once (no DLL
 * detach, so a provider that hangs on unload cannot turn a verdict into a
 * timeout); returning from the test function is a pass. The parent reads
 * the verdict from the exit code and the reason from the output. */
#ifndef LSPKIT_SPICHECK_SC_H
#define LSPKIT_SPICHECK_SC_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <mswsock.h>
#include <windows.h>
#include <stddef.h>
#include "sockwait.h"

/* Exit codes of a child. */
#define SC_EXIT_PASS 0
#define SC_EXIT_FAIL 1
#define SC_EXIT_SKIP 77

enum sc_arrangement {
    SC_HOST,       /* Wine's own ws2_32: the baseline */
    SC_FRONTEND,   /* lspkit's ws2_32 over the base provider */
    SC_LAYERED,    /* lspkit's ws2_32 through the layered provider under test */
    SC_ARRANGEMENTS
};

/* Which protocols the layered provider is installed over (--over). */
#define SC_OVER_TCP 1u
#define SC_OVER_UDP 2u

struct sc_env {
    enum sc_arrangement arrangement;
    unsigned over;                 /* SC_OVER_* (layered) */
    WCHAR provider[MAX_PATH];      /* the provider DLL under test (layered) */
    GUID layered_guid;             /* its identity: the GUID of its hidden layered entry */
};
extern struct sc_env sc_env;

const char *sc_arrangement_name(enum sc_arrangement a);

/* A clause test: the clause it checks, what it does, how long it may take. */
struct sc_test {
    const char *clause;
    const char *summary;
    void (*run)(void);
    DWORD timeout_ms;
    unsigned flags;
};
#define SC_NO_STARTUP 1u           /* the test calls WSAStartup itself (S27) */

extern const struct sc_test sc_tests[];
extern const unsigned sc_test_count;

/* Ending a test. */
__attribute__((noreturn)) void sc_end(int exit_code);
__attribute__((noreturn, format(printf, 3, 4)))
void sc_fail_at(const char *file, int line, const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2)))
void sc_skip(const char *fmt, ...);
/* A note in the child's output (shown with --verbose). */
__attribute__((format(printf, 1, 2)))
void sc_note(const char *fmt, ...);

/* A failed part of a test that does not stop it: the test goes on to its
 * other parts and fails at its end with every such reason. For clauses
 * with several independent cases, so that one departure does not hide
 * another. */
__attribute__((format(printf, 3, 4)))
void sc_soft_fail_at(const char *file, int line, const char *fmt, ...);
#define sc_soft(cond, ...) do { if (!(cond)) sc_soft_fail_at(__FILE__, __LINE__, __VA_ARGS__); } while (0)

#define sc_fail(...) sc_fail_at(__FILE__, __LINE__, __VA_ARGS__)
#define sc_check(cond, ...) do { if (!(cond)) sc_fail(__VA_ARGS__); } while (0)

/* EXPR must return FAILVAL with WSAGetLastError() == CODE (read at once). */
#define sc_check_fails(expr, failval, code) do {                                \
        long long sc_ret_ = (long long)(expr);                                  \
        int sc_err_ = WSAGetLastError();                                        \
        sc_check(sc_ret_ == (long long)(failval) && sc_err_ == (code),          \
                 "%s returned %lld with error %d (%s); expected %lld with %d (%s)", \
                 #expr, sc_ret_, sc_err_, sc_error_name(sc_err_),              \
                 (long long)(failval), (int)(code), sc_error_name(code));       \
    } while (0)
#define sc_check_wsa_error(expr, code) sc_check_fails(expr, SOCKET_ERROR, code)

/* A short name of a Winsock error code ("WSAECONNRESET"), or "?". */
const char *sc_error_name(int code);

/* --- util.c ------------------------------------------------------------ */

/* How long a test waits for something that should happen at once. */
#define SC_WAIT_MS 5000
/* Socket buffers this small make a few MiB more than the transport holds. */
#define SC_SMALL_BUF 8192

/* Test loops run over IPv4 (0) and IPv6 (1). */
#define SC_FAMILIES 2
int sc_family(int index);
const char *sc_family_name(int family);

/* Skips the test unless the arrangement is one of MASK (bits 1 << SC_*). */
#define SC_IN(a) (1u << (a))
void sc_require_arrangement(unsigned mask, const char *why);
/* In the layered arrangement, skips unless the provider is over PROTO. */
void sc_require_over(unsigned proto);

void sc_startup(void);

/* The whole catalog, hidden and layered entries included (malloc'd), or
 * NULL when WSCEnumProtocols fails. */
WSAPROTOCOL_INFOW *sc_read_catalog(int *count);
/* The same through ENUMERATE (WSCEnumProtocols32 reads the 32-bit one). */
typedef int (WSPAPI *sc_enum_protocols)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
WSAPROTOCOL_INFOW *sc_read_catalog_with(sc_enum_protocols enumerate, int *count);
/* The catalog id of the provider's hidden layered entry (ChainLen
 * LAYERED_PROTOCOL, GUID sc_env.layered_guid), 0 when it is not there. */
DWORD sc_provider_layered_id(const WSAPROTOCOL_INFOW *catalog, int count);
/* TRUE when INFO is a chain entry of the provider: a protocol chain whose
 * top is the provider's layered entry LAYERED_ID. Chain entries carry GUIDs
 * of their own, whatever its installer chose. */
BOOL sc_is_provider_chain(const WSAPROTOCOL_INFOW *info, DWORD layered_id);

/* Removes the second layer L02 installs (t_layered.c); the runner calls it
 * after every layered child, so that one that died leaves nothing behind. */
void sc_remove_second_layer(void);

/* Asserts that S is served as the arrangement says: in `layered` by a chain
 * entry of the provider under test (when installed over its protocol), in
 * `frontend` by a base entry. Called by every helper that makes a socket. */
void sc_check_socket_route(SOCKET s, int type);

SOCKET sc_socket(int family, int type, DWORD flags);
SOCKET sc_listener(int family, DWORD flags, int bufsize, struct sockaddr_storage *addr, int *len);
void sc_tcp_pair(int family, DWORD flags, int bufsize, SOCKET *client, SOCKET *server);
void sc_udp_pair(int family, SOCKET *a, SOCKET *b, struct sockaddr_storage *bname, int *blen);
void sc_set_nonblocking(SOCKET s, int on);

unsigned char *sc_pattern(size_t len, unsigned seed);   /* malloc'd */

/* One datagram (waiting up to SC_WAIT_MS): its length, or -1. */
int sc_recv_datagram(SOCKET s, void *buf, int len);

/* A receiving thread (sockwait.h), started or the test fails. */
void sc_drain_start(struct sock_drain *d, SOCKET s, size_t len, DWORD delay_ms);
/* Joins the thread and checks it received LEN bytes of pattern SEED. */
void sc_drain_check(struct sock_drain *d, unsigned seed, size_t offset);

/* What a completion routine saw; the routine finds its log through
 * lpOverlapped->hEvent, which the provider must leave alone (S15). */
struct sc_routine_log {
    volatile LONG calls;
    volatile LONG depth, max_depth;
    DWORD thread;
    DWORD error, bytes, flags;
    WSAOVERLAPPED *ov;
};
void CALLBACK sc_log_routine(DWORD error, DWORD bytes, WSAOVERLAPPED *ov, DWORD flags);
/* Waits alertably until LOG has AT_LEAST calls or TIMEOUT_MS passes. */
void sc_wait_calls(struct sc_routine_log *log, LONG at_least, DWORD timeout_ms);

/* Posts an overlapped WSASend that must go pending (S04). */
void sc_send_pending(SOCKET c, WSABUF *bufs, DWORD n, WSAOVERLAPPED *ov,
                     LPWSAOVERLAPPED_COMPLETION_ROUTINE routine);


#endif
