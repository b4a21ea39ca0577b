/* SPDX-License-Identifier: MIT */
/* Per-socket flow state (flow.h). */
#include <stdlib.h>
#include <string.h>
#include "flow.h"
#include "direction.h"

#define FIRST_BUCKETS 256
/* Windows' dynamic port range (RFC 6335): a port from it marks a client. */
#define EPHEMERAL_FIRST 49152

BOOL flows_init(struct flow_table *t)
{
    InitializeSRWLock(&t->lock);
    t->buckets = calloc(FIRST_BUCKETS, sizeof(*t->buckets));
    t->bucket_count = t->buckets ? FIRST_BUCKETS : 0;
    t->count = 0;
    return t->buckets != NULL;
}

void flows_free(struct flow_table *t)
{
    for (size_t i = 0; i < t->bucket_count; i++) {
        while (t->buckets[i]) {
            struct flow *f = t->buckets[i];

            t->buckets[i] = f->next;
            free(f);
        }
    }
    free(t->buckets);
    t->buckets = NULL;
    t->bucket_count = t->count = 0;
}

void flows_lock(struct flow_table *t)
{
    AcquireSRWLockExclusive(&t->lock);
}

void flows_unlock(struct flow_table *t)
{
    ReleaseSRWLockExclusive(&t->lock);
}

/* Socket handles are multiples of 4; the multiplication spreads them. */
static size_t bucket_of(SOCKET s, size_t count)
{
    return (size_t)(((ULONGLONG)s >> 2) * 0x9E3779B97F4A7C15ULL >> 32) & (count - 1);
}

struct flow *flows_find(struct flow_table *t, SOCKET s)
{
    struct flow *f = t->buckets[bucket_of(s, t->bucket_count)];

    while (f && f->socket != s)
        f = f->next;
    return f;
}

/* Doubles the table when it gets crowded; stays as it is without memory. */
static void grow(struct flow_table *t)
{
    size_t count = t->bucket_count * 2;
    struct flow **buckets = calloc(count, sizeof(*buckets));

    if (!buckets)
        return;
    for (size_t i = 0; i < t->bucket_count; i++) {
        while (t->buckets[i]) {
            struct flow *f = t->buckets[i];
            size_t b = bucket_of(f->socket, count);

            t->buckets[i] = f->next;
            f->next = buckets[b];
            buckets[b] = f;
        }
    }
    free(t->buckets);
    t->buckets = buckets;
    t->bucket_count = count;
}

static void tcp_restart(struct flow *f);

struct flow *flows_get(struct flow_table *t, SOCKET s, BOOL tcp, USHORT family)
{
    struct flow *f = flows_find(t, s);
    size_t b;

    if (!f) {
        f = malloc(sizeof(*f));
        if (!f)
            return NULL;
        if (t->count >= t->bucket_count * 2)
            grow(t);
        b = bucket_of(s, t->bucket_count);
        f->next = t->buckets[b];
        t->buckets[b] = f;
        t->count++;
    } else if (f->tcp == tcp && f->local.family == family) {
        return f;
    }
    /* New, or a handle reused for another kind of socket without a close
     * we were told of: a fresh start. */
    struct flow *next = f->next;
    memset(f, 0, sizeof(*f));
    f->next = next;
    f->socket = s;
    f->tcp = tcp;
    f->local.family = f->remote.family = family;
    tcp_restart(f);
    return f;
}

struct flow *flows_remove(struct flow_table *t, SOCKET s)
{
    struct flow **link = &t->buckets[bucket_of(s, t->bucket_count)];

    while (*link && (*link)->socket != s)
        link = &(*link)->next;
    if (!*link)
        return NULL;
    struct flow *f = *link;
    *link = f->next;
    t->count--;
    return f;
}

static BOOL same_addr(const struct capture_addr *a, const struct capture_addr *b)
{
    return a->family == b->family && a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

/* The initial sequence number of the direction from `src` to `dst`: a
 * hash of the two ends alone, so that the two ends of one connection,
 * captured in one process (a loopback pair) or in two (files to merge),
 * number its bytes alike. Murmur3's finaliser mixes it. */
static DWORD initial_number(const struct capture_addr *src, const struct capture_addr *dst)
{
    ULONGLONG v = 0xCBF29CE484222325ULL;   /* FNV-1a over both ends */
    const struct capture_addr *ends[2] = { src, dst };

    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < 16; i++)
            v = (v ^ ends[k]->addr[i]) * 0x100000001B3ULL;
        v = (v ^ ends[k]->port) * 0x100000001B3ULL;
    }
    v ^= v >> 33;
    v *= 0xFF51AFD7ED558CCDULL;
    v ^= v >> 33;
    v *= 0xC4CEB9FE1A85EC53ULL;
    v ^= v >> 33;
    return (DWORD)v;
}

/* The side with an ephemeral port connected; failing that, the side with
 * the higher port; ties make us the client. Both ends of a connection
 * come to the same answer. */
static BOOL local_looks_client(USHORT local, USHORT remote)
{
    if ((local >= EPHEMERAL_FIRST) != (remote >= EPHEMERAL_FIRST))
        return local >= EPHEMERAL_FIRST;
    return local >= remote;
}

/* New initial numbers: a new flow, or a new address pair. UDP flows keep
 * them unused. */
static void tcp_restart(struct flow *f)
{
    f->opened = FALSE;
    f->peer_fin = FALSE;
    f->local_is_client = local_looks_client(f->local.port, f->remote.port);
    f->isn_local = initial_number(&f->local, &f->remote);
    f->isn_remote = initial_number(&f->remote, &f->local);
    /* The SYNs take one number each. */
    f->next_local = f->isn_local + 1;
    f->next_remote = f->isn_remote + 1;
}

void flow_learn(struct flow *f, const struct capture_addr *local,
                const struct capture_addr *remote)
{
    BOOL changed = FALSE;

    if (local && !(f->local_known && same_addr(&f->local, local))) {
        f->local = *local;
        f->local_known = changed = TRUE;
    }
    if (remote && !(f->remote_known && same_addr(&f->remote, remote))) {
        f->remote = *remote;
        f->remote_known = changed = TRUE;
    }
    if (changed && f->tcp)
        tcp_restart(f);
}

void flow_number(struct flow *f, struct record *r)
{
    BOOL sending = r->kind == RECORD_CLOSE || r->direction == CAPTURE_SEND;
    DWORD *mine = sending ? &f->next_local : &f->next_remote;
    DWORD *theirs = sending ? &f->next_remote : &f->next_local;

    r->numbers.seq = *mine;
    r->numbers.ack = *theirs;
    r->numbers.handshake = !f->opened && r->error == 0;
    r->numbers.local_is_client = f->local_is_client;
    r->numbers.isn_local = f->isn_local;
    r->numbers.isn_remote = f->isn_remote;
    if (r->error)
        return;
    if (r->kind == RECORD_DATA)
        *mine += r->bytes;
    else
        *mine += 1;                /* a FIN takes one number */
    if (r->kind == RECORD_PEER_FIN)
        f->peer_fin = TRUE;
}

void flow_opened(struct flow *f)
{
    f->opened = TRUE;
}
