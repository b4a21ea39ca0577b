/* SPDX-License-Identifier: MIT */
/* The test's pcapng reader (capture_pcapng.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_pcapng.h"

static DWORD le32(const BYTE *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (DWORD)p[3] << 24;
}

static USHORT le16(const BYTE *p)
{
    return (USHORT)(p[0] | p[1] << 8);
}

static USHORT be16(const BYTE *p)
{
    return (USHORT)(p[0] << 8 | p[1]);
}

static DWORD be32(const BYTE *p)
{
    return (DWORD)be16(p) << 16 | be16(p + 2);
}

static BOOL fail(struct cap_file *f, size_t at, const char *what)
{
    snprintf(f->error, sizeof(f->error), "at offset %zu: %s", at, what);
    return FALSE;
}

static DWORD csum_add(DWORD sum, const BYTE *p, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += be16(p + i);
    if (i < len)
        sum += (DWORD)p[i] << 8;
    return sum;
}

static USHORT csum_fold(DWORD sum)
{
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    return (USHORT)sum;
}

/* Decodes the packet's headers; FALSE when they are not what the capture
 * module promises (IPv4/IPv6, then TCP/UDP, lengths consistent). */
static BOOL decode(struct cap_packet *p)
{
    const BYTE *d = p->data, *t;
    size_t iplen, alen, tlen;
    BYTE proto;
    DWORD sum;

    if (p->caplen < 20)
        return FALSE;
    if ((d[0] >> 4) == 4) {
        if (d[0] != 0x45 || csum_fold(csum_add(0, d, 20)) != 0xFFFF)
            return FALSE;
        p->family = 4;
        iplen = 20;
        alen = 4;
        proto = d[9];
        memcpy(p->src, d + 12, 4);
        memcpy(p->dst, d + 16, 4);
        p->ip_payload = be16(d + 2) - 20u;
    } else if ((d[0] >> 4) == 6 && p->caplen >= 40) {
        p->family = 6;
        iplen = 40;
        alen = 16;
        proto = d[6];
        memcpy(p->src, d + 8, 16);
        memcpy(p->dst, d + 24, 16);
        p->ip_payload = be16(d + 4);
    } else {
        return FALSE;
    }
    t = d + iplen;
    p->tcp = proto == 6;
    tlen = p->tcp ? 20 : 8;
    if ((proto != 6 && proto != 17) || p->caplen < iplen + tlen)
        return FALSE;
    p->sport = be16(t);
    p->dport = be16(t + 2);
    if (p->tcp) {
        if (t[12] != 0x50)
            return FALSE;
        p->seq = be32(t + 4);
        p->ack = be32(t + 8);
        p->tcp_flags = t[13];
        p->urgent = be16(t + 18);
    } else if (be16(t + 4) != p->ip_payload) {
        return FALSE;
    }
    if (p->origlen != iplen + p->ip_payload || p->ip_payload < tlen)
        return FALSE;
    p->payload = t + tlen;
    p->payload_len = p->ip_payload - (DWORD)tlen;
    p->payload_captured = p->caplen - (DWORD)(iplen + tlen);
    p->checksums_ok = TRUE;
    if (p->caplen == p->origlen) {
        sum = csum_add(0, p->src, alen);
        sum = csum_add(sum, p->dst, alen);
        sum += proto + p->ip_payload;
        sum = csum_add(sum, t, p->ip_payload);
        p->checksums_ok = csum_fold(sum) == 0xFFFF;
    }
    return TRUE;
}

/* Walks the options from `p` to `end`: each must fit and the list must
 * end with opt_endofopt. Calls `each` for the others. */
static BOOL options(const BYTE *p, const BYTE *end,
                    void (*each)(USHORT code, const BYTE *value, USHORT len, void *arg),
                    void *arg)
{
    while (p + 4 <= end) {
        USHORT code = le16(p), len = le16(p + 2);
        size_t padded = (len + 3u) & ~3u;

        if (code == 0)
            return len == 0;
        if (p + 4 + padded > end)
            return FALSE;
        each(code, p + 4, len, arg);
        p += 4 + padded;
    }
    return FALSE;
}

static void ignore_option(USHORT code, const BYTE *value, USHORT len, void *arg)
{
    (void)code, (void)value, (void)len, (void)arg;
}

static void idb_option(USHORT code, const BYTE *value, USHORT len, void *arg)
{
    struct cap_file *f = arg;

    if (code == 9 && len == 1)
        f->tsresol = value[0];
}

static void epb_option(USHORT code, const BYTE *value, USHORT len, void *arg)
{
    struct cap_packet *p = arg;

    if (code == 1) {
        size_t n = len < sizeof(p->comment) - 1 ? len : sizeof(p->comment) - 1;
        memcpy(p->comment, value, n);
        p->comment[n] = 0;
    } else if (code == 2 && len == 4) {
        p->epb_flags = le32(value);
        p->has_flags = TRUE;
    }
}

static ULONGLONG le64(const BYTE *p)
{
    return le32(p) | (ULONGLONG)le32(p + 4) << 32;
}

static void isb_option(USHORT code, const BYTE *value, USHORT len, void *arg)
{
    struct cap_file *f = arg;

    if (len != 8)
        return;
    if (code == 4)
        f->ifrecv = le64(value);
    else if (code == 5)
        f->ifdrop = le64(value);
    else if (code == 8)
        f->usrdeliv = le64(value);
}

