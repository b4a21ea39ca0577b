/* SPDX-License-Identifier: MIT */
/* Unit tests of the catalog model (catalog/): plans, checks, diffs and the
 * backup format on hand-made catalogs. Pure data in, plan or problems out:
 * no Winsock call is made (the program does not even import ws2_32). */
#include <check.h>
#include "run_suite.h"
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../check.h"
#include "../diff.h"
#include "../pack.h"
#include "../plan.h"
#include "model_util.h"

#define LSP_DLL L"%SystemRoot%\\system32\\lspkit.dll"

static struct cm_catalog cur, desired, again;
static struct cm_error err;

static void setup(void)
{
    cm_init(&cur);
    cm_init(&desired);
    cm_init(&again);
    memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
    cm_free(&cur);
    cm_free(&desired);
    cm_free(&again);
}

static struct cm_install_opts opts(DWORD over, DWORD families, enum cm_placement placement,
                                   DWORD seed)
{
    struct cm_install_opts o;

    memset(&o, 0, sizeof(o));
    o.provider = &cm_lspkit_guid;
    o.name = L"lspkit";
    o.path = LSP_DLL;
    o.over = over;
    o.families = families;
    o.placement = placement;
    o.seed.Data1 = seed;
    return o;
}

static void plan_ok(const struct cm_catalog *from, struct cm_install_opts o, struct cm_catalog *to)
{
    int ret = cm_plan_install(from, &o, to, &err);

    ck_assert_msg(ret == 0, "plan failed: %s", err.text);
}

/* The chain of `to` whose bottom is `base`, headed by lspkit; -1 if none. */
static int our_chain_over(const struct cm_catalog *to, DWORD base)
{
    int layered = cm_find_layered(to, &cm_lspkit_guid);
    DWORD i;

    ck_assert_int_ge(layered, 0);
    for (i = 0; i < to->count; i++)
        if (cm_is_chain(&to->entries[i]) &&
            cm_belongs_to(&to->entries[i], to->entries[layered].info.dwCatalogEntryId) &&
            cm_chain_bottom(&to->entries[i]) == base)
            return (int)i;
    return -1;
}

static DWORD count_problems(const struct cm_catalog *cat, enum cm_problem_kind kind, BOOL *ours)
{
    struct cm_views views;
    struct cm_problems problems;
    DWORD i, n = 0;

    memset(&views, 0, sizeof(views));
    views.cat[CM_VIEW_NATIVE] = *cat;
    views.present[CM_VIEW_NATIVE] = TRUE;
    cm_problems_init(&problems);
    ck_assert_int_eq(cm_check(&views, &cm_lspkit_guid, fake_dll_problem, NULL, &problems), 0);
    for (i = 0; i < problems.count; i++)
        if (problems.items[i].kind == kind) {
            n++;
            if (ours)
                *ours = problems.items[i].ours;
        }
    cm_problems_free(&problems);
    return n;
}

static DWORD all_problems(const struct cm_catalog *cat)
{
    struct cm_views views;
    struct cm_problems problems;
    DWORD n;

    memset(&views, 0, sizeof(views));
    views.cat[CM_VIEW_NATIVE] = *cat;
    views.present[CM_VIEW_NATIVE] = TRUE;
    cm_problems_init(&problems);
    ck_assert_int_eq(cm_check(&views, &cm_lspkit_guid, fake_dll_problem, NULL, &problems), 0);
    n = problems.count;
    if (n)
        ck_assert_msg(0, "unexpected problem: %s", problems.items[0].text);
    cm_problems_free(&problems);
    return n;
}

/* The layered entry: hidden, ChainLen 0, lspkit's GUID, last. */
START_TEST(install_layered_entry)
{
    const struct cm_entry *l;
    int at;

    make_windows(&cur);
    plan_ok(&cur, opts(CM_OVER_TCP | CM_OVER_UDP, 0, CM_PLACE_OVER, 1), &desired);
    at = cm_find_layered(&desired, &cm_lspkit_guid);
    ck_assert_int_eq(at, (int)desired.count - 1);
    l = &desired.entries[at];
    ck_assert_int_eq(l->info.ProtocolChain.ChainLen, LAYERED_PROTOCOL);
    ck_assert(l->info.dwProviderFlags & PFL_HIDDEN);
    ck_assert(!(l->info.dwServiceFlags1 & XP1_IFS_HANDLES));
    ck_assert(CM_IS_NEW_ID(l->info.dwCatalogEntryId));
    ck_assert(!wcscmp(l->info.szProtocol, L"lspkit"));
    ck_assert(!wcscmp(l->path, LSP_DLL));
}
END_TEST

