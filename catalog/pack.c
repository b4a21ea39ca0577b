/* SPDX-License-Identifier: MIT */
/* Both catalogs as bytes (see pack.h). */
#include "pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const char magic[8] = { 'L', 'S', 'P', 'K', 'C', 'A', 'T', '1' };
#define PACK_VERSION 1
#define ENTRY_SIZE (sizeof(WCHAR) * MAX_PATH + sizeof(WSAPROTOCOL_INFOW) + sizeof(DWORD))
/* Far above any real catalog; bounds what a damaged file can make us allocate. */
#define MAX_ENTRIES 4096

_Static_assert(sizeof(WSAPROTOCOL_INFOW) == 628, "WSAPROTOCOL_INFOW layout changed");

DWORD cm_pack_checksum(const unsigned char *p, size_t n)
{
    DWORD crc = 0xffffffffu;
    int bit;

    while (n--) {
        crc ^= *p++;
        for (bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static unsigned char *put(unsigned char *p, const void *data, size_t size)
{
    memcpy(p, data, size);
    return p + size;
}

static unsigned char *put_dword(unsigned char *p, DWORD value)
{
    unsigned char b[4] = { (unsigned char)value, (unsigned char)(value >> 8),
                           (unsigned char)(value >> 16), (unsigned char)(value >> 24) };
    return put(p, b, 4);
}

int cm_pack(const struct cm_views *views, unsigned char **out, size_t *size)
{
    size_t total = sizeof(magic) + 8 + 4;
    DWORD present = 0, i;
    unsigned char *p;
    int v;

    for (v = 0; v < CM_VIEWS; v++)
        if (views->present[v]) {
            present |= 1u << v;
            total += 4 + views->cat[v].count * ENTRY_SIZE;
        }
    p = *out = malloc(total);
    if (!p)
        return -1;
    p = put(p, magic, sizeof(magic));
    p = put_dword(p, PACK_VERSION);
    p = put_dword(p, present);
    for (v = 0; v < CM_VIEWS; v++) {
        if (!views->present[v])
            continue;
        p = put_dword(p, views->cat[v].count);
        for (i = 0; i < views->cat[v].count; i++) {
            const struct cm_entry *e = &views->cat[v].entries[i];

            p = put(p, e->path, sizeof(e->path));
            p = put(p, &e->info, sizeof(e->info));
            p = put_dword(p, e->categories);
        }
    }
    put_dword(p, cm_pack_checksum(*out, total - 4));
    *size = total;
    return 0;
}

struct reader {
    const unsigned char *p, *end;
};

static BOOL take(struct reader *r, void *out, size_t size)
{
    if ((size_t)(r->end - r->p) < size)
        return FALSE;
    memcpy(out, r->p, size);
    r->p += size;
    return TRUE;
}

static BOOL take_dword(struct reader *r, DWORD *value)
{
    unsigned char b[4];

    if (!take(r, b, 4))
        return FALSE;
    *value = b[0] | (DWORD)b[1] << 8 | (DWORD)b[2] << 16 | (DWORD)b[3] << 24;
    return TRUE;
}

static int fail(struct cm_error *err, const char *why)
{
    snprintf(err->text, sizeof(err->text), "not a usable catalog backup: %s", why);
    return -1;
}

static int read_view(struct reader *r, struct cm_catalog *cat, struct cm_error *err)
{
    struct cm_entry e;
    DWORD count, i;

    if (!take_dword(r, &count))
        return fail(err, "truncated");
    if (count > MAX_ENTRIES)
        return fail(err, "implausible entry count");
    for (i = 0; i < count; i++) {
        memset(&e, 0, sizeof(e));
        if (!take(r, e.path, sizeof(e.path)) || !take(r, &e.info, sizeof(e.info)) ||
            !take_dword(r, &e.categories))
            return fail(err, "truncated");
        /* Both strings must end inside their arrays to be used as strings. */
        if (!wmemchr(e.path, 0, MAX_PATH) || !wmemchr(e.info.szProtocol, 0, WSAPROTOCOL_LEN + 1))
            return fail(err, "an entry has an unterminated name or path");
        /* Every loop over a chain trusts ChainLen: none may pass the array. */
        if (e.info.ProtocolChain.ChainLen < 0 ||
            e.info.ProtocolChain.ChainLen > MAX_PROTOCOL_CHAIN)
            return fail(err, "an entry has a chain length outside 0..7");
        if (cm_append(cat, &e))
            return fail(err, "out of memory");
    }
    return 0;
}

int cm_unpack(const unsigned char *data, size_t size, struct cm_views *views,
              struct cm_error *err)
{
    struct reader r, tail;
    char head[sizeof(magic)];
    DWORD version, present, stored;
    int v;

    if (size < sizeof(magic) + 12)
        return fail(err, "too short");
    r.p = data;
    r.end = tail.p = data + size - 4;
    tail.end = data + size;
    take_dword(&tail, &stored);
    if (!take(&r, head, sizeof(head)) || memcmp(head, magic, sizeof(magic)))
        return fail(err, "wrong magic (not made by lspinst backup)");
    if (stored != cm_pack_checksum(data, size - 4))
        return fail(err, "checksum mismatch (the file is damaged)");
    if (!take_dword(&r, &version) || version != PACK_VERSION)
        return fail(err, "unknown version");
    if (!take_dword(&r, &present) || !(present & 1) || present >> CM_VIEWS)
        return fail(err, "bad catalog list");
    for (v = 0; v < CM_VIEWS; v++) {
        views->present[v] = (present >> v) & 1;
        if (views->present[v] && read_view(&r, &views->cat[v], err))
            return -1;
    }
    if (r.p != r.end)
        return fail(err, "trailing bytes");
    return 0;
}