static BOOL block(struct cap_file *f, size_t at, DWORD type, const BYTE *b, DWORD len)
{
    const BYTE *end = b + len - 4;

    switch (type) {
    case 0x0A0D0D0A:
        if (len < 28 || le32(b + 8) != 0x1A2B3C4D || le16(b + 12) != 1)
            return fail(f, at, "bad section header");
        f->sections++;
        f->interfaces = 0;
        return options(b + 24, end, ignore_option, NULL) ||
               fail(f, at, "bad section header options");
    case 1:
        if (len < 20 || f->sections == 0)
            return fail(f, at, "interface outside a section");
        f->linktype = le16(b + 8);
        f->tsresol = 6;
        f->interfaces++;
        return options(b + 16, end, idb_option, f) || fail(f, at, "bad interface options");
    case 6: {
        struct cap_packet p = { 0 };
        DWORD padded;

        if (len < 32 || le32(b + 8) >= (DWORD)f->interfaces)
            return fail(f, at, "packet of an unknown interface");
        p.time = (ULONGLONG)le32(b + 12) << 32 | le32(b + 16);
        p.caplen = le32(b + 20);
        p.origlen = le32(b + 24);
        padded = (p.caplen + 3) & ~3u;
        if (p.caplen > p.origlen || 28 + padded + 4 > len)
            return fail(f, at, "bad packet lengths");
        p.data = b + 28;
        if (!options(b + 28 + padded, end, epb_option, &p))
            return fail(f, at, "bad packet options");
        if (!decode(&p))
            return fail(f, at, "undecodable packet headers");
        struct cap_packet *grown = realloc(f->packets, (f->count + 1) * sizeof(*grown));
        if (!grown)
            return fail(f, at, "out of memory");
        f->packets = grown;
        f->packets[f->count++] = p;
        return TRUE;
    }
    case 5:
        if (len < 24 || le32(b + 8) >= (DWORD)f->interfaces)
            return fail(f, at, "statistics of an unknown interface");
        f->stats++;
        return options(b + 20, end, isb_option, f) || fail(f, at, "bad statistics options");
    default:
        return fail(f, at, "unexpected block type");
    }
}

BOOL cap_read(const WCHAR *path, struct cap_file *f)
{
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    DWORD size, got;

    memset(f, 0, sizeof(*f));
    if (h == INVALID_HANDLE_VALUE)
        return fail(f, 0, "cannot open the file");
    size = GetFileSize(h, NULL);
    f->raw = malloc(size ? size : 1);
    if (!f->raw || !ReadFile(h, f->raw, size, &got, NULL) || got != size) {
        CloseHandle(h);
        return fail(f, 0, "cannot read the file");
    }
    CloseHandle(h);
    f->size = size;
    for (size_t at = 0; at < size;) {
        DWORD type, len;

        if (size - at < 12)
            return fail(f, at, "truncated block");
        type = le32(f->raw + at);
        len = le32(f->raw + at + 4);
        if (len < 12 || len % 4 || len > size - at)
            return fail(f, at, "bad block length");
        if (le32(f->raw + at + len - 4) != len)
            return fail(f, at, "trailing block length differs");
        if (at == 0 && type != 0x0A0D0D0A)
            return fail(f, at, "does not start with a section header");
        if (!block(f, at, type, f->raw + at, len))
            return FALSE;
        at += len;
    }
    if (f->sections == 0)
        return fail(f, 0, "empty file");
    return TRUE;
}

void cap_free(struct cap_file *f)
{
    free(f->raw);
    free(f->packets);
    memset(f, 0, sizeof(*f));
}

size_t cap_select(const struct cap_file *f, BOOL tcp, USHORT sport, USHORT dport, size_t *idx,
                  size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < f->count; i++) {
        const struct cap_packet *p = &f->packets[i];

        if (p->tcp == tcp && p->sport == sport && p->dport == dport) {
            if (n < max)
                idx[n] = i;
            n++;
        }
    }
    return n;
}

size_t cap_tcp_stream(const struct cap_file *f, USHORT sport, USHORT dport, BYTE **out,
                      long long *gap)
{
    const struct cap_packet *syn = NULL;
    size_t end = 0, covered = 0;
    BYTE *buf = NULL, *have = NULL;

    *out = NULL;
    *gap = -1;
    for (size_t i = 0; i < f->count && !syn; i++) {
        const struct cap_packet *p = &f->packets[i];

        if (p->tcp && p->sport == sport && p->dport == dport && (p->tcp_flags & 0x02))
            syn = p;
    }
    if (!syn)
        return 0;
    /* The stream's extent first, then the bytes in place. */
    for (size_t i = 0; i < f->count; i++) {
        const struct cap_packet *p = &f->packets[i];
        size_t off = p->seq - (syn->seq + 1);

        if (p->tcp && p->sport == sport && p->dport == dport && p->payload_len &&
            off + p->payload_len > end)
            end = off + p->payload_len;
    }
    buf = calloc(1, end + 1);
    have = calloc(1, end + 1);
    if (!buf || !have) {
        free(buf);
        free(have);
        return 0;
    }
    *gap = 0;
    for (size_t i = 0; i < f->count; i++) {
        const struct cap_packet *p = &f->packets[i];
        size_t off = p->seq - (syn->seq + 1);

        if (!(p->tcp && p->sport == sport && p->dport == dport))
            continue;
        for (DWORD k = 0; k < p->payload_captured; k++) {
            if (have[off + k] && buf[off + k] != p->payload[k])
                *gap = -1;
            buf[off + k] = p->payload[k];
            have[off + k] = 1;
        }
    }
    for (size_t k = 0; k < end; k++)
        covered += have[k];
    if (*gap == 0)
        *gap = (long long)(end - covered);
    free(have);
    *out = buf;
    return end;
}