/* One chain over each chosen base entry: ChainEntries = layered id + base,
 * not IFS, own GUID, readable name, ahead of its base. */
START_TEST(install_chains_over_bases)
{
    static const DWORD bases[] = { 1001, 1002, 1004, 1005 };
    GUID seen[4];
    size_t i, j;
    int c, layered;

    make_windows(&cur);
    plan_ok(&cur, opts(CM_OVER_TCP | CM_OVER_UDP, 0, CM_PLACE_OVER, 1), &desired);
    ck_assert_uint_eq(desired.count, cur.count + 4 + 1);
    layered = cm_find_layered(&desired, &cm_lspkit_guid);
    for (i = 0; i < 4; i++) {
        const struct cm_entry *e;

        c = our_chain_over(&desired, bases[i]);
        ck_assert_int_ge(c, 0);
        e = &desired.entries[c];
        ck_assert_int_eq(e->info.ProtocolChain.ChainLen, 2);
        ck_assert_uint_eq(e->info.ProtocolChain.ChainEntries[0],
                          desired.entries[layered].info.dwCatalogEntryId);
        ck_assert_uint_eq(e->info.ProtocolChain.ChainEntries[1], bases[i]);
        ck_assert(!(e->info.dwServiceFlags1 & XP1_IFS_HANDLES));
        ck_assert_int_lt(c, index_of(&desired, bases[i]));
        ck_assert(!IsEqualGUID(&e->info.ProviderId, &cm_lspkit_guid));
        ck_assert(!IsEqualGUID(&e->info.ProviderId, &msafd_guid));
        seen[i] = e->info.ProviderId;
        for (j = 0; j < i; j++)
            ck_assert(!IsEqualGUID(&seen[i], &seen[j]));
    }
    ck_assert(!wcscmp(desired.entries[our_chain_over(&desired, 1001)].info.szProtocol,
                      L"lspkit over MSAFD Tcpip [TCP/IP]"));
    ck_assert_int_eq(our_chain_over(&desired, 1003), -1);
    realize(&desired, 3001);
    ck_assert_uint_eq(all_problems(&desired), 0);
}
END_TEST

START_TEST(install_families_and_all)
{
    make_windows(&cur);
    plan_ok(&cur, opts(CM_OVER_ALL, CM_FAMILY_IPV4, CM_PLACE_OVER, 1), &desired);
    ck_assert_int_ge(our_chain_over(&desired, 1001), 0);
    ck_assert_int_ge(our_chain_over(&desired, 1002), 0);
    ck_assert_int_ge(our_chain_over(&desired, 1003), 0);
    ck_assert_int_eq(our_chain_over(&desired, 1004), -1);
    ck_assert_int_eq(our_chain_over(&desired, 1007), -1);   /* not an IP family */
    ck_assert_uint_eq(desired.count, cur.count + 3 + 1);
}
END_TEST

START_TEST(install_nothing_to_cover)
{
    add_base(&cur, 1007, 34, SOCK_STREAM, 1, L"Hyper-V RAW");
    ck_assert_int_eq(cm_plan_install(&cur, &(struct cm_install_opts){
                         &cm_lspkit_guid, L"lspkit", LSP_DLL, CM_OVER_TCP, 0, CM_PLACE_OVER, 0,
                         { 0 } }, &desired, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.text, "no base provider"));
}
END_TEST

/* Installing twice = once: the second plan is the catalog as it stands,
 * whatever fresh GUIDs it draws and wherever the hidden entry sits. */
START_TEST(install_twice_is_once)
{
    make_windows(&cur);
    plan_ok(&cur, opts(CM_OVER_TCP | CM_OVER_UDP, 0, CM_PLACE_OVER, 1), &desired);
    realize(&desired, 3001);
    add_layered(&desired, 4001, &third_guid, L"Later LSP", L"C:\\later.dll");
    plan_ok(&desired, opts(CM_OVER_TCP | CM_OVER_UDP, 0, CM_PLACE_OVER, 2), &again);
    ck_assert(cm_same_layout(&desired, &again));
    cm_free(&again);
    plan_ok(&desired, opts(CM_OVER_TCP, 0, CM_PLACE_OVER, 2), &again);
    ck_assert(!cm_same_layout(&desired, &again));
}
END_TEST

