/* SPDX-License-Identifier: MIT */
/* The catalog container and the chain relations (see model.h). */
#include "model.h"
#include "../common/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {5F2A3C71-9B4E-4C0D-8E61-7A1D2B3C4E5F} */
const GUID cm_lspkit_guid = {
    0x5f2a3c71, 0x9b4e, 0x4c0d, { 0x8e, 0x61, 0x7a, 0x1d, 0x2b, 0x3c, 0x4e, 0x5f }
};

void cm_init(struct cm_catalog *cat)
{
    memset(cat, 0, sizeof(*cat));
}

void cm_free(struct cm_catalog *cat)
{
    free(cat->entries);
    cm_init(cat);
}

void cm_views_init(struct cm_views *views)
{
    int v;

    for (v = 0; v < CM_VIEWS; v++) {
        cm_init(&views->cat[v]);
        views->present[v] = FALSE;
    }
}

void cm_views_free(struct cm_views *views)
{
    int v;

    for (v = 0; v < CM_VIEWS; v++)
        cm_free(&views->cat[v]);
    cm_views_init(views);
}

static int reserve(struct cm_catalog *cat, DWORD count)
{
    struct cm_entry *grown;
    DWORD capacity;

    if (count <= cat->capacity)
        return 0;
    capacity = cat->capacity ? cat->capacity * 2 : 16;
    while (capacity < count)
        capacity *= 2;
    grown = realloc(cat->entries, capacity * sizeof(*grown));
    if (!grown)
        return -1;
    cat->entries = grown;
    cat->capacity = capacity;
    return 0;
}

int cm_insert(struct cm_catalog *cat, DWORD index, const struct cm_entry *entry)
{
    if (index > cat->count || reserve(cat, cat->count + 1))
        return -1;
    memmove(&cat->entries[index + 1], &cat->entries[index],
            (cat->count - index) * sizeof(*cat->entries));
    cat->entries[index] = *entry;
    cat->count++;
    return 0;
}

int cm_append(struct cm_catalog *cat, const struct cm_entry *entry)
{
    return cm_insert(cat, cat->count, entry);
}

int cm_copy(struct cm_catalog *dst, const struct cm_catalog *src)
{
    dst->count = 0;
    if (reserve(dst, src->count))
        return -1;
    if (src->count)
        memcpy(dst->entries, src->entries, src->count * sizeof(*src->entries));
    dst->count = src->count;
    return 0;
}

int cm_views_copy(struct cm_views *dst, const struct cm_views *src)
{
    int v;

    for (v = 0; v < CM_VIEWS; v++) {
        dst->present[v] = src->present[v];
        if (cm_copy(&dst->cat[v], &src->cat[v]))
            return -1;
    }
    return 0;
}

void cm_remove_at(struct cm_catalog *cat, DWORD index)
{
    memmove(&cat->entries[index], &cat->entries[index + 1],
            (cat->count - index - 1) * sizeof(*cat->entries));
    cat->count--;
}

void cm_move(struct cm_catalog *cat, DWORD from, DWORD to)
{
    struct cm_entry moving = cat->entries[from];

    if (from < to)
        memmove(&cat->entries[from], &cat->entries[from + 1],
                (to - from) * sizeof(*cat->entries));
    else
        memmove(&cat->entries[to + 1], &cat->entries[to],
                (from - to) * sizeof(*cat->entries));
    cat->entries[to] = moving;
}

int cm_find_id(const struct cm_catalog *cat, DWORD id)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cat->entries[i].info.dwCatalogEntryId == id)
            return (int)i;
    return -1;
}

int cm_find_layered(const struct cm_catalog *cat, const GUID *guid)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cm_is_layered(&cat->entries[i]) && IsEqualGUID(&cat->entries[i].info.ProviderId, guid))
            return (int)i;
    return -1;
}

BOOL cm_chain_names(const struct cm_entry *e, DWORD id)
{
    const WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    int i;

    for (i = 0; cm_is_chain(e) && i < chain->ChainLen && i < MAX_PROTOCOL_CHAIN; i++)
        if (chain->ChainEntries[i] == id)
            return TRUE;
    return FALSE;
}

/* TRUE when `tail` is a proper tail of `chain`. */
static BOOL proper_tail(const WSAPROTOCOLCHAIN *chain, const WSAPROTOCOLCHAIN *tail)
{
    int skip = chain->ChainLen - tail->ChainLen;

    return skip > 0 && !memcmp(&chain->ChainEntries[skip], tail->ChainEntries,
                               tail->ChainLen * sizeof(DWORD));
}

BOOL cm_covers(const struct cm_entry *upper, const struct cm_entry *lower)
{
    const WSAPROTOCOLCHAIN *chain = &upper->info.ProtocolChain;
    int i;

    if (!cm_is_chain(upper) || chain->ChainLen > MAX_PROTOCOL_CHAIN || cm_is_layered(lower) ||
        upper == lower)
        return FALSE;
    for (i = 1; i < chain->ChainLen; i++)
        if (chain->ChainEntries[i] == lower->info.dwCatalogEntryId)
            return TRUE;
    return cm_is_chain(lower) && lower->info.ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN &&
           proper_tail(chain, &lower->info.ProtocolChain);
}

BOOL cm_belongs_to(const struct cm_entry *e, DWORD layered_id)
{
    if (cm_is_layered(e))
        return e->info.dwCatalogEntryId == layered_id;
    return cm_is_chain(e) && e->info.ProtocolChain.ChainEntries[0] == layered_id;
}

void cm_rename_id(struct cm_catalog *cat, DWORD from, DWORD to)
{
    DWORD i;
    int j;

    for (i = 0; i < cat->count; i++) {
        WSAPROTOCOL_INFOW *info = &cat->entries[i].info;

        if (info->dwCatalogEntryId == from)
            info->dwCatalogEntryId = to;
        for (j = 0; cm_is_chain(&cat->entries[i]) && j < info->ProtocolChain.ChainLen &&
                    j < MAX_PROTOCOL_CHAIN; j++)
            if (info->ProtocolChain.ChainEntries[j] == from)
                info->ProtocolChain.ChainEntries[j] = to;
    }
}

BOOL cm_chain_drop(struct cm_entry *e, DWORD id)
{
    WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    int i, kept = 1;

    for (i = 1; i < chain->ChainLen && i < MAX_PROTOCOL_CHAIN; i++)
        if (chain->ChainEntries[i] != id)
            chain->ChainEntries[kept++] = chain->ChainEntries[i];
    for (i = kept; i < MAX_PROTOCOL_CHAIN; i++)
        chain->ChainEntries[i] = 0;
    chain->ChainLen = kept;
    return kept > BASE_PROTOCOL;
}

void cm_name_utf8(const struct cm_entry *e, char *out, size_t size)
{
    /* The stored name need not be terminated: bad input is still printable. */
    text_narrow(CP_UTF8, e->info.szProtocol, (int)wcsnlen(e->info.szProtocol, WSAPROTOCOL_LEN),
                out, size);
}

void cm_guid_format(const GUID *g, char out[39])
{
    snprintf(out, 39, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2],
             g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

