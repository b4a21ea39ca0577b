/* SPDX-License-Identifier: MIT */
/* The filter API: interception written as a small DLL that lspkit.dll
 * loads, with only the policy in it (docs/filters.md teaches it).
 *
 * lspkit.dll is a conformant layered provider; a filter inherits that. It
 * sees the sockets of the processes it is scoped to, as the application
 * sees them, and answers with a verdict: let a call through, fail it with
 * a Winsock error, send a connect somewhere else (after a handshake it
 * runs on the new connection), or send other bytes. lspkit, not the
 * filter, keeps the invariants: each overlapped operation completes to
 * the application exactly once, through the channel it chose; the
 * WSATHREADID is kept by value; the capture records what the application
 * sent and received.
 *
 * Where filters come from. HKLM\SOFTWARE\lspkit\Filters has one subkey a
 * filter (`lspinst filter add|remove|list` manages them):
 *   Path              REG_SZ or REG_EXPAND_SZ: the filter's DLL, a full path
 *   Position          REG_DWORD: filters run in increasing Position (then
 *                     by name); a connect or send stops at the first
 *                     filter whose verdict is not LSPKIT_ALLOW
 *   IncludeProcesses, ExcludeProcesses
 *                     image names (REG_MULTI_SZ, or a REG_SZ list with
 *                     commas or semicolons), as for the capture: a filter
 *                     is loaded only into the processes they select
 *   anything else     the filter's own settings: its open function gets
 *                     the subkey
 * The filters are read and loaded once in a process, by lspkit.dll's first
 * WSPStartup, and stay loaded until the process ends, as lspkit.dll does:
 * a completion or a socket's close may still reach them after the last
 * WSPCleanup. One that cannot be loaded is named in lspkit.log and left
 * out; the others run.
 *
 * Threads. Every call may come on any thread, concurrently for different
 * sockets, and for one socket as concurrently as the application calls
 * it. A call must not block, except `handshake`, which lspkit runs off
 * the application's thread when the application did not ask to wait
 * (ConnectEx). No call may call back into Winsock on the application's
 * socket handle, and the open function may make no socket: lspkit.dll
 * opens the filters inside its own start. */
#ifndef LSPKIT_FILTER_H
#define LSPKIT_FILTER_H

#include <winsock2.h>
#include <ws2tcpip.h>

/* 2 added datagram redirects (a send's and a receive's LSPKIT_REDIRECT,
 * a datagram socket's connect redirected) and the host's `dial`. A filter
 * built for 1 still loads. */
#define LSPKIT_FILTER_API_VERSION 2

/* The one function a filter DLL exports, by this name. */
#define LSPKIT_FILTER_OPEN "lspkit_filter_open"

struct lspkit_stream;

/* What lspkit offers a filter. */
struct lspkit_host {
    DWORD api_version;            /* LSPKIT_FILTER_API_VERSION of this lspkit.dll */
    /* One line in lspkit.log (%ProgramData%\lspkit\lspkit.log), with the
     * time, the process and the filter's name in front. For what a user
     * must know (a denial, a setting that is wrong), not for every call. */
    void (*log)(const char *filter_name, const char *format, ...)
        __attribute__((format(printf, 2, 3)));
    /* Since version 2. A TCP connection of the filter's own to `to` (a
     * proxy's control connection, say), made through the providers below
     * lspkit: no filter sees it, the capture does not record it. Waits
     * for the connect, up to LSPKIT_HANDSHAKE_MS. 0 with *stream, whose
     * calls each wait up to LSPKIT_HANDSHAKE_MS; or a WSA error. It waits,
     * so call it only where a call may wait: `handshake`, or `connect` and
     * `send` of a datagram socket (whose caller then waits for it).
     * `hang_up` closes the connection and frees the stream. */
    int (*dial)(const struct sockaddr *to, int to_len, struct lspkit_stream **stream);
    void (*hang_up)(struct lspkit_stream *stream);
};

/* A socket as the filter sees it. */
struct lspkit_socket {
    SOCKET handle;                /* the application's handle */
    int family, type, protocol;
    void *state;                  /* the filter's own: set it in socket_created,
                                     free it in socket_closed; lspkit never reads it */
};

enum lspkit_verdict {
    LSPKIT_ALLOW,                 /* the call goes on as the application made it */
    LSPKIT_DENY,                  /* the call fails with the verdict's `error` */
    LSPKIT_REDIRECT,              /* a connect goes to `redirect`, then `handshake`;
                                     a datagram goes to (or comes from) `redirect` */
    LSPKIT_REPLACE,               /* the `replacement` bytes go (or arrive) instead */
};

/* A connect: connect, WSAConnect and WSAConnectByName (through WSPConnect)
 * and ConnectEx (`overlapped` TRUE). */
struct lspkit_connect {
    const struct sockaddr *to;    /* where the application connects */
    int to_len;
    BOOL overlapped;              /* ConnectEx */
    /* The verdict's details, which the filter fills in: */
    int error;                    /* LSPKIT_DENY: a WSA error (0: WSAEACCES) */
    struct sockaddr_storage redirect;   /* LSPKIT_REDIRECT: where to connect instead */
    int redirect_len;
};