/* Over another LSP: our chain is built on theirs and ordered ahead of it. */
START_TEST(install_above_other_lsp)
{
    const struct cm_entry *e;
    int c;

    make_windows(&cur);
    add_other_lsp(&cur);
    plan_ok(&cur, opts(CM_OVER_TCP | CM_OVER_UDP, CM_FAMILY_IPV4, CM_PLACE_OVER, 1), &desired);
    c = our_chain_over(&desired, 1001);
    e = &desired.entries[c];
    ck_assert_int_eq(e->info.ProtocolChain.ChainLen, 3);
    ck_assert_uint_eq(e->info.ProtocolChain.ChainEntries[1], 2001);
    ck_assert_uint_eq(e->info.ProtocolChain.ChainEntries[2], 1001);
    ck_assert_int_lt(c, index_of(&desired, 2002));
    ck_assert(!wcscmp(e->info.szProtocol, L"lspkit over Other over TCP"));
    ck_assert_int_eq(desired.entries[index_of(&desired, 2002)].info.ProtocolChain.ChainLen, 2);
    realize(&desired, 3001);
    ck_assert_uint_eq(all_problems(&desired), 0);
}
END_TEST

/* Under another LSP: our chain sits on the base, theirs calls us. */
START_TEST(install_below_other_lsp)
{
    const struct cm_entry *theirs;
    DWORD layered_id;
    int c;

    make_windows(&cur);
    add_other_lsp(&cur);
    plan_ok(&cur, opts(CM_OVER_TCP | CM_OVER_UDP, CM_FAMILY_IPV4, CM_PLACE_UNDER, 1), &desired);
    layered_id = desired.entries[cm_find_layered(&desired, &cm_lspkit_guid)].info.dwCatalogEntryId;
    c = our_chain_over(&desired, 1001);
    ck_assert_int_eq(desired.entries[c].info.ProtocolChain.ChainLen, 2);
    theirs = &desired.entries[index_of(&desired, 2002)];
    ck_assert_int_eq(theirs->info.ProtocolChain.ChainLen, 3);
    ck_assert_uint_eq(theirs->info.ProtocolChain.ChainEntries[0], 2001);
    ck_assert_uint_eq(theirs->info.ProtocolChain.ChainEntries[1], layered_id);
    ck_assert_uint_eq(theirs->info.ProtocolChain.ChainEntries[2], 1001);
    ck_assert_int_lt(index_of(&desired, 2002), c);
    ck_assert_int_lt(c, index_of(&desired, 1001));
    realize(&desired, 3001);
    ck_assert_uint_eq(all_problems(&desired), 0);
}
END_TEST

/* Remove after install gives back exactly the catalog before, other LSPs'
 * chains included, in either placement. */
START_TEST(remove_is_exact)
{
    enum cm_placement placement = _i ? CM_PLACE_UNDER : CM_PLACE_OVER;

    make_windows(&cur);
    add_other_lsp(&cur);
    plan_ok(&cur, opts(CM_OVER_ALL, 0, placement, 1), &desired);
    realize(&desired, 3001);
    ck_assert_int_eq(cm_plan_remove(&desired, &cm_lspkit_guid, &again), 0);
    ck_assert(same_catalog(&cur, &again));
}
END_TEST

START_TEST(chain_too_long)
{
    static const DWORD deep[] = { 2001, 2101, 2102, 2103, 2104, 2105, 1001 };

    make_windows(&cur);
    add_layered(&cur, 2001, &other_guid, L"Deep", L"C:\\deep.dll");
    insert_chain(&cur, 0, 2002, &other_guid, deep, 7, L"Deep chain", L"C:\\deep.dll");
    ck_assert_int_eq(cm_plan_install(&cur, &(struct cm_install_opts){
                         &cm_lspkit_guid, L"lspkit", LSP_DLL, CM_OVER_TCP, CM_FAMILY_IPV4,
                         CM_PLACE_OVER, 0, { 0 } }, &desired, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.text, "7 entries"));
}
END_TEST

/* The chain over the same lower entry gets the same GUID in both catalogs
 * (ids differ there), and another one for another installation. */
