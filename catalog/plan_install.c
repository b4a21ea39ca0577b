/* SPDX-License-Identifier: MIT */
/* The catalog with lspkit installed (see plan.h). */
#include "plan.h"
#include "guid.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define LAYERED_NEW_ID CM_NEW_ID_BASE

static BOOL family_chosen(const WSAPROTOCOL_INFOW *info, DWORD families)
{
    if (!families)
        families = CM_FAMILY_IPV4 | CM_FAMILY_IPV6;
    return (info->iAddressFamily == AF_INET && (families & CM_FAMILY_IPV4)) ||
           (info->iAddressFamily == AF_INET6 && (families & CM_FAMILY_IPV6));
}

static BOOL protocol_chosen(const WSAPROTOCOL_INFOW *info, DWORD over)
{
    if (over & CM_OVER_ALL)
        return TRUE;
    return ((over & CM_OVER_TCP) && info->iSocketType == SOCK_STREAM &&
            info->iProtocol == IPPROTO_TCP) ||
           ((over & CM_OVER_UDP) && info->iSocketType == SOCK_DGRAM &&
            info->iProtocol == IPPROTO_UDP) ||
           ((over & CM_OVER_RAW) && info->iSocketType == SOCK_RAW);
}

static BOOL is_target(const struct cm_entry *e, const struct cm_install_opts *o)
{
    return cm_is_base(e) && !(e->info.dwProviderFlags & PFL_HIDDEN) &&
           family_chosen(&e->info, o->families) && protocol_chosen(&e->info, o->over);
}

/* What the new chain is built on: with CM_PLACE_OVER the first visible
 * chain ending on `base` (the one applications pick today), else `base`. */
static const struct cm_entry *lower_for(const struct cm_catalog *cat, const struct cm_entry *base,
                                        enum cm_placement placement)
{
    DWORD i;

    for (i = 0; placement == CM_PLACE_OVER && i < cat->count; i++) {
        const struct cm_entry *e = &cat->entries[i];

        if (cm_is_chain(e) && e->info.ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN &&
            !(e->info.dwProviderFlags & PFL_HIDDEN) &&
            cm_chain_bottom(e) == base->info.dwCatalogEntryId)
            return e;
    }
    return base;
}

/* The providers along `lower` and its protocol: what the chain over it is,
 * whatever ids the catalog gave, so both catalogs derive the same GUID. */
static GUID chain_guid(const struct cm_catalog *cat, const struct cm_entry *lower, const GUID *seed)
{
    struct {
        GUID along[MAX_PROTOCOL_CHAIN + 1];
        int af, type, protocol;
    } what;
    const WSAPROTOCOLCHAIN *chain = &lower->info.ProtocolChain;
    int i, at;

    memset(&what, 0, sizeof(what));
    what.along[0] = lower->info.ProviderId;
    for (i = 0; cm_is_chain(lower) && i < chain->ChainLen; i++) {
        at = cm_find_id(cat, chain->ChainEntries[i]);
        if (at >= 0)
            what.along[i + 1] = cat->entries[at].info.ProviderId;
    }
    what.af = lower->info.iAddressFamily;
    what.type = lower->info.iSocketType;
    what.protocol = lower->info.iProtocol;
    return cm_derive_guid(seed, &what, sizeof(what));
}

/* "NAME over LOWER", cut to fit szProtocol. */
static void chain_name(WCHAR out[WSAPROTOCOL_LEN + 1], const WCHAR *name, const WCHAR *lower)
{
    WCHAR lower_name[WSAPROTOCOL_LEN + 1];

    memcpy(lower_name, lower, sizeof(lower_name));
    lower_name[WSAPROTOCOL_LEN] = 0;
    _snwprintf(out, WSAPROTOCOL_LEN, L"%ls over %ls", name, lower_name);
    out[WSAPROTOCOL_LEN] = 0;
}

static void make_chain(struct cm_entry *chain, const struct cm_catalog *cat,
                       const struct cm_entry *lower, DWORD id, const struct cm_install_opts *o)
{
    const WSAPROTOCOLCHAIN *below = &lower->info.ProtocolChain;
    WSAPROTOCOLCHAIN *c = &chain->info.ProtocolChain;

    memset(chain, 0, sizeof(*chain));
    chain->info = lower->info;
    chain->info.dwCatalogEntryId = id;
    chain->info.ProviderId = chain_guid(cat, lower, &o->seed);
    memset(c, 0, sizeof(*c));
    c->ChainEntries[0] = LAYERED_NEW_ID;
    if (cm_is_base(lower)) {
        c->ChainEntries[1] = lower->info.dwCatalogEntryId;
        c->ChainLen = 2;
    } else {
        memcpy(&c->ChainEntries[1], below->ChainEntries, below->ChainLen * sizeof(DWORD));
        c->ChainLen = below->ChainLen + 1;
    }
    /* lspkit hands out sockets of its own: they are not IFS handles. */
    chain->info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    chain_name(chain->info.szProtocol, o->name, lower->info.szProtocol);
    wcsncpy(chain->path, o->path, MAX_PATH - 1);
    chain->categories = o->categories;
}

