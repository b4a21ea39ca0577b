/* SPDX-License-Identifier: MIT */
/* Consistency checks of the catalogs (`lspinst verify`).
 *
 * Each problem is one sentence naming the entry, so the installer can
 * print one line per problem. `ours` marks problems with lspkit's own
 * entries: repair removes a damaged lspkit installation as a whole, while
 * other providers' entries are only mended. */
#ifndef LSPKIT_CATALOG_CHECK_H
#define LSPKIT_CATALOG_CHECK_H

#include "model.h"

enum cm_problem_kind {
    CM_PROBLEM_DUPLICATE_ID,     /* two entries share a catalog id */
    CM_PROBLEM_BAD_CHAIN,        /* ChainLen out of range or an id twice in a chain */
    CM_PROBLEM_ORPHAN_CHAIN,     /* the chain's head (its LSP's layered entry) is gone */
    CM_PROBLEM_MISSING_LOWER,    /* an entry below the chain's head is gone */
    CM_PROBLEM_NOT_ON_BASE,      /* the chain's bottom is not a base entry */
    CM_PROBLEM_UNUSED_LAYERED,   /* lspkit's layered entry heads no chain */
    CM_PROBLEM_BAD_DLL,          /* the entry's DLL is missing or no provider for it */
    CM_PROBLEM_ORDER,            /* a chain comes after an entry it covers */
    CM_PROBLEM_VIEWS_DIFFER,     /* an LSP entry of one catalog is not in the other */
    CM_PROBLEM_MISSING_BASE,     /* no base entry for TCP, UDP or raw over IPv4 or IPv6 */
    CM_PROBLEM_UNREADABLE,       /* entry keys the API cannot show (check_store.c) */
    CM_PROBLEM_NEXT_ID,          /* Next_Catalog_Entry_ID missing, unusable or not above every id */
};

struct cm_problem {
    enum cm_problem_kind kind;
    enum cm_view view;
    DWORD id;                    /* catalog id of the entry concerned */
    BOOL ours;
    char text[600];
};

struct cm_problems {
    struct cm_problem *items;
    DWORD count;
    DWORD capacity;
};

void cm_problems_init(struct cm_problems *list);
void cm_problems_free(struct cm_problems *list);

/* Checks every present catalog of `views`, and the two against each other.
 * `dll_problem` may be NULL to skip the DLL check. Appends to `out`; returns 0,
 * or -1 when out of memory. */
int cm_check(const struct cm_views *views, const GUID *ours, cm_dll_problem_fn dll_problem,
             void *ctx, struct cm_problems *out);

/* TRUE when `e` is part of the installation of LSP `ours` in `cat`: an
 * entry with its GUID, or a chain naming its layered entry. */
BOOL cm_is_ours(const struct cm_catalog *cat, const struct cm_entry *e, const GUID *ours);
/* TRUE when programs load provider `ours`'s own DLL for `e`: its layered
 * entry, or a chain it heads (not another LSP's chain that calls it). */
BOOL cm_loads_ours(const struct cm_catalog *cat, const struct cm_entry *e, const GUID *ours);

/* Where problems go: `out`, each text starting with the catalog's name
 * (cm_view_name with `both`); `failed` is set when memory runs out. */
struct cm_reporter {
    struct cm_problems *out;
    BOOL both;
    int failed;
};
void cm_report(struct cm_reporter *r, enum cm_problem_kind kind, enum cm_view view, DWORD id,
               BOOL ours, const char *format, ...) __attribute__((format(gnu_printf, 6, 7)));

/* "the 64-bit catalog" / "the 32-bit catalog" (or just "the catalog" when
 * `both` is FALSE). */
const char *cm_view_name(enum cm_view view, BOOL both);

#endif