START_TEST(chain_guid_follows_lower_entry)
{
    struct cm_catalog wow, wow_desired;
    int a, b;

    cm_init(&wow);
    cm_init(&wow_desired);
    make_windows(&cur);
    add_base(&wow, 5001, AF_INET, SOCK_STREAM, IPPROTO_TCP, L"MSAFD Tcpip [TCP/IP]");
    plan_ok(&cur, opts(CM_OVER_TCP, CM_FAMILY_IPV4, CM_PLACE_OVER, 7), &desired);
    plan_ok(&wow, opts(CM_OVER_TCP, CM_FAMILY_IPV4, CM_PLACE_OVER, 7), &wow_desired);
    plan_ok(&cur, opts(CM_OVER_TCP, CM_FAMILY_IPV4, CM_PLACE_OVER, 8), &again);
    a = our_chain_over(&desired, 1001);
    b = our_chain_over(&wow_desired, 5001);
    ck_assert(IsEqualGUID(&desired.entries[a].info.ProviderId, &wow_desired.entries[b].info.ProviderId));
    ck_assert(!IsEqualGUID(&desired.entries[a].info.ProviderId,
                           &again.entries[our_chain_over(&again, 1001)].info.ProviderId));
    cm_free(&wow);
    cm_free(&wow_desired);
}
END_TEST

START_TEST(check_clean_catalog)
{
    make_windows(&cur);
    add_other_lsp(&cur);
    ck_assert_uint_eq(all_problems(&cur), 0);
}
END_TEST

START_TEST(check_orphan_missing_lower_not_on_base)
{
    static const DWORD orphan[] = { 2999, 1001 }, hole[] = { 2001, 2500, 1002 },
                       on_layered[] = { 2001, 2005 };

    make_windows(&cur);
    add_layered(&cur, 2001, &other_guid, L"Other", L"C:\\other.dll");
    add_layered(&cur, 2005, &third_guid, L"Third", L"C:\\third.dll");
    insert_chain(&cur, 0, 2002, &other_guid, orphan, 2, L"Orphan", L"C:\\other.dll");
    insert_chain(&cur, 1, 2003, &other_guid, hole, 3, L"Hole", L"C:\\other.dll");
    insert_chain(&cur, 2, 2004, &other_guid, on_layered, 2, L"On layered", L"C:\\other.dll");
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_ORPHAN_CHAIN, NULL), 1);
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_MISSING_LOWER, NULL), 1);
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_NOT_ON_BASE, NULL), 1);
}
END_TEST

START_TEST(check_malformed)
{
    static const DWORD on_layered[] = { 2001, 2001 }, ok[] = { 2001, 1001 };

    make_windows(&cur);
    add_layered(&cur, 2001, &other_guid, L"Other", L"C:\\other.dll");
    insert_chain(&cur, 0, 2002, &other_guid, ok, 2, L"Fine", L"C:\\other.dll");
    insert_chain(&cur, 0, 2003, &other_guid, on_layered, 2, L"Repeats", L"C:\\other.dll");
    cur.entries[1].info.ProtocolChain.ChainLen = 9;
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_BAD_CHAIN, NULL), 2);
}
END_TEST

START_TEST(check_unused_layered_is_ours)
{
    BOOL ours = FALSE;

    make_windows(&cur);
    add_layered(&cur, 3001, &cm_lspkit_guid, L"lspkit", LSP_DLL);
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_UNUSED_LAYERED, &ours), 1);
    ck_assert(ours);
}
END_TEST

START_TEST(check_missing_dll)
{
    BOOL ours = TRUE;

    make_windows(&cur);
    add_other_lsp(&cur);
    wcscpy(cur.entries[0].path, L"C:\\missing\\other.dll");
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_BAD_DLL, &ours), 1);
    ck_assert(!ours);
}
END_TEST

START_TEST(check_wrong_order)
{
    make_windows(&cur);
    add_other_lsp(&cur);
    cm_move(&cur, 0, 4);   /* TCP chain after its base */
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_ORDER, NULL), 1);
    cm_fix_order(&cur);
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_ORDER, NULL), 0);
    ck_assert_int_lt(index_of(&cur, 2002), index_of(&cur, 1001));
}
END_TEST

START_TEST(check_duplicate_id)
{
    make_windows(&cur);
    cur.entries[1].info.dwCatalogEntryId = 1001;
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_DUPLICATE_ID, NULL), 1);
}
END_TEST