static void make_layered(struct cm_entry *layered, const struct cm_entry *model,
                         const struct cm_install_opts *o)
{
    memset(layered, 0, sizeof(*layered));
    layered->info = model->info;
    layered->info.dwCatalogEntryId = LAYERED_NEW_ID;
    layered->info.ProviderId = *o->provider;
    memset(&layered->info.ProtocolChain, 0, sizeof(layered->info.ProtocolChain));
    layered->info.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    layered->info.iSocketType = 0;
    layered->info.iProtocol = 0;
    layered->info.iProtocolMaxOffset = 0;
    layered->info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    layered->info.dwProviderFlags = PFL_HIDDEN;
    memset(layered->info.szProtocol, 0, sizeof(layered->info.szProtocol));
    wcsncpy(layered->info.szProtocol, o->name, WSAPROTOCOL_LEN);
    wcsncpy(layered->path, o->path, MAX_PATH - 1);
    layered->categories = o->categories;
}

/* With CM_PLACE_UNDER, every other chain ending on `base` gets our layered
 * entry just above the base, so it still passes through lspkit. */
static int slide_under(struct cm_catalog *cat, const struct cm_entry *base, struct cm_error *err)
{
    char name[WSAPROTOCOL_LEN * 3 + 1];
    DWORD i;

    for (i = 0; i < cat->count; i++) {
        WSAPROTOCOLCHAIN *c = &cat->entries[i].info.ProtocolChain;

        if (!cm_is_chain(&cat->entries[i]) || c->ChainLen > MAX_PROTOCOL_CHAIN ||
            cm_chain_bottom(&cat->entries[i]) != base->info.dwCatalogEntryId ||
            c->ChainEntries[0] == LAYERED_NEW_ID)
            continue;
        if (c->ChainLen == MAX_PROTOCOL_CHAIN) {
            cm_name_utf8(&cat->entries[i], name, sizeof(name));
            snprintf(err->text, sizeof(err->text),
                     "cannot go under '%s': its chain already has %d entries", name,
                     MAX_PROTOCOL_CHAIN);
            return -1;
        }
        c->ChainEntries[c->ChainLen] = c->ChainEntries[c->ChainLen - 1];
        c->ChainEntries[c->ChainLen - 1] = LAYERED_NEW_ID;
        c->ChainLen++;
    }
    return 0;
}

/* Inserts `chain` just ahead of the first entry it covers. */
static int place_chain(struct cm_catalog *cat, const struct cm_entry *chain)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cm_covers(chain, &cat->entries[i]))
            break;
    return cm_insert(cat, i, chain);
}

static int too_long(const struct cm_entry *lower, struct cm_error *err)
{
    char name[WSAPROTOCOL_LEN * 3 + 1];

    cm_name_utf8(lower, name, sizeof(name));
    snprintf(err->text, sizeof(err->text),
             "cannot layer over '%s': its chain already has %d entries", name,
             lower->info.ProtocolChain.ChainLen);
    return -1;
}

static int add_chains(const struct cm_catalog *clean, struct cm_catalog *desired,
                      const struct cm_install_opts *o, struct cm_error *err)
{
    struct cm_entry chain, layered;
    const struct cm_entry *lower;
    DWORD i, made = 0;

    for (i = 0; i < clean->count; i++) {
        const struct cm_entry *base = &clean->entries[i];

        if (!is_target(base, o))
            continue;
        lower = lower_for(clean, base, o->placement);
        if (lower->info.ProtocolChain.ChainLen >= MAX_PROTOCOL_CHAIN)
            return too_long(lower, err);
        if (!made)
            make_layered(&layered, base, o);
        make_chain(&chain, clean, lower, LAYERED_NEW_ID + 1 + made, o);
        if (o->placement == CM_PLACE_UNDER && slide_under(desired, base, err))
            return -1;
        if (place_chain(desired, &chain))
            goto oom;
        made++;
    }
    if (!made) {
        snprintf(err->text, sizeof(err->text),
                 "no base provider in the catalog matches the protocols and families asked for");
        return -1;
    }
    if (cm_append(desired, &layered))
        goto oom;
    cm_fix_order(desired);
    return 0;
oom:
    snprintf(err->text, sizeof(err->text), "out of memory");
    return -1;
}

int cm_plan_install(const struct cm_catalog *cur, const struct cm_install_opts *o,
                    struct cm_catalog *desired, struct cm_error *err)
{
    struct cm_catalog clean;
    int ret;

    if (!o->name[0] || wcslen(o->name) > WSAPROTOCOL_LEN || !o->path[0] ||
        wcslen(o->path) >= MAX_PATH) {
        snprintf(err->text, sizeof(err->text), "the LSP name or DLL path is empty or too long");
        return -1;
    }
    cm_init(&clean);
    if (cm_plan_remove(cur, o->provider, &clean) || cm_copy(desired, &clean)) {
        cm_free(&clean);
        snprintf(err->text, sizeof(err->text), "out of memory");
        return -1;
    }
    ret = add_chains(&clean, desired, o, err);
    cm_free(&clean);
    return ret;
}
