/* SPDX-License-Identifier: MIT */
/* Consistency checks of the catalogs (see check.h). */
#include "check.h"
#include "../common/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct checker {
    struct cm_reporter r;
    const struct cm_views *views;
    const GUID *ours;
};

void cm_problems_init(struct cm_problems *list)
{
    memset(list, 0, sizeof(*list));
}

void cm_problems_free(struct cm_problems *list)
{
    free(list->items);
    cm_problems_init(list);
}

const char *cm_view_name(enum cm_view view, BOOL both)
{
    if (!both)
        return "the catalog";
    return view == CM_VIEW_32 ? "the 32-bit catalog" : "the 64-bit catalog";
}

void cm_report(struct cm_reporter *r, enum cm_problem_kind kind, enum cm_view view, DWORD id,
               BOOL ours, const char *format, ...)
{
    struct cm_problems *list = r->out;
    struct cm_problem *p;
    va_list args;
    int used;

    if (list->count == list->capacity) {
        DWORD capacity = list->capacity ? list->capacity * 2 : 8;
        struct cm_problem *grown = realloc(list->items, capacity * sizeof(*grown));

        if (!grown) {
            r->failed = 1;
            return;
        }
        list->items = grown;
        list->capacity = capacity;
    }
    p = &list->items[list->count++];
    p->kind = kind;
    p->view = view;
    p->id = id;
    p->ours = ours;
    used = snprintf(p->text, sizeof(p->text), "%s: ", cm_view_name(view, r->both));
    va_start(args, format);
    vsnprintf(p->text + used, sizeof(p->text) - used, format, args);
    va_end(args);
}

/* A checker's problems go to its reporter. */
#define report(c, ...) cm_report(&(c)->r, __VA_ARGS__)

/* "'NAME' (id N)" for messages. */
static const char *describe(const struct cm_entry *e, char *buf, size_t size)
{
    char name[WSAPROTOCOL_LEN * 3 + 1];

    cm_name_utf8(e, name, sizeof(name));
    snprintf(buf, size, "'%s' (id %lu)", name, (unsigned long)e->info.dwCatalogEntryId);
    return buf;
}

BOOL cm_is_ours(const struct cm_catalog *cat, const struct cm_entry *e, const GUID *ours)
{
    int layered = cm_find_layered(cat, ours);

    if (IsEqualGUID(&e->info.ProviderId, ours))
        return TRUE;
    return layered >= 0 && cm_chain_names(e, cat->entries[layered].info.dwCatalogEntryId);
}

BOOL cm_loads_ours(const struct cm_catalog *cat, const struct cm_entry *e, const GUID *ours)
{
    int layered = cm_find_layered(cat, ours);

    return layered >= 0 && cm_belongs_to(e, cat->entries[layered].info.dwCatalogEntryId);
}

static void check_ids(struct checker *c, enum cm_view v)
{
    const struct cm_catalog *cat = &c->views->cat[v];
    char a[200];
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cm_find_id(cat, cat->entries[i].info.dwCatalogEntryId) != (int)i)
            report(c, CM_PROBLEM_DUPLICATE_ID, v, cat->entries[i].info.dwCatalogEntryId,
                   cm_is_ours(cat, &cat->entries[i], c->ours),
                   "%s has the catalog id of an earlier entry",
                   describe(&cat->entries[i], a, sizeof(a)));
}

static BOOL chain_repeats(const WSAPROTOCOLCHAIN *chain)
{
    int i, j;

    for (i = 0; i < chain->ChainLen; i++)
        for (j = i + 1; j < chain->ChainLen; j++)
            if (chain->ChainEntries[i] == chain->ChainEntries[j])
                return TRUE;
    return FALSE;
}