/* A lost base entry is a problem though no chain names it, and so is one
 * programs cannot pick (hidden, another protocol); an empty catalog lacks
 * all six. */
START_TEST(check_missing_base)
{
    BOOL ours = FALSE;

    make_windows(&cur);
    cm_remove_at(&cur, 0);   /* TCP over IPv4 */
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_MISSING_BASE, &ours), 1);
    ck_assert(!ours);
    cur.entries[0].info.dwProviderFlags |= PFL_HIDDEN;   /* UDP over IPv4 */
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_MISSING_BASE, NULL), 2);
    cur.entries[2].info.iProtocol = IPPROTO_UDP;          /* TCP over IPv6 */
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_MISSING_BASE, NULL), 3);
    cm_free(&cur);
    ck_assert_uint_eq(count_problems(&cur, CM_PROBLEM_MISSING_BASE, NULL), 6);
}
END_TEST

static void make_views(struct cm_views *views)
{
    cm_views_init(views);
    views->present[CM_VIEW_NATIVE] = views->present[CM_VIEW_32] = TRUE;
    make_windows(&views->cat[CM_VIEW_NATIVE]);
    make_windows(&views->cat[CM_VIEW_32]);
}

static DWORD view_problems(const struct cm_views *views, enum cm_problem_kind kind, BOOL *ours)
{
    struct cm_problems problems;
    DWORD i, n = 0;

    cm_problems_init(&problems);
    ck_assert_int_eq(cm_check(views, &cm_lspkit_guid, fake_dll_problem, NULL, &problems), 0);
    for (i = 0; i < problems.count; i++)
        if (kind == (enum cm_problem_kind)-1 || problems.items[i].kind == kind) {
            n++;
            if (ours)
                *ours |= problems.items[i].ours;
        }
    cm_problems_free(&problems);
    return n;
}

/* Differences between the 64-bit and 32-bit catalogs: ours in one only. */
START_TEST(check_views_differ)
{
    struct cm_views views;
    BOOL ours = FALSE;

    make_views(&views);
    plan_ok(&views.cat[CM_VIEW_NATIVE], opts(CM_OVER_TCP, 0, CM_PLACE_OVER, 1), &desired);
    realize(&desired, 3001);
    ck_assert_uint_eq(view_problems(&views, CM_PROBLEM_VIEWS_DIFFER, NULL), 0);
    cm_copy(&views.cat[CM_VIEW_NATIVE], &desired);
    ck_assert_uint_eq(view_problems(&views, CM_PROBLEM_VIEWS_DIFFER, &ours), 3);
    ck_assert(ours);
    cm_copy(&views.cat[CM_VIEW_32], &desired);
    ck_assert_uint_eq(view_problems(&views, (enum cm_problem_kind)-1, NULL), 0);
    cm_views_free(&views);
}
END_TEST

/* Repair: a half-installed lspkit goes from both catalogs, an orphan goes,
 * another LSP's chain skips its missing middle entry, order is fixed; a
 * base entry with a missing DLL is left alone and still reported. */
START_TEST(repair_plan)
{
    static const DWORD hole[] = { 2001, 2500, 1001 }, orphan[] = { 2999, 1002 },
                       fine[] = { 2001, 1001 };
    struct cm_views views, fixed;
    struct cm_catalog *n;
    DWORD i;

    make_views(&views);
    n = &views.cat[CM_VIEW_NATIVE];
    plan_ok(n, opts(CM_OVER_TCP | CM_OVER_UDP, 0, CM_PLACE_OVER, 1), &desired);
    realize(&desired, 3001);
    cm_remove_at(&desired, (DWORD)our_chain_over(&desired, 1002));   /* half-installed */
    cm_move(&desired, (DWORD)our_chain_over(&desired, 1001), desired.count - 2);
    cm_copy(n, &desired);
    add_layered(n, 2001, &other_guid, L"Other", L"C:\\other.dll");
    insert_chain(n, 0, 2002, &other_guid, hole, 3, L"Hole", L"C:\\other.dll");
    insert_chain(n, 0, 2003, &other_guid, orphan, 2, L"Orphan", L"C:\\other.dll");
    wcscpy(n->entries[index_of(n, 1003)].path, L"C:\\missing\\mswsock.dll");
    add_layered(&views.cat[CM_VIEW_32], 2001, &other_guid, L"Other", L"C:\\other.dll");
    insert_chain(&views.cat[CM_VIEW_32], 0, 2002, &other_guid, fine, 2, L"Hole",
                 L"C:\\other.dll");

    cm_views_init(&fixed);
    ck_assert_int_eq(cm_plan_repair(&views, &cm_lspkit_guid, fake_dll_problem, NULL, &fixed), 0);
    n = &fixed.cat[CM_VIEW_NATIVE];
    for (i = 0; i < n->count; i++) {
        ck_assert(!IsEqualGUID(&n->entries[i].info.ProviderId, &cm_lspkit_guid));
        ck_assert_uint_lt(n->entries[i].info.dwCatalogEntryId, 3000);
    }
    ck_assert_int_eq(cm_find_id(n, 2003), -1);
    ck_assert_int_eq(n->entries[index_of(n, 2002)].info.ProtocolChain.ChainLen, 2);
    ck_assert_int_ge(index_of(n, 1003), 0);
    ck_assert_uint_eq(view_problems(&fixed, CM_PROBLEM_BAD_DLL, NULL), 1);
    ck_assert_uint_eq(view_problems(&fixed, (enum cm_problem_kind)-1, NULL), 1);
    cm_views_free(&views);
    cm_views_free(&fixed);
}
END_TEST

