/* SPDX-License-Identifier: MIT */
/* pcapng blocks (draft-ietf-opsawg-pcapng), built in memory in the host's
 * (little-endian) byte order: Section Header, Interface Description (one
 * interface, LINKTYPE_RAW, 100 ns timestamps), Enhanced Packet and
 * Interface Statistics blocks. */
#ifndef LSPKIT_CAPTURE_PCAPNG_H
#define LSPKIT_CAPTURE_PCAPNG_H

#include <windows.h>

#define PCAPNG_LINKTYPE_RAW 101
#define PCAPNG_TSRESOL 7          /* 10^-7 s: FILETIME's unit */

/* epb_flags: the packet's direction. */
#define PCAPNG_INBOUND  1
#define PCAPNG_OUTBOUND 2

/* A growing output buffer. Blocks are added whole: after a failed
 * allocation `failed` is set and the buffer holds the blocks before.
 * `complete` is where the last whole block ends: a thread killed while
 * building one (process exit) leaves the part after it to be ignored. */
struct outbuf {
    HANDLE heap;                  /* its own, unserialized: see writer.h */
    BYTE *data;
    size_t len, cap;
    size_t complete;
    BOOL failed;
};

/* Frees the data (not the heap). */
void outbuf_free(struct outbuf *o);

/* Strings are UTF-8; NULL leaves the option out. */
void pcapng_section(struct outbuf *o, const char *comment, const char *os, const char *app);
void pcapng_interface(struct outbuf *o, const char *name, const char *description);

/* One packet: `head` (the synthesized headers) then `captured` payload
 * bytes, of a packet `original` bytes long on the wire. */
void pcapng_packet(struct outbuf *o, ULONGLONG time, const BYTE *head, size_t head_len,
                   const BYTE *payload, size_t captured, size_t original, const char *comment,
                   DWORD epb_flags);

struct pcapng_stats {
    ULONGLONG start, end;         /* isb_starttime, isb_endtime */
    ULONGLONG received;           /* isb_ifrecv: records offered to the queue */
    ULONGLONG dropped;            /* isb_ifdrop: of them, dropped */
    ULONGLONG delivered;          /* isb_usrdeliv: records written */
};
void pcapng_statistics(struct outbuf *o, ULONGLONG time, const struct pcapng_stats *s);

#endif
