/* SPDX-License-Identifier: MIT */
/* The completion-port measures of lbbench (port.c). */
#ifndef LSPKIT_BENCH_PORT_H
#define LSPKIT_BENCH_PORT_H

/* ROUND_TRIPS 64-byte TCP exchanges: overlapped WSARecv and WSASend on a
 * socket bound to a port, both completions taken with
 * GetQueuedCompletionStatusEx; the peer thread echoes with blocking calls. */
void iocp_pingpong(long long round_trips);

/* MIB overlapped 1 MiB sends through a port, a few in flight, read by a
 * blocking peer thread; timed until it has them all. */
void iocp_bulk(long long mib);

/* ROUND_TRIPS 64-byte UDP exchanges through a port (WSARecvFrom and
 * WSASendTo); the peer thread echoes with blocking recvfrom and sendto. */
void udp_pingpong(long long round_trips);

#endif