/* A count set too low hides the entries past it: repair takes back all an
 * installation needs, under new ids, in a working order. */
START_TEST(recover_hidden_by_count)
{
    struct cm_catalog full, hidden;
    DWORD recovered, i;

    cm_init(&full);
    make_windows(&full);
    add_other_lsp(&full);
    cm_init(&hidden);
    cm_append(&cur, &full.entries[0]);   /* Num_Catalog_Entries 1 */
    for (i = 1; i < full.count; i++)
        cm_append(&hidden, &full.entries[i]);
    ck_assert_int_eq(cm_plan_recover(&cur, &hidden, &desired, &recovered), 0);
    ck_assert_uint_eq(recovered, full.count - 1);
    for (i = 0; i < desired.count; i++)
        ck_assert(CM_IS_NEW_ID(desired.entries[i].info.dwCatalogEntryId) ||
                  desired.entries[i].info.dwCatalogEntryId == full.entries[0].info.dwCatalogEntryId);
    realize(&desired, 5001);
    ck_assert(cm_same_layout(&full, &desired));
    cm_free(&full);
    cm_free(&hidden);
}
END_TEST

/* Keys past the count are also what a write interrupted before it deleted
 * the surplus leaves: an LSP removed on purpose, which nothing visible
 * names, stays removed, and copies of visible entries are no entries. */
START_TEST(recover_leaves_removed_entries)
{
    struct cm_catalog full, hidden;
    DWORD recovered, i;

    cm_init(&full);
    make_windows(&full);
    add_other_lsp(&full);
    ck_assert_int_eq(cm_plan_remove(&full, &other_guid, &cur), 0);
    cm_init(&hidden);
    for (i = 0; i < full.count; i++)
        if (IsEqualGUID(&full.entries[i].info.ProviderId, &other_guid) ||
            full.entries[i].info.dwCatalogEntryId == 1001)
            cm_append(&hidden, &full.entries[i]);
    ck_assert_int_eq(cm_plan_recover(&cur, &hidden, &desired, &recovered), 0);
    ck_assert_uint_eq(recovered, 0);
    ck_assert(same_catalog(&cur, &desired));
    cm_free(&full);
    cm_free(&hidden);
}
END_TEST

static DWORD count_ops(const struct cm_plan *plan, enum cm_op_kind kind)
{
    DWORD i, n = 0;

    for (i = 0; i < plan->nops; i++)
        n += plan->ops[i].kind == kind;
    return n;
}

/* Installation: the layered entry before the chains that name it,
 * categories for each new provider, the order last. */