/* The connection a redirect made, for the handshake: the lower socket,
 * connected to `redirect`, before the application sees its connect end.
 * Both calls wait (up to LSPKIT_HANDSHAKE_MS in all) and return 0 or a
 * WSA error; `recv` gives exactly `len` bytes, or WSAECONNRESET when the
 * peer closes first. */
#define LSPKIT_HANDSHAKE_MS 30000
struct lspkit_stream {
    int (*send)(struct lspkit_stream *stream, const void *buf, int len);
    int (*recv)(struct lspkit_stream *stream, void *buf, int len);
};

/* A transfer's bytes as the application sees them. The fields after
 * `capacity` are version 2's: a filter built for 1 leaves them alone. */
struct lspkit_transfer {
    const WSABUF *bufs;           /* the application's buffers */
    DWORD count;
    DWORD bytes;                  /* how many bytes of them count */
    const struct sockaddr *peer;  /* sendto's destination, recvfrom's source; or NULL */
    int peer_len;
    /* A send's or a receive's verdict details, which the filter fills in: */
    int error;                    /* LSPKIT_DENY: a WSA error (0: WSAEACCES) */
    const void *replacement;      /* LSPKIT_REPLACE: the bytes to send or deliver */
    DWORD replacement_len;        /* instead, copied by lspkit as soon as the call returns */
    DWORD capacity;               /* a receive: the room in `bufs`, which a
                                     replacement must fit */
    /* LSPKIT_REDIRECT of a datagram: where a send goes instead, or the
     * source a receive is given as. `replacement` may be set with it. */
    struct sockaddr_storage redirect;
    int redirect_len;
};

enum lspkit_direction { LSPKIT_SENT, LSPKIT_RECEIVED };

/* A filter: what its open function returns. Every call is optional (NULL). */
struct lspkit_filter {
    DWORD api_version;            /* LSPKIT_FILTER_API_VERSION it was built with */
    const char *name;             /* for the log */

    /* A socket was made (socket, WSASocket, accept, AcceptEx's socket), and
     * is closed. A filter that cannot keep its state leaves it NULL. */
    void (*socket_created)(struct lspkit_socket *s);
    void (*socket_closed)(struct lspkit_socket *s);

    /* A connect, before it leaves: LSPKIT_ALLOW, LSPKIT_DENY or
     * LSPKIT_REDIRECT. A redirected datagram socket is connected to
     * `redirect` and has no handshake: its sends and receives are the
     * filter's to shape (a SOCKS5 header, say). Either way getpeername
     * answers the address the application connected to. */
    enum lspkit_verdict (*connect)(struct lspkit_socket *s, struct lspkit_connect *c);
    /* After a redirect connected: the filter's own exchange with the
     * server it redirected to (a proxy's greeting, say). 0, or the WSA
     * error that the application's connect then fails with. */
    int (*handshake)(struct lspkit_socket *s, const struct lspkit_connect *c,
                     struct lspkit_stream *stream);

    /* A connection accepted on listener L by accept, WSAAccept or AcceptEx
     * (when AcceptEx completes); `peer` NULL when the stack would not name
     * it yet. */
    void (*accepted)(struct lspkit_socket *l, struct lspkit_socket *s,
                     const struct sockaddr *peer, int peer_len);

    /* A send, before it leaves (send, WSASend, sendto, WSASendTo, each
     * blocking, non-blocking, overlapped or on a completion port):
     * LSPKIT_ALLOW, LSPKIT_DENY, LSPKIT_REPLACE, or (datagram sockets)
     * LSPKIT_REDIRECT: the datagram goes to `redirect`, as `replacement`
     * when that is set. A replaced or redirected send reports the
     * application's own count as sent. */
    enum lspkit_verdict (*send)(struct lspkit_socket *s, struct lspkit_transfer *t);

    /* A receive that ended with data, before the application sees it
     * (recv, WSARecv, recvfrom, WSARecvFrom, in every mode; not MSG_PEEK,
     * WSARecvMsg or AcceptEx's first data): LSPKIT_ALLOW, LSPKIT_DENY (the
     * receive fails with `error`) or LSPKIT_REPLACE (the application gets
     * `replacement` instead: at most `capacity` bytes - a longer one fails
     * the receive with WSAENOBUFS, and the log says so), or (datagram
     * sockets) LSPKIT_REDIRECT: recvfrom's caller is told the datagram
     * came from `redirect`, holding `replacement` when that is set.
     * `t->peer` is the source for recvfrom and WSARecvFrom, even when the
     * application asks for none; recv and WSARecv name none (NULL). */
    enum lspkit_verdict (*receive)(struct lspkit_socket *s, struct lspkit_transfer *t);

    /* A transfer that ended, either way, however it was made (including
     * ConnectEx's and AcceptEx's data, TransmitFile, WSASendMsg and
     * WSARecvMsg): `t->bytes` moved. Failed transfers are not reported. */
    void (*transferred)(struct lspkit_socket *s, enum lspkit_direction direction,
                        const struct lspkit_transfer *t);
};

/* The filter's export: its table, or NULL when it will not run (say why
 * through host->log). SETTINGS is the filter's subkey of
 * HKLM\SOFTWARE\lspkit\Filters, open for reading until the open function
 * returns. */
typedef const struct lspkit_filter *(WINAPI *lspkit_filter_open_fn)(const struct lspkit_host *host,
                                                                   HKEY settings);

#endif
