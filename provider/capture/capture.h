/* SPDX-License-Identifier: MIT */
/* The capture subsystem: what the layered provider sends and receives,
 * written to one pcapng file per process (docs/capture.md).
 *
 * The provider calls, in this order:
 *   capture_init()            at WSPStartup (reads HKLM\SOFTWARE\lspkit once;
 *                             a no-op while capture is running);
 *   capture_record(&event)    for every finished send and receive, guarded
 *                             by capture_enabled() so that the disabled cost
 *                             is one load and one predictable branch;
 *   capture_socket_closed(s)  when an application socket is closed;
 *   capture_shutdown()        at the last WSPCleanup and at
 *                             DLL_PROCESS_DETACH: writes what is queued.
 *
 * Nothing here waits on the disk: records go into a bounded queue that a
 * writer thread drains; when it is full, records are dropped and counted
 * (the file's isb_ifdrop). Every function may be called from any thread. */
#ifndef LSPKIT_CAPTURE_H
#define LSPKIT_CAPTURE_H

#include <winsock2.h>

#include "direction.h"

/* Asked for an address capture does not know yet: the socket's own
 * (`peer` FALSE, getsockname) or its peer's (`peer` TRUE, getpeername).
 * Writes at most *length bytes to `address`, sets *length; FALSE when the
 * socket has no such address. Called at most once or twice per socket, on
 * the recording thread, without any capture lock held. */
typedef BOOL (*capture_address_fn)(void *context, BOOL peer, struct sockaddr *address,
                                   int *length);

/* One finished send or receive. */
struct capture_event {
    SOCKET socket;                /* the application's handle */
    int af, type, protocol;       /* the socket's; only TCP and UDP over IPv4/IPv6 are kept */
    enum capture_direction direction;
    DWORD flags;                  /* MSG_* of the call: the caller's for a send, the
                                     result's for a receive (MSG_PEEK records are ignored) */
    int error;                    /* 0, or the WSA error the call ended with */
    DWORD bytes;                  /* bytes transferred; no payload is kept when error != 0 */
    const WSABUF *buffers;        /* holding those bytes, in order, across the array; for a
                                     receive, all it was given: a TCP receive of 0 bytes
                                     into buffers with room is the peer's FIN */
    DWORD buffer_count;
    const struct sockaddr *remote; /* a datagram's destination or source, or NULL */
    int remote_length;
    capture_address_fn addresses; /* or NULL: unknown addresses are written as zero */
    void *addresses_context;
    DWORD thread_id;              /* the thread that issued the call; 0: this one */
    enum capture_mark mark;       /* what a filter changed (include/lspkit/filter.h) */
};

/* Nonzero while records are wanted. Read it through capture_enabled(). */
extern volatile LONG capture_active;

static inline BOOL capture_enabled(void)
{
    return __builtin_expect(capture_active != 0, 0);
}

/* Reads the configuration and, when capture is on for this process,
 * starts the writer thread. With capture off it starts nothing and writes
 * nothing. A bad value is logged in one line of lspkit.log and replaced by
 * its default. Call it outside DllMain (it reads the registry). */
void capture_init(void);

/* Queues one event; copies at most SnapLength bytes of its payload. */
void capture_record(const struct capture_event *event);

/* `s` was closed: a TCP flow gets its closing FIN, and its state goes. */
void capture_socket_closed(SOCKET s);

/* Stops capture: writes what is queued and the final statistics, closes
 * the file and ends the writer. Safe at DLL_PROCESS_DETACH, also when
 * process exit has already ended the writer thread. capture_init may
 * start capture again afterwards (a new section of the same file).
 * Init and shutdown are meant to be ordered by the caller (the provider's
 * start lock does it); a shutdown that finds another one under way
 * returns at once. */
void capture_shutdown(void);

#endif