START_TEST(diff_install)
{
    struct cm_install_opts o = opts(CM_OVER_TCP | CM_OVER_UDP, 0, CM_PLACE_OVER, 1);
    struct cm_plan plan;

    o.categories = LSP_INSPECTOR;
    make_windows(&cur);
    plan_ok(&cur, o, &desired);
    cm_plan_init(&plan);
    ck_assert_int_eq(cm_diff(&cur, &desired, &plan, &err), 0);
    ck_assert_uint_eq(count_ops(&plan, CM_OP_INSTALL), 5);
    ck_assert_uint_eq(count_ops(&plan, CM_OP_CATEGORIES), 5);
    ck_assert_uint_eq(count_ops(&plan, CM_OP_DEINSTALL) + count_ops(&plan, CM_OP_UPDATE), 0);
    ck_assert_int_eq(plan.ops[0].kind, CM_OP_INSTALL);
    ck_assert(IsEqualGUID(&plan.ops[0].provider, &cm_lspkit_guid));
    ck_assert_int_eq(plan.ops[plan.nops - 1].kind, CM_OP_ORDER);
    cm_plan_free(&plan);
}
END_TEST

/* Removal below another LSP: their chains are rewritten before anything
 * is deleted, chains go before the layered entry. */
START_TEST(diff_remove_below_other)
{
    struct cm_plan plan;
    DWORD i, update_at = 0, chain_gone = 0, layered_gone = 0;

    make_windows(&cur);
    add_other_lsp(&cur);
    plan_ok(&cur, opts(CM_OVER_TCP | CM_OVER_UDP, CM_FAMILY_IPV4, CM_PLACE_UNDER, 1), &again);
    realize(&again, 3001);
    ck_assert_int_eq(cm_plan_remove(&again, &cm_lspkit_guid, &desired), 0);
    cm_plan_init(&plan);
    ck_assert_int_eq(cm_diff(&again, &desired, &plan, &err), 0);
    for (i = 0; i < plan.nops; i++) {
        if (plan.ops[i].kind == CM_OP_UPDATE)
            update_at = i + 1;
        if (plan.ops[i].kind == CM_OP_DEINSTALL) {
            if (IsEqualGUID(&plan.ops[i].provider, &cm_lspkit_guid))
                layered_gone = i + 1;
            else if (!chain_gone)
                chain_gone = i + 1;
        }
    }
    ck_assert_uint_eq(count_ops(&plan, CM_OP_UPDATE), 1);
    ck_assert(IsEqualGUID(&plan.ops[update_at - 1].provider, &other_guid));
    ck_assert_uint_eq(count_ops(&plan, CM_OP_DEINSTALL), 3);
    ck_assert_uint_lt(update_at, chain_gone);
    ck_assert_uint_lt(chain_gone, layered_gone);
    ck_assert_uint_eq(count_ops(&plan, CM_OP_INSTALL), 0);
    cm_plan_free(&plan);
}
END_TEST

/* Restoring a deleted LSP whose chains share its GUID: it is removed and
 * installed again; its chains, which must name the new layered id, become
 * a provider of their own. */
START_TEST(diff_restore_reinstalls)
{
    struct cm_plan plan;
    DWORD i, installs = 0;

    make_windows(&cur);
    add_other_lsp(&cur);
    cm_copy(&again, &cur);
    cm_remove_at(&again, (DWORD)index_of(&again, 2001));
    cm_remove_at(&again, (DWORD)index_of(&again, 2003));
    ck_assert_int_eq(cm_plan_restore(&again, &cur, &desired, &err), 0);
    ck_assert(CM_IS_NEW_ID(desired.entries[index_of(&desired, 2002)].info.ProtocolChain.ChainEntries[0]));
    cm_plan_init(&plan);
    ck_assert_int_eq(cm_diff(&again, &desired, &plan, &err), 0);
    ck_assert_int_eq(plan.ops[0].kind, CM_OP_DEINSTALL);
    for (i = 0; i < plan.nops; i++)
        if (plan.ops[i].kind == CM_OP_INSTALL) {
            installs++;
            if (installs == 1) {
                ck_assert(IsEqualGUID(&plan.ops[i].provider, &other_guid));
                ck_assert_uint_eq(plan.ops[i].count, 1);
            } else
                ck_assert_uint_eq(plan.ops[i].count, 2);
        }
    ck_assert_uint_eq(installs, 2);
    ck_assert_int_eq(plan.ops[plan.nops - 1].kind, CM_OP_ORDER);
    cm_plan_free(&plan);
}
END_TEST

START_TEST(diff_nothing_to_do)
{
    struct cm_plan plan;

    make_windows(&cur);
    add_other_lsp(&cur);
    cm_plan_init(&plan);
    ck_assert_int_eq(cm_diff(&cur, &cur, &plan, &err), 0);
    ck_assert_uint_eq(plan.nops, 0);
    cm_plan_free(&plan);
}
END_TEST