/* One chain: its length, its head, the entries below and its bottom. */
static void check_chain(struct checker *c, enum cm_view v, const struct cm_entry *e)
{
    const struct cm_catalog *cat = &c->views->cat[v];
    const WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    BOOL ours = cm_is_ours(cat, e, c->ours);
    DWORD id = e->info.dwCatalogEntryId;
    int head, bottom, i;
    char a[200], b[200];

    if (chain->ChainLen > MAX_PROTOCOL_CHAIN || chain->ChainLen < 0 || chain_repeats(chain)) {
        report(c, CM_PROBLEM_BAD_CHAIN, v, id, ours,
               "chain %s is malformed (ChainLen %d or a repeated id)", describe(e, a, sizeof(a)),
               chain->ChainLen);
        return;
    }
    head = cm_find_id(cat, chain->ChainEntries[0]);
    if (head < 0 || !cm_is_layered(&cat->entries[head])) {
        report(c, CM_PROBLEM_ORPHAN_CHAIN, v, id, ours,
               "chain %s is orphaned: its layered entry (id %lu) is %s", describe(e, a, sizeof(a)),
               (unsigned long)chain->ChainEntries[0], head < 0 ? "gone" : "not a layered entry");
        return;
    }
    for (i = 1; i < chain->ChainLen; i++)
        if (cm_find_id(cat, chain->ChainEntries[i]) < 0)
            report(c, CM_PROBLEM_MISSING_LOWER, v, id, ours,
                   "chain %s names entry id %lu at level %d, which is gone",
                   describe(e, a, sizeof(a)), (unsigned long)chain->ChainEntries[i], i);
    bottom = cm_find_id(cat, cm_chain_bottom(e));
    if (bottom >= 0 && !cm_is_base(&cat->entries[bottom]))
        report(c, CM_PROBLEM_NOT_ON_BASE, v, id, ours,
               "chain %s ends on %s, which is not a base provider", describe(e, a, sizeof(a)),
               describe(&cat->entries[bottom], b, sizeof(b)));
}

static void check_ours_used(struct checker *c, enum cm_view v)
{
    const struct cm_catalog *cat = &c->views->cat[v];
    DWORD i, layered_id;
    int layered = cm_find_layered(cat, c->ours);
    char a[200];

    if (layered < 0)
        return;
    layered_id = cat->entries[layered].info.dwCatalogEntryId;
    for (i = 0; i < cat->count; i++)
        if (cm_is_chain(&cat->entries[i]) && cat->entries[i].info.ProtocolChain.ChainEntries[0] == layered_id)
            return;
    report(c, CM_PROBLEM_UNUSED_LAYERED, v, layered_id, TRUE,
           "lspkit's layered entry %s heads no chain (an installation did not finish)",
           describe(&cat->entries[layered], a, sizeof(a)));
}

static void check_dlls(struct checker *c, enum cm_view v, cm_dll_problem_fn dll_problem,
                       void *ctx)
{
    const struct cm_catalog *cat = &c->views->cat[v];
    char a[200], path[MAX_PATH * 3];
    const char *why;
    DWORD i;

    for (i = 0; i < cat->count; i++) {
        const struct cm_entry *e = &cat->entries[i];

        why = dll_problem(e->path, v, cm_loads_ours(cat, e, c->ours), ctx);
        if (!why)
            continue;
        text_utf8(e->path, path, sizeof(path));
        report(c, CM_PROBLEM_BAD_DLL, v, e->info.dwCatalogEntryId, cm_is_ours(cat, e, c->ours),
               "%s points at %s, which %s", describe(e, a, sizeof(a)), path, why);
    }
}

static void check_order(struct checker *c, enum cm_view v)
{
    const struct cm_catalog *cat = &c->views->cat[v];
    char a[200], b[200];
    DWORD i, j;

    for (j = 0; j < cat->count; j++)
        for (i = 0; i < j; i++)
            if (cm_covers(&cat->entries[j], &cat->entries[i])) {
                report(c, CM_PROBLEM_ORDER, v, cat->entries[j].info.dwCatalogEntryId,
                       cm_is_ours(cat, &cat->entries[j], c->ours),
                       "chain %s comes after %s, which it is layered over, so applications "
                       "never reach it", describe(&cat->entries[j], a, sizeof(a)),
                       describe(&cat->entries[i], b, sizeof(b)));
                break;
            }
}

/* The base providers every program expects: TCP, UDP and raw IP over IPv4
 * and IPv6, as Windows has them and the front end seeds them. A raw entry
 * may serve any protocol number (-1). */
static const struct {
    int af, type, protocol;
    const char *name;
} expected_bases[] = {
    { AF_INET, SOCK_STREAM, IPPROTO_TCP, "TCP over IPv4" },
    { AF_INET, SOCK_DGRAM, IPPROTO_UDP, "UDP over IPv4" },
    { AF_INET, SOCK_RAW, -1, "raw IPv4" },
    { AF_INET6, SOCK_STREAM, IPPROTO_TCP, "TCP over IPv6" },
    { AF_INET6, SOCK_DGRAM, IPPROTO_UDP, "UDP over IPv6" },
    { AF_INET6, SOCK_RAW, -1, "raw IPv6" },
};

/* A base entry lost (unreadable, or deleted), or one programs cannot pick
 * (hidden, or for another protocol), leaves its sockets to nobody;
 * nothing else in the catalog says so, since no chain need name it. */
