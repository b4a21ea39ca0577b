/* SPDX-License-Identifier: MIT */
/* layered_capture_io.h: the test's end of a TCP conversation of
 * test/layered_capture.h, taken the way each lc_accept style takes it:
 * plain blocking calls (LC_ACCEPT), or AcceptEx without a receive buffer
 * and a completion port, as Go (LC_ACCEPTEX_GO) and libuv
 * (LC_ACCEPTEX_LIBUV) do. Every wait is bounded by LC_WAIT_MS; every
 * failure is a Check assertion. */
#ifndef LSPKIT_TEST_LAYERED_CAPTURE_IO_H
#define LSPKIT_TEST_LAYERED_CAPTURE_IO_H

#include <winsock2.h>
#include <stddef.h>
#include "layered_capture.h"

struct lc_end {
    enum lc_accept style;
    SOCKET s;                     /* the accepted socket */
    HANDLE port;                  /* the completion port, or NULL */
    unsigned short peer;          /* the peer's port */
};

/* A listening socket of FAMILY fit for STYLE; *PORT gets its port. */
SOCKET lc_listen(int family, enum lc_accept style, unsigned short *port);

/* Accepts one connection on LISTENER. */
void lc_accept(struct lc_end *e, SOCKET listener, int family, enum lc_accept style);

/* Receives exactly LEN bytes. */
void lc_recv_exact(struct lc_end *e, unsigned char *buf, size_t len);

/* Sends LEN bytes. */
void lc_send_all(struct lc_end *e, const unsigned char *buf, size_t len);

/* Waits for the peer's close: a receive with room that returns 0. */
void lc_expect_end(struct lc_end *e);

void lc_close(struct lc_end *e);

#endif
