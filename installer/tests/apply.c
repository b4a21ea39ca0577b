/* SPDX-License-Identifier: MIT */
/* Unit tests of the installer's executor (installer/apply.c, chains.c,
 * restore in txn.c) against an in-memory catalog behind the WSC* table
 * (installer_fakewsc.c): plans really carried out, both catalogs of 64-bit
 * Windows, WSCInstallProviderAndChains adopted, exact removal, and every
 * failed write rolled back. No Winsock. */
#include <check.h>
#include "run_suite.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../catalog/check.h"
#include "../../catalog/plan.h"
#include "../apply.h"
#include "../chains.h"
#include "../read.h"
#include "../txn.h"
#include "../../catalog/tests/model_util.h"
#include "fakewsc.h"

#define DLL L"%SystemRoot%\\system32\\lspkit.dll"
#define DLL32 L"%SystemRoot%\\SysWOW64\\lspkit.dll"

static struct cm_catalog native, wow;
static struct cm_views desired;
static struct lspinst ctx;
static struct cm_error err;

static void start(BOOL two_catalogs, BOOL other_lsp, BOOL with_chains)
{
    cm_init(&native);
    cm_init(&wow);
    make_windows(&native);
    if (other_lsp)
        add_other_lsp(&native);
    cm_copy(&wow, &native);
    fake_reset(&native, two_catalogs ? &wow : NULL, 3001);
    fake_api(&ctx.api, with_chains);
    cm_views_init(&desired);
    wsc_faults_arm(TRUE);
    _putenv("LSPINST_FAIL_WRITE=");
    _putenv("LSPINST_FAIL_AFTER_WRITES=");
}

static void stop(void)
{
    cm_free(&native);
    cm_free(&wow);
    cm_views_free(&desired);
}

static void read_now(struct cm_views *now)
{
    cm_views_init(now);
    ck_assert_int_eq(read_views(&ctx.api, now, &err), 0);
}

/* What `lspinst install` plans: both catalogs, one seed. */
static void plan_install(enum cm_placement placement, DWORD seed)
{
    struct cm_install_opts o;
    struct cm_views now;
    int v;

    memset(&o, 0, sizeof(o));
    o.provider = &cm_lspkit_guid;
    o.name = L"lspkit";
    o.over = CM_OVER_TCP | CM_OVER_UDP;
    o.placement = placement;
    o.categories = LSP_INSPECTOR;
    o.seed.Data1 = seed;
    read_now(&now);
    cm_views_free(&desired);
    for (v = 0; v < CM_VIEWS; v++) {
        desired.present[v] = now.present[v];
        o.path = v == CM_VIEW_32 ? DLL32 : DLL;
        if (now.present[v])
            ck_assert_msg(!cm_plan_install(&now.cat[v], &o, &desired.cat[v], &err), "%s", err.text);
    }
    cm_views_free(&now);
}

static void plan_remove(void)
{
    struct cm_views now;
    int v;

    read_now(&now);
    cm_views_free(&desired);
    for (v = 0; v < CM_VIEWS; v++) {
        desired.present[v] = now.present[v];
        if (now.present[v])
            ck_assert_int_eq(cm_plan_remove(&now.cat[v], &cm_lspkit_guid, &desired.cat[v]), 0);
    }
    cm_views_free(&now);
}

static void apply_ok(void)
{
    ck_assert_msg(!apply_views(&ctx.api, &desired, &err), "apply failed: %s", err.text);
}

static void install(enum cm_placement placement, BOOL by_chains)
{
    struct chains_request req;

    plan_install(placement, 1);
    chains_request_init(&req, L"lspkit", DLL, DLL32, by_chains ? CHAINS_ALWAYS : CHAINS_NEVER,
                        placement);
    ck_assert_msg(!install_step(&ctx, &desired, &req, &err), "chains step failed: %s", err.text);
    apply_ok();
}

static DWORD problems_now(void)
{
    struct cm_problems problems;
    struct cm_views now;
    DWORD n;

    read_now(&now);
    cm_problems_init(&problems);
    ck_assert_int_eq(cm_check(&now, &cm_lspkit_guid, fake_dll_problem, NULL, &problems), 0);
    n = problems.count;
    if (n)
        ck_assert_msg(0, "problem: %s", problems.items[0].text);
    cm_problems_free(&problems);
    cm_views_free(&now);
    return n;
}

/* Our chains in view `v`, each with the right DLL. */
static DWORD our_chains(enum cm_view v, const WCHAR *path)
{
    const struct cm_catalog *cat = fake_catalog(v);
    int layered = cm_find_layered(cat, &cm_lspkit_guid);
    DWORD i, n = 0;

    ck_assert_int_ge(layered, 0);
    for (i = 0; i < cat->count; i++)
        if (cm_is_chain(&cat->entries[i]) &&
            cm_belongs_to(&cat->entries[i], cat->entries[layered].info.dwCatalogEntryId)) {
            ck_assert(!wcscmp(cat->entries[i].path, path));
            ck_assert_uint_eq(cat->entries[i].categories, LSP_INSPECTOR);
            n++;
        }
    return n;
}

/* Classic (WSCInstallProvider64_32 + WSCUpdateProvider32 + order) or by
 * WSCInstallProviderAndChains64_32: the same layout in both catalogs, the
 * 32-bit one naming the 32-bit DLL. */
