/* SPDX-License-Identifier: MIT */
/* An independent pcapng reader for the capture tests: checks the file's
 * structure block by block and decodes the synthesized IPv4/IPv6 and
 * TCP/UDP headers, so that the tests can compare what the file says with
 * what they recorded. It shares no code with provider/capture/. */
#ifndef LSPKIT_TEST_CAPTURE_PCAPNG_H
#define LSPKIT_TEST_CAPTURE_PCAPNG_H

#include <windows.h>

struct cap_packet {
    ULONGLONG time;               /* in the interface's units */
    DWORD caplen, origlen;
    const BYTE *data;
    char comment[512];            /* "" when none */
    DWORD epb_flags;
    BOOL has_flags;
    /* The headers. */
    int family;                   /* 4 or 6 */
    BYTE src[16], dst[16];
    USHORT sport, dport;
    BOOL tcp;
    DWORD seq, ack;
    BYTE tcp_flags;
    USHORT urgent;
    DWORD ip_payload;             /* transport header + payload, by the IP header */
    DWORD payload_len;            /* payload bytes on the wire */
    const BYTE *payload;          /* payload_captured bytes of it */
    DWORD payload_captured;
    BOOL checksums_ok;            /* IPv4 header, and transport when whole */
};

struct cap_file {
    BYTE *raw;
    size_t size;
    int sections, interfaces;
    int linktype, tsresol;
    struct cap_packet *packets;
    size_t count;
    int stats;                    /* ISBs read */
    ULONGLONG ifrecv, ifdrop, usrdeliv;   /* the last ISB's */
    char error[256];              /* why cap_read failed */
};

/* FALSE with f->error set when the file is not well-formed or holds a
 * packet this reader cannot decode. */
BOOL cap_read(const WCHAR *path, struct cap_file *f);
void cap_free(struct cap_file *f);

/* The bytes that went from port `sport` to port `dport` over TCP, put in
 * place by sequence number relative to the SYN of that direction.
 * Returns the length; *gap is set to the bytes missing in the middle (0
 * when the stream is whole), or to -1 when there is no SYN or a segment
 * contradicts another. *out is malloc'd. */
size_t cap_tcp_stream(const struct cap_file *f, USHORT sport, USHORT dport, BYTE **out,
                      long long *gap);

/* The packets from `sport` to `dport` (TCP or UDP per `tcp`), in file
 * order: fills at most `max` indexes into f->packets, returns the count. */
size_t cap_select(const struct cap_file *f, BOOL tcp, USHORT sport, USHORT dport, size_t *idx,
                  size_t max);

#endif
