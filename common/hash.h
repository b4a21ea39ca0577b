/* SPDX-License-Identifier: MIT */
/* A chained hash table whose entries embed their link, keyed by a
 * pointer-sized value (a handle or an address). Its size is fixed, so a
 * lookup never waits on a rehash: the owner picks a size that keeps the
 * chains short, and holds its own lock around every call. Several entries
 * may share a key. */
#ifndef LSPKIT_COMMON_HASH_H
#define LSPKIT_COMMON_HASH_H

#include <windows.h>

struct hash_link {
    struct hash_link *next;
    ULONG_PTR key;
};

struct hash_table {
    struct hash_link **buckets;
    size_t size;
};

/* A table of BUCKETS chains in static storage. */
#define HASH_TABLE(name, buckets)                                    \
    static struct hash_link *name##_buckets[buckets];                \
    static struct hash_table name = { name##_buckets, buckets }

/* Adds LINK under KEY, before the entries that already have KEY. */
void hash_add(struct hash_table *table, struct hash_link *link, ULONG_PTR key);

/* Takes LINK, which is on the table, off it. */
void hash_remove(struct hash_table *table, struct hash_link *link);

/* The first entry with KEY, and the one after LINK with LINK's key; NULL
 * when there is none. */
struct hash_link *hash_first(const struct hash_table *table, ULONG_PTR key);
struct hash_link *hash_next(const struct hash_link *link);

/* Some entry of the table, NULL when it is empty: to drain it. */
struct hash_link *hash_any(const struct hash_table *table);

#endif