static void check_bases(struct checker *c, enum cm_view v)
{
    const struct cm_catalog *cat = &c->views->cat[v];
    size_t k;
    DWORD i;

    for (k = 0; k < sizeof(expected_bases) / sizeof(expected_bases[0]); k++) {
        for (i = 0; i < cat->count; i++) {
            const WSAPROTOCOL_INFOW *info = &cat->entries[i].info;

            if (cm_is_base(&cat->entries[i]) && !(info->dwProviderFlags & PFL_HIDDEN) &&
                info->iAddressFamily == expected_bases[k].af &&
                info->iSocketType == expected_bases[k].type &&
                (expected_bases[k].protocol < 0 || info->iProtocol == expected_bases[k].protocol))
                break;
        }
        if (i == cat->count)
            report(c, CM_PROBLEM_MISSING_BASE, v, 0, FALSE,
                   "no base provider for %s that programs can pick: they cannot make such "
                   "sockets (the entry is gone, cannot be read, is hidden or is for another "
                   "protocol; 'netsh winsock reset' restores the base providers)",
                   expected_bases[k].name);
    }
}

/* What an LSP entry is, independent of catalog ids: its provider, kind,
 * protocol, categories and the providers along its chain. */
struct signature {
    GUID provider;
    int chain_len, af, type, protocol;
    DWORD categories;
    GUID along[MAX_PROTOCOL_CHAIN];
};

static void sign(const struct cm_catalog *cat, const struct cm_entry *e, struct signature *s)
{
    int i, at;

    memset(s, 0, sizeof(*s));
    s->provider = e->info.ProviderId;
    s->chain_len = e->info.ProtocolChain.ChainLen;
    s->af = e->info.iAddressFamily;
    s->type = e->info.iSocketType;
    s->protocol = e->info.iProtocol;
    s->categories = e->categories;
    for (i = 0; cm_is_chain(e) && i < s->chain_len && i < MAX_PROTOCOL_CHAIN; i++) {
        at = cm_find_id(cat, e->info.ProtocolChain.ChainEntries[i]);
        if (at >= 0)
            s->along[i] = cat->entries[at].info.ProviderId;
    }
}

static BOOL has_signature(const struct cm_catalog *cat, const struct signature *wanted)
{
    struct signature s;
    DWORD i;

    for (i = 0; i < cat->count; i++) {
        sign(cat, &cat->entries[i], &s);
        if (!memcmp(&s, wanted, sizeof(s)))
            return TRUE;
    }
    return FALSE;
}

/* LSP entries (layered and chains) of view `from` missing from the other. */
static void check_views_one_way(struct checker *c, enum cm_view from)
{
    enum cm_view to = from == CM_VIEW_NATIVE ? CM_VIEW_32 : CM_VIEW_NATIVE;
    const struct cm_catalog *src = &c->views->cat[from], *dst = &c->views->cat[to];
    struct signature s;
    char a[200];
    DWORD i;

    for (i = 0; i < src->count; i++) {
        const struct cm_entry *e = &src->entries[i];

        if (cm_is_base(e))
            continue;
        sign(src, e, &s);
        if (!has_signature(dst, &s))
            report(c, CM_PROBLEM_VIEWS_DIFFER, from, e->info.dwCatalogEntryId,
                   cm_is_ours(src, e, c->ours),
                   "%s %s has no counterpart in %s (same provider, protocol, categories "
                   "and chain)", cm_is_layered(e) ? "layered entry" : "chain",
                   describe(e, a, sizeof(a)), cm_view_name(to, TRUE));
    }
}

int cm_check(const struct cm_views *views, const GUID *ours, cm_dll_problem_fn dll_problem, void *ctx,
             struct cm_problems *out)
{
    struct checker c = { { out, views->present[CM_VIEW_32], 0 }, views, ours };
    enum cm_view v;
    DWORD i;

    for (v = CM_VIEW_NATIVE; v < CM_VIEWS; v++) {
        const struct cm_catalog *cat = &views->cat[v];

        if (!views->present[v])
            continue;
        check_ids(&c, v);
        check_bases(&c, v);
        for (i = 0; i < cat->count; i++)
            if (cat->entries[i].info.ProtocolChain.ChainLen > BASE_PROTOCOL ||
                cat->entries[i].info.ProtocolChain.ChainLen < 0)
                check_chain(&c, v, &cat->entries[i]);
        check_ours_used(&c, v);
        if (dll_problem)
            check_dlls(&c, v, dll_problem, ctx);
        check_order(&c, v);
    }
    if (views->present[CM_VIEW_NATIVE] && views->present[CM_VIEW_32]) {
        check_views_one_way(&c, CM_VIEW_NATIVE);
        check_views_one_way(&c, CM_VIEW_32);
    }
    return c.r.failed ? -1 : 0;
}
