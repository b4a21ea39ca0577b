/* SPDX-License-Identifier: MIT */
/* pcapng block builders (pcapng.h). */
#include <string.h>
#include "pcapng.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BT_ISB 0x00000005u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_END 0
#define OPT_COMMENT 1
#define SHB_HARDWARE 2
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define EPB_FLAGS 2
#define ISB_STARTTIME 2
#define ISB_ENDTIME 3
#define ISB_IFRECV 4
#define ISB_IFDROP 5
#define ISB_USRDELIV 8

#define PAD4(n) (((n) + 3) & ~(size_t)3)

void outbuf_free(struct outbuf *o)
{
    if (o->data)
        HeapFree(o->heap, 0, o->data);
    o->data = NULL;
    o->len = o->cap = o->complete = 0;
}

/* A block being built: `start` is where it begins in the buffer. */
struct block {
    struct outbuf *o;
    size_t start;
    BOOL ok;
};

static BOOL reserve(struct outbuf *o, size_t more)
{
    size_t cap = o->cap ? o->cap : 65536;
    BYTE *data;

    if (o->len + more <= o->cap)
        return TRUE;
    while (cap < o->len + more)
        cap *= 2;
    data = o->data ? HeapReAlloc(o->heap, 0, o->data, cap) : HeapAlloc(o->heap, 0, cap);
    if (!data)
        return FALSE;
    o->data = data;
    o->cap = cap;
    return TRUE;
}

/* Appends `len` bytes and zero padding to a multiple of 4. */
static void put(struct block *b, const void *data, size_t len)
{
    size_t padded = PAD4(len);

    if (!b->ok || !reserve(b->o, padded)) {
        b->ok = FALSE;
        return;
    }
    if (len)
        memcpy(b->o->data + b->o->len, data, len);
    memset(b->o->data + b->o->len + len, 0, padded - len);
    b->o->len += padded;
}

static void put32(struct block *b, DWORD v)
{
    put(b, &v, 4);
}

/* Options hold a 64-bit timestamp as its high then its low 32 bits. */
static void put_time(struct block *b, ULONGLONG t)
{
    put32(b, (DWORD)(t >> 32));
    put32(b, (DWORD)t);
}

static void option(struct block *b, USHORT code, const void *value, size_t len)
{
    USHORT head[2] = { code, (USHORT)len };

    put(b, head, sizeof(head));
    put(b, value, len);
}

static void option_string(struct block *b, USHORT code, const char *text)
{
    if (text)
        option(b, code, text, strlen(text) > 65535 ? 65535 : strlen(text));
}

static struct block begin(struct outbuf *o, DWORD type)
{
    struct block b = { o, o->len, !o->failed };

    put32(&b, type);
    put32(&b, 0);                 /* total length, set by end() */
    return b;
}

/* Ends the options and the block; a block that could not be built whole
 * is taken back out. */
static void end(struct block *b)
{
    DWORD total;

    option(b, OPT_END, NULL, 0);
    put32(b, (DWORD)(b->o->len - b->start + 4));
    if (!b->ok) {
        b->o->len = b->start;
        b->o->failed = TRUE;
        return;
    }
    total = (DWORD)(b->o->len - b->start);
    memcpy(b->o->data + b->start + 4, &total, 4);
    b->o->complete = b->o->len;
}

void pcapng_section(struct outbuf *o, const char *comment, const char *os, const char *app)
{
    struct block b = begin(o, BT_SHB);
    USHORT version[2] = { 1, 0 };
    LONGLONG section_length = -1;  /* not known in advance */

    put32(&b, BYTE_ORDER_MAGIC);
    put(&b, version, sizeof(version));
    put(&b, &section_length, sizeof(section_length));
    option_string(&b, OPT_COMMENT, comment);
    option_string(&b, SHB_OS, os);
    option_string(&b, SHB_USERAPPL, app);
    end(&b);
}

void pcapng_interface(struct outbuf *o, const char *name, const char *description)
{
    struct block b = begin(o, BT_IDB);
    USHORT linktype[2] = { PCAPNG_LINKTYPE_RAW, 0 };
    BYTE tsresol = PCAPNG_TSRESOL;

    put(&b, linktype, sizeof(linktype));
    put32(&b, 0);                 /* snaplen: no limit per packet */
    option_string(&b, IF_NAME, name);
    option_string(&b, IF_DESCRIPTION, description);
    option(&b, IF_TSRESOL, &tsresol, 1);
    end(&b);
}

void pcapng_packet(struct outbuf *o, ULONGLONG time, const BYTE *head, size_t head_len,
                   const BYTE *payload, size_t captured, size_t original, const char *comment,
                   DWORD epb_flags)
{
    struct block b = begin(o, BT_EPB);
    size_t caplen = head_len + captured;

    put32(&b, 0);                 /* interface 0 */
    put_time(&b, time);
    put32(&b, (DWORD)caplen);
    put32(&b, (DWORD)original);
    /* The headers and payload are one padded field: pad only after both. */
    if (b.ok && reserve(o, PAD4(caplen))) {
        memcpy(o->data + o->len, head, head_len);
        if (captured)
            memcpy(o->data + o->len + head_len, payload, captured);
        memset(o->data + o->len + caplen, 0, PAD4(caplen) - caplen);
        o->len += PAD4(caplen);
    } else {
        b.ok = FALSE;
    }
    option_string(&b, OPT_COMMENT, comment);
    option(&b, EPB_FLAGS, &epb_flags, 4);
    end(&b);
}

void pcapng_statistics(struct outbuf *o, ULONGLONG time, const struct pcapng_stats *s)
{
    struct block b = begin(o, BT_ISB);

    put32(&b, 0);                 /* interface 0 */
    put_time(&b, time);
    option(&b, ISB_STARTTIME, (DWORD[]){ (DWORD)(s->start >> 32), (DWORD)s->start }, 8);
    option(&b, ISB_ENDTIME, (DWORD[]){ (DWORD)(s->end >> 32), (DWORD)s->end }, 8);
    option(&b, ISB_IFRECV, &s->received, 8);
    option(&b, ISB_IFDROP, &s->dropped, 8);
    option(&b, ISB_USRDELIV, &s->delivered, 8);
    end(&b);
}
