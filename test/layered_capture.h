/* SPDX-License-Identifier: MIT */
/* layered_capture.h: what test/layered_capture.c (the test, which owns one
 * end of every conversation) and test/layered_capture_peer.c (the other
 * end, in a process of its own) both need to know.
 *
 * The ends are in two processes so that each process's capture file holds
 * each byte once: in one process both ends of a loopback pair go through
 * the provider and every byte is recorded twice, as sent and as received.
 *
 * Conversations, in this order (tshark numbers the streams of each
 * protocol in the order of their first packet, which this order fixes):
 *   0, 1: TCP/IPv4, TCP/IPv6: the peer connects and sends LC_TCP_UP bytes,
 *     the test accepts with accept(), answers LC_TCP_DOWN bytes, the peer
 *     closes;
 *   2: the same over IPv4 as a Go program does it: the test accepts with
 *     AcceptEx without a receive buffer and moves the bytes with overlapped
 *     WSARecv/WSASend through a completion port; the peer connects with
 *     ConnectEx without data;
 *   3: the same over IPv6 as libuv (Node.js) does it: AcceptEx without a
 *     receive buffer, then a zero-byte WSARecv to wait for data and
 *     non-blocking reads to take it;
 *   4, 5: UDP/IPv4, UDP/IPv6: the peer sends LC_DGRAMS datagrams, the test
 *     answers as many; sizes from lc_dgram_size().
 * The bytes are lc_byte(seed, i), with a seed per conversation and end. */
#ifndef LSPKIT_TEST_LAYERED_CAPTURE_H
#define LSPKIT_TEST_LAYERED_CAPTURE_H

#include <stddef.h>

#define LC_CONVERSATIONS 6
/* More than one IP packet's worth (65495 bytes over IPv4), so that a call
 * is split into segments; sent in several calls. */
#define LC_TCP_UP 100000u
#define LC_TCP_DOWN 5000u
#define LC_TCP_CALL 30000u
#define LC_DGRAMS 3
/* How long either end waits for the other. */
#define LC_WAIT_MS 10000

enum lc_accept { LC_ACCEPT, LC_ACCEPTEX_GO, LC_ACCEPTEX_LIBUV };

static inline int lc_is_tcp(int conv) { return conv < 4; }
static inline int lc_is_ipv6(int conv) { return conv % 2; }
/* tshark's number of the stream within its protocol. */
static inline int lc_stream(int conv) { return lc_is_tcp(conv) ? conv : conv - 4; }
/* How the test takes TCP conversation CONV. */
static inline enum lc_accept lc_accept_style(int conv)
{
    return conv < 2 ? LC_ACCEPT : conv == 2 ? LC_ACCEPTEX_GO : LC_ACCEPTEX_LIBUV;
}

/* Seed of what END sends in conversation CONV: END 0 the test, 1 the peer. */
static inline unsigned lc_seed(int conv, int end) { return 0x51u + 2u * (unsigned)conv + (unsigned)end; }

static inline unsigned char lc_byte(unsigned seed, size_t i)
{
    unsigned x = (unsigned)i * 2654435761u + seed * 40503u;
    return (unsigned char)((x >> 13) ^ (x >> 24) ^ seed);
}

/* Size of datagram I (0 <= I < LC_DGRAMS): one byte, a typical one, one
 * near the Ethernet payload. */
static inline size_t lc_dgram_size(int i) { return i == 0 ? 1 : i == 1 ? 700 : 1400; }

/* The bytes END sends in CONV, in order (all its datagrams concatenated). */
static inline size_t lc_total(int conv, int end)
{
    if (lc_is_tcp(conv))
        return end ? LC_TCP_UP : LC_TCP_DOWN;
    size_t n = 0;
    for (int i = 0; i < LC_DGRAMS; i++)
        n += lc_dgram_size(i);
    return n;
}

#endif
