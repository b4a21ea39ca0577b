/* SPDX-License-Identifier: MIT */
/* The fixed-size chained hash table (hash.h). */
#include "hash.h"

/* Handles are multiples of 4 and heap addresses of 16: the multiply
 * spreads what is left over every bucket (Fibonacci hashing). */
static struct hash_link **chain(const struct hash_table *table, ULONG_PTR key)
{
    unsigned long long mixed = (unsigned long long)(key >> 2) * 0x9E3779B97F4A7C15ull;

    return &table->buckets[(size_t)(mixed >> 32) % table->size];
}

void hash_add(struct hash_table *table, struct hash_link *link, ULONG_PTR key)
{
    struct hash_link **head = chain(table, key);

    link->key = key;
    link->next = *head;
    *head = link;
}

void hash_remove(struct hash_table *table, struct hash_link *link)
{
    struct hash_link **at = chain(table, link->key);

    while (*at && *at != link)
        at = &(*at)->next;
    if (*at)
        *at = link->next;
    link->next = NULL;
}

/* From FROM on, the first entry with KEY. */
static struct hash_link *first_with(struct hash_link *from, ULONG_PTR key)
{
    while (from && from->key != key)
        from = from->next;
    return from;
}

struct hash_link *hash_first(const struct hash_table *table, ULONG_PTR key)
{
    return first_with(*chain(table, key), key);
}

struct hash_link *hash_next(const struct hash_link *link)
{
    return first_with(link->next, link->key);
}

struct hash_link *hash_any(const struct hash_table *table)
{
    for (size_t b = 0; b < table->size; b++)
        if (table->buckets[b])
            return table->buckets[b];
    return NULL;
}
