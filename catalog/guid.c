/* SPDX-License-Identifier: MIT */
#include "guid.h"

#include <string.h>

/* FNV-1a, 64 bits, from `hash` on. */
static unsigned long long fnv1a(unsigned long long hash, const void *data, size_t size)
{
    const unsigned char *p = data;

    while (size--) {
        hash ^= *p++;
        hash *= 0x100000001b3ull;
    }
    return hash;
}

GUID cm_derive_guid(const GUID *seed, const void *what, size_t size)
{
    unsigned long long a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
    unsigned char bytes[16];
    GUID guid;
    int i;

    a = fnv1a(fnv1a(a, seed, sizeof(*seed)), what, size);
    b = fnv1a(fnv1a(b, what, size), seed, sizeof(*seed));
    for (i = 0; i < 8; i++) {
        bytes[i] = (unsigned char)(a >> (8 * i));
        bytes[8 + i] = (unsigned char)(b >> (8 * i));
    }
    memcpy(&guid, bytes, sizeof(guid));
    /* RFC 4122 layout: version 8 (custom), variant 10. */
    guid.Data3 = (WORD)((guid.Data3 & 0x0fff) | 0x8000);
    guid.Data4[0] = (BYTE)((guid.Data4[0] & 0x3f) | 0x80);
    return guid;
}