START_TEST(pack_round_trip_and_damage)
{
    struct cm_views views, back;
    unsigned char *data;
    size_t size;

    make_views(&views);
    add_other_lsp(&views.cat[CM_VIEW_32]);
    views.cat[CM_VIEW_32].entries[0].categories = LSP_FIREWALL;
    ck_assert_int_eq(cm_pack(&views, &data, &size), 0);
    cm_views_init(&back);
    ck_assert_int_eq(cm_unpack(data, size, &back, &err), 0);
    ck_assert(back.present[CM_VIEW_32]);
    ck_assert(same_catalog(&views.cat[CM_VIEW_NATIVE], &back.cat[CM_VIEW_NATIVE]));
    ck_assert(same_catalog(&views.cat[CM_VIEW_32], &back.cat[CM_VIEW_32]));
    cm_views_free(&back);

    data[size / 2] ^= 1;
    ck_assert_int_eq(cm_unpack(data, size, &back, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.text, "checksum"));
    cm_views_free(&back);
    data[size / 2] ^= 1;
    ck_assert_int_eq(cm_unpack(data, size - 7, &back, &err), -1);
    cm_views_free(&back);
    ck_assert_int_eq(cm_unpack(data, 10, &back, &err), -1);
    cm_views_free(&back);
    data[0] = 'X';
    ck_assert_int_eq(cm_unpack(data, size, &back, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.text, "magic"));
    cm_views_free(&back);
    free(data);

    /* A chain longer than the array, checksum and all: refused, since
     * every loop over a chain would read past it. */
    views.cat[CM_VIEW_NATIVE].entries[0].info.ProtocolChain.ChainLen = MAX_PROTOCOL_CHAIN + 1;
    ck_assert_int_eq(cm_pack(&views, &data, &size), 0);
    ck_assert_int_eq(cm_unpack(data, size, &back, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.text, "chain length"));
    cm_views_free(&back);
    free(data);
    cm_views_free(&views);
}
END_TEST

START_TEST(guid_text)
{
    char text[39];

    cm_guid_format(&msafd_guid, text);
    ck_assert_str_eq(text, "{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("catalog_model");
    TCase *plan = tcase_create("plan"), *check = tcase_create("check"),
          *diff = tcase_create("diff"), *pack = tcase_create("pack");

    tcase_add_checked_fixture(plan, setup, teardown);
    tcase_add_test(plan, install_layered_entry);
    tcase_add_test(plan, install_chains_over_bases);
    tcase_add_test(plan, install_families_and_all);
    tcase_add_test(plan, install_nothing_to_cover);
    tcase_add_test(plan, install_twice_is_once);
    tcase_add_test(plan, install_above_other_lsp);
    tcase_add_test(plan, install_below_other_lsp);
    tcase_add_loop_test(plan, remove_is_exact, 0, 2);
    tcase_add_test(plan, chain_too_long);
    tcase_add_test(plan, chain_guid_follows_lower_entry);
    suite_add_tcase(s, plan);

    tcase_add_checked_fixture(check, setup, teardown);
    tcase_add_test(check, check_clean_catalog);
    tcase_add_test(check, check_orphan_missing_lower_not_on_base);
    tcase_add_test(check, check_malformed);
    tcase_add_test(check, check_unused_layered_is_ours);
    tcase_add_test(check, check_missing_dll);
    tcase_add_test(check, check_wrong_order);
    tcase_add_test(check, check_duplicate_id);
    tcase_add_test(check, check_missing_base);
    tcase_add_test(check, check_views_differ);
    tcase_add_test(check, repair_plan);
    tcase_add_test(check, recover_hidden_by_count);
    tcase_add_test(check, recover_leaves_removed_entries);
    suite_add_tcase(s, check);

    tcase_add_checked_fixture(diff, setup, teardown);
    tcase_add_test(diff, diff_install);
    tcase_add_test(diff, diff_remove_below_other);
    tcase_add_test(diff, diff_restore_reinstalls);
    tcase_add_test(diff, diff_nothing_to_do);
    suite_add_tcase(s, diff);

    tcase_add_checked_fixture(pack, setup, teardown);
    tcase_add_test(pack, pack_round_trip_and_damage);
    tcase_add_test(pack, guid_text);
    suite_add_tcase(s, pack);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
