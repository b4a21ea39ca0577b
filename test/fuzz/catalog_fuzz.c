/* SPDX-License-Identifier: MIT */
/* catalog_fuzz: a libFuzzer target over catalog/, built for Linux with
 * clang, AddressSanitizer and UndefinedBehaviorSanitizer (test/fuzz/run.sh).
 *
 * Its input is what lspinst reads from a file it did not write: a backup
 * (`lspinst restore FILE`) or the installer's transaction record. Whatever
 * cm_unpack accepts then goes through everything lspinst does with a
 * catalog: verify's checks, repair's and restore's plans, the diff into
 * WSC* operations, a removal, and a pack that must read back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../catalog/check.h"
#include "../../catalog/diff.h"
#include "../../catalog/pack.h"
#include "../../catalog/plan.h"

/* A DLL check without files: paths naming "missing" do not exist. */
static const char *fake_dll_problem(const WCHAR *path, enum cm_view view, BOOL ours, void *ctx)
{
    static const WCHAR missing[] = L"missing";
    size_t i, n = wcslen(path), m = wcslen(missing);

    (void)view, (void)ours, (void)ctx;
    for (i = 0; i + m <= n; i++)
        if (!memcmp(path + i, missing, m * sizeof(WCHAR)))
            return "does not exist";
    return NULL;
}

static void check_and_repair(const struct cm_views *views)
{
    struct cm_problems problems;
    struct cm_views repaired;

    cm_problems_init(&problems);
    cm_check(views, &cm_lspkit_guid, fake_dll_problem, NULL, &problems);
    cm_problems_free(&problems);
    cm_views_init(&repaired);
    cm_plan_repair(views, &cm_lspkit_guid, fake_dll_problem, NULL, &repaired);
    cm_views_free(&repaired);
}

/* One catalog against itself and against its repair's. */
static void plan_view(const struct cm_catalog *cat)
{
    struct cm_catalog desired;
    struct cm_plan plan;
    struct cm_error err;
    DWORD recovered;

    cm_init(&desired);
    if (!cm_plan_restore(cat, cat, &desired, &err)) {
        cm_plan_init(&plan);
        cm_diff(cat, &desired, &plan, &err);
        cm_plan_free(&plan);
    }
    cm_free(&desired);
    cm_init(&desired);
    cm_plan_recover(cat, cat, &desired, &recovered);
    cm_free(&desired);
    cm_init(&desired);
    if (!cm_plan_remove(cat, &cm_lspkit_guid, &desired)) {
        cm_plan_init(&plan);
        cm_diff(cat, &desired, &plan, &err);
        cm_plan_free(&plan);
    }
    cm_free(&desired);
}

/* What is packed reads back entry for entry. */
static void round_trip(const struct cm_views *views)
{
    struct cm_views again;
    struct cm_error err;
    unsigned char *data;
    size_t size;
    int v;

    if (cm_pack(views, &data, &size))
        return;
    cm_views_init(&again);
    if (cm_unpack(data, size, &again, &err))
        abort();
    for (v = 0; v < CM_VIEWS; v++)
        if (again.present[v] != views->present[v] ||
            again.cat[v].count != views->cat[v].count ||
            (views->cat[v].count &&
             memcmp(again.cat[v].entries, views->cat[v].entries,
                    views->cat[v].count * sizeof(struct cm_entry))))
            abort();
    cm_views_free(&again);
    free(data);
}

static void run(const uint8_t *data, size_t size)
{
    struct cm_views views;
    struct cm_error err;
    int v;

    cm_views_init(&views);
    if (!cm_unpack(data, size, &views, &err)) {
        check_and_repair(&views);
        for (v = 0; v < CM_VIEWS; v++)
            if (views.present[v])
                plan_view(&views.cat[v]);
        round_trip(&views);
    }
    cm_views_free(&views);
}

/* Each input twice: as it is, and with its checksum made right, so that
 * mutations reach the parser and the planners behind the checksum (a
 * file's author can always compute one). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *fixed;
    DWORD crc;

    run(data, size);
    if (size < 8 || !(fixed = malloc(size)))
        return 0;
    memcpy(fixed, data, size);
    crc = cm_pack_checksum(fixed, size - 4);
    memcpy(fixed + size - 4, &crc, 4);   /* little-endian, as the format is */
    run(fixed, size);
    free(fixed);
    return 0;
}
