/* SPDX-License-Identifier: MIT */
/* The filters this process runs (include/lspkit/filter.h): which are
 * loaded, and asking them in order. Each socket has one view a filter
 * (struct lspkit_socket, holding that filter's state), made when the
 * socket is and handed back to each call; this file knows nothing of the
 * provider's sockets. With no filter loaded every call here is one test. */
#ifndef LSPKIT_PROVIDER_FILTERS_H
#define LSPKIT_PROVIDER_FILTERS_H

#include <lspkit/filter.h>
#include "transfer.h"

#define FILTERS_MAX 16

/* The filters that run in this process, in order: set once, by
 * filters_load (filter_load.c), then only read. */
extern const struct lspkit_filter *filters_table[FILTERS_MAX];
extern LONG filters_count;

/* Which of the calls that cost lspkit.dll work of its own to prepare (a
 * peer's address, a check of the caller's buffers) some loaded filter
 * has: the rest is not prepared. Set with filters_count. */
#define FILTERS_HEAR_ACCEPTED 1
#define FILTERS_JUDGE_SENDS 2
#define FILTERS_JUDGE_RECEIVES 4
extern LONG filters_calls;

/* Reads HKLM\SOFTWARE\lspkit\Filters and loads the filters that select
 * this process, once a process: the later calls do nothing. What cannot
 * be loaded is named in lspkit.log and left out. */
void filters_load(void);

/* A new socket's views, one a filter, after each filter's socket_created;
 * NULL when no filter runs (or no memory: the filters then do not see the
 * socket, and say nothing about it). */
struct lspkit_socket *filters_socket_created(SOCKET app, int family, int type, int protocol);
/* The socket is gone: each filter's socket_closed, then the views freed. */
void filters_socket_closed(struct lspkit_socket *views);

void filters_accepted(struct lspkit_socket *listener, struct lspkit_socket *views,
                      const struct sockaddr *peer, int peer_len);

/* A connect's verdict, from the first filter that does not allow it:
 * 0, with *redirector the index of the filter that redirected it (c's
 * `redirect` set) or -1; or the WSA error that the connect fails with. */
int filters_connect(struct lspkit_socket *views, struct lspkit_connect *c, int *redirector);
/* The redirecting filter's handshake: 0 or a WSA error. */
int filters_handshake(struct lspkit_socket *views, int redirector, const struct lspkit_connect *c,
                      struct lspkit_stream *stream);

/* A send's verdict: 0, with *replacement NULL (the application's bytes go)
 * or a copy of the bytes to send instead (*replacement_len of them, to be
 * freed with free()), and t->redirect_len not 0 when a datagram goes to
 * t->redirect instead; or the WSA error that the send fails with. */
int filters_send(struct lspkit_socket *views, struct lspkit_transfer *t, void **replacement,
                 DWORD *replacement_len);

/* A receive's verdict, the same way (t->redirect: the source the caller
 * is told); a replacement is not checked against t->capacity here. */
int filters_receive(struct lspkit_socket *views, struct lspkit_transfer *t, void **replacement,
                    DWORD *replacement_len);

/* A transfer ended: `bytes` of `bufs` moved. */
void filters_transferred(struct lspkit_socket *views, enum inspect_direction direction,
                         DWORD bytes, const WSABUF *bufs, DWORD count,
                         const struct sockaddr *peer, int peer_len);

#endif