START_TEST(install_both_catalogs)
{
    BOOL by_chains = _i;
    struct cm_views now;

    start(TRUE, FALSE, by_chains);
    install(CM_PLACE_OVER, by_chains);
    ck_assert_uint_eq(our_chains(CM_VIEW_NATIVE, DLL), 4);
    ck_assert_uint_eq(our_chains(CM_VIEW_32, DLL32), 4);
    ck_assert_uint_eq(problems_now(), 0);
    /* Installing again plans nothing. */
    plan_install(CM_PLACE_OVER, 2);
    read_now(&now);
    ck_assert(views_same_layout(&now, &desired));
    cm_views_free(&now);
    stop();
}
END_TEST

/* Both methods give the same order, names and chains (GUIDs aside). */
START_TEST(methods_agree)
{
    struct cm_catalog classic;
    const struct cm_catalog *by_chains;
    DWORD i;

    start(TRUE, FALSE, FALSE);
    install(CM_PLACE_OVER, FALSE);
    cm_init(&classic);
    cm_copy(&classic, fake_catalog(CM_VIEW_NATIVE));
    stop();
    start(TRUE, FALSE, TRUE);
    install(CM_PLACE_OVER, TRUE);
    by_chains = fake_catalog(CM_VIEW_NATIVE);
    ck_assert_uint_eq(classic.count, by_chains->count);
    for (i = 0; i < classic.count; i++) {
        ck_assert(!wcscmp(classic.entries[i].info.szProtocol, by_chains->entries[i].info.szProtocol));
        ck_assert_int_eq(classic.entries[i].info.ProtocolChain.ChainLen,
                         by_chains->entries[i].info.ProtocolChain.ChainLen);
    }
    cm_free(&classic);
    stop();
}
END_TEST

/* Install then remove gives back the catalogs exactly, ids included, with
 * another LSP present above or below, by either method. */
START_TEST(remove_is_exact)
{
    enum cm_placement placement = _i & 1 ? CM_PLACE_UNDER : CM_PLACE_OVER;
    BOOL by_chains = (_i & 2) && placement == CM_PLACE_OVER;

    start(TRUE, TRUE, by_chains);
    install(placement, by_chains);
    ck_assert_uint_eq(problems_now(), 0);
    plan_remove();
    apply_ok();
    ck_assert(same_catalog(fake_catalog(CM_VIEW_NATIVE), &native));
    ck_assert(same_catalog(fake_catalog(CM_VIEW_32), &wow));
    stop();
}
END_TEST

/* A 32-bit Windows: one catalog, WSCInstallProvider alone. */
START_TEST(one_catalog)
{
    start(FALSE, TRUE, FALSE);
    install(CM_PLACE_UNDER, FALSE);
    ck_assert_uint_eq(our_chains(CM_VIEW_NATIVE, DLL), 4);
    ck_assert_uint_eq(problems_now(), 0);
    plan_remove();
    apply_ok();
    ck_assert(same_catalog(fake_catalog(CM_VIEW_NATIVE), &native));
    stop();
}
END_TEST

/* Every write of an installation failing in turn: the catalogs go back
 * exactly to how they were. */
START_TEST(failed_install_rolls_back)
{
    struct cm_views before;
    char setting[64];
    int k;

    start(TRUE, TRUE, FALSE);
    read_now(&before);
    for (k = 1;; k++) {
        snprintf(setting, sizeof(setting), "LSPINST_FAIL_WRITE=%d", k);
        _putenv(setting);
        wsc_faults_arm(TRUE);
        plan_install(CM_PLACE_UNDER, 1);
        if (!apply_views(&ctx.api, &desired, &err))
            break;
        ck_assert_msg(strstr(err.text, "WSANO_RECOVERY") != NULL, "k=%d: %s", k, err.text);
        wsc_faults_arm(FALSE);
        ck_assert_msg(!restore_views(&ctx.api, &before, &err), "rollback: %s", err.text);
        ck_assert(same_catalog(fake_catalog(CM_VIEW_NATIVE), &native));
        ck_assert(same_catalog(fake_catalog(CM_VIEW_32), &wow));
    }
    ck_assert_int_ge(k, 10);   /* every one of the writes was tried */
    cm_views_free(&before);
    stop();
}
END_TEST

/* Every write of a removal failing in turn: lspkit comes back (with new
 * ids: Winsock never reuses one) in the same layout. */
START_TEST(failed_remove_rolls_back)
{
    struct cm_views installed, now;
    char setting[64];
    int k;

    start(TRUE, TRUE, FALSE);
    install(CM_PLACE_UNDER, FALSE);
    read_now(&installed);
    for (k = 1;; k++) {
        snprintf(setting, sizeof(setting), "LSPINST_FAIL_WRITE=%d", k);
        _putenv(setting);
        wsc_faults_arm(TRUE);
        plan_remove();
        if (!apply_views(&ctx.api, &desired, &err))
            break;
        wsc_faults_arm(FALSE);
        ck_assert_msg(!restore_views(&ctx.api, &installed, &err), "rollback: %s", err.text);
        read_now(&now);
        ck_assert(cm_same_layout(&now.cat[CM_VIEW_NATIVE], &installed.cat[CM_VIEW_NATIVE]));
        ck_assert(cm_same_layout(&now.cat[CM_VIEW_32], &installed.cat[CM_VIEW_32]));
        cm_views_free(&now);
        ck_assert_uint_eq(problems_now(), 0);
    }
    ck_assert_int_ge(k, 5);
    cm_views_free(&installed);
    stop();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("installer_apply");
    TCase *t = tcase_create("apply");

    tcase_add_loop_test(t, install_both_catalogs, 0, 2);
    tcase_add_test(t, methods_agree);
    tcase_add_loop_test(t, remove_is_exact, 0, 4);
    tcase_add_test(t, one_catalog);
    tcase_add_test(t, failed_install_rolls_back);
    tcase_add_test(t, failed_remove_rolls_back);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return run_suite(suite());
}
