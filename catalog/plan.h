/* SPDX-License-Identifier: MIT */
/* The catalogs the installer's commands aim for.
 *
 * Each function takes the current catalog and returns the desired one.
 * Entries to be added carry placeholder ids (CM_IS_NEW_ID); the chains
 * that name them use the same placeholders. diff.h turns a desired catalog
 * into WSC* operations. */
#ifndef LSPKIT_CATALOG_PLAN_H
#define LSPKIT_CATALOG_PLAN_H

#include "model.h"

/* Which base protocols to layer over. */
enum {
    CM_OVER_TCP = 1,             /* SOCK_STREAM / IPPROTO_TCP */
    CM_OVER_UDP = 2,             /* SOCK_DGRAM / IPPROTO_UDP */
    CM_OVER_RAW = 4,             /* SOCK_RAW, any protocol */
    CM_OVER_ALL = 8,             /* every base entry of the chosen families */
};

enum {
    CM_FAMILY_IPV4 = 1,
    CM_FAMILY_IPV6 = 2,
};

/* Where lspkit goes when another LSP already covers a base entry. */
enum cm_placement {
    CM_PLACE_OVER,               /* our chain over theirs: lspkit sees the data first */
    CM_PLACE_UNDER,              /* our chain over the base, theirs rewritten to call us */
};

struct cm_install_opts {
    const GUID *provider;        /* GUID of the layered entry */
    const WCHAR *name;           /* its szProtocol; chains are "NAME over LOWER" */
    const WCHAR *path;           /* provider DLL for this catalog */
    DWORD over;                  /* CM_OVER_* */
    DWORD families;              /* CM_FAMILY_*, 0 for both */
    enum cm_placement placement;
    DWORD categories;            /* LSP_* categories, 0 for none */
    GUID seed;                   /* fresh per installation: chain GUIDs derive from it */
};

/* The catalog with the LSP installed as `o` says: any earlier installation
 * of the same provider replaced, one hidden layered entry (at the end),
 * and one chain over each chosen lower entry, placed just ahead of the
 * first entry it covers. Returns 0, or -1 with `err` set. */
int cm_plan_install(const struct cm_catalog *cur, const struct cm_install_opts *o,
                    struct cm_catalog *desired, struct cm_error *err);

/* The catalog without provider `provider`: its entries and chains go, and
 * other LSPs' chains that call it skip it. Order otherwise unchanged. */
int cm_plan_remove(const struct cm_catalog *cur, const GUID *provider, struct cm_catalog *desired);

/* `saved` expressed against `cur`: base entries are always the current
 * ones serving the same protocols (a restore never deinstalls a base
 * provider), other entries still present (same id and provider) keep their
 * ids, the others get placeholders, and chains are renamed to match.
 * Returns -1 with `err` set when `saved` is unusable or names a base entry
 * this system lacks. */
int cm_plan_restore(const struct cm_catalog *cur, const struct cm_catalog *saved,
                    struct cm_catalog *desired, struct cm_error *err);

/* What `lspinst repair` aims for in both catalogs: a damaged installation
 * of `ours` (any problem cm_check marks as ours) removed from both; chains
 * that can no longer work (orphaned, malformed, not ending on a base entry,
 * or with a missing DLL) removed and missing middle entries skipped; LSP
 * entries whose DLL is missing removed; order fixed. Base entries are never
 * touched. Returns 0 or -1 (out of memory). */
int cm_plan_repair(const struct cm_views *cur, const GUID *ours, cm_dll_problem_fn dll_problem,
                   void *ctx, struct cm_views *desired);

/* `cur` with what a damaged entry count hides taken back from `hidden`
 * (the readable entry keys past Num_Catalog_Entries, in key order): base
 * entries for protocols no entry of `cur` serves, layered entries a chain
 * names, and chains whose every link is then present, each under a
 * placeholder id, order fixed. Entries nothing visible needs (removed on
 * purpose by a write that was interrupted) stay out. `*recovered` counts
 * the entries taken back. Returns 0 or -1 (out of memory). */
int cm_plan_recover(const struct cm_catalog *cur, const struct cm_catalog *hidden,
                    struct cm_catalog *desired, DWORD *recovered);

/* Moves every chain ahead of the entries it covers, keeping the order
 * otherwise. */
void cm_fix_order(struct cm_catalog *cat);

/* TRUE when `cur` already is `desired` up to catalog ids, the GUIDs of
 * entries `desired` adds and the position of hidden layered entries, which
 * no application sees: the test of an installation that is already done. */
BOOL cm_same_layout(const struct cm_catalog *cur, const struct cm_catalog *desired);

#endif
