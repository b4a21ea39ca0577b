/* SPDX-License-Identifier: MIT */
/* spicheck: runs the clause suite of docs/spec/clauses.md in one
 * arrangement (--host, --front-end, --provider DLL) or all three
 * (--compare), each clause test in a child process of its own under a
 * time limit. See usage() and docs/conformance.md. */
#include "spicheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: spicheck MODE [OPTIONS]\n"
        "Runs the clause suite of docs/spec/clauses.md (S01-S33, B01-B05, L01-L08, C01-C04) under Wine.\n"
        "Modes:\n"
        "  --host                 against Wine's own ws2_32, without lspkit\n"
        "  --front-end            through lspkit's ws2_32 and the base provider\n"
        "  --provider DLL         through DLL, installed for the run as a layered provider\n"
        "                         over the base entries (and removed afterwards), its\n"
        "                         hidden entry under the GUID DLL's GetLspGuid export\n"
        "                         gives (else spicheck's own), its chains under another\n"
        "  --compare              all three; prints the clauses whose results differ\n"
        "                         (layered: --provider DLL, default lspkit.dll)\n"
        "  --list                 the clauses and whether a test is compiled in\n"
        "Options:\n"
        "  --over tcp,udp         the protocols the provider is installed over (default both)\n"
        "  --guid {GUID}          the GUID of the provider's hidden layered entry, instead of\n"
        "                         GetLspGuid's; with --install-cmd, how to find that entry\n"
        "  --install-cmd \"CMD\"    install with the provider's own installer instead: CMD is\n"
        "                         a program and its arguments (no shell), run under Wine in\n"
        "                         this prefix; the provider is then found in the catalog by\n"
        "                         the DLL of --provider (or by --guid), and its chains say\n"
        "                         which protocols it is over\n"
        "  --remove-cmd \"CMD\"     remove it with CMD (default: spicheck removes the entries\n"
        "                         it found); either way the catalog must be as before\n"
        "  --only ID[,ID...]      run only these clauses\n"
        "  --junit FILE           also write the results as JUnit XML\n"
        "  --timeout SECONDS      one time limit for every clause test (default: each its own)\n"
        "  --verbose              show what each child printed\n"
        "--front-end, --provider and --compare need lspkit's ws2_32: run them under\n"
        "bin/lspkit-wine. The last line reads 'N passed, M failed, K skipped'. Before\n"
        "any clause, a socket is opened through each chain entry of the provider; when\n"
        "one fails, the only report is 'provider did not start: error N (NAME)' and\n"
        "the exit code is 1.\n");
}

struct options {
    BOOL mode[SC_ARRANGEMENTS];
    BOOL list;
    BOOL over_given;
    const char *only;
    const char *junit;
    struct run_options run;
};

static BOOL set_provider(const char *arg)
{
    WCHAR given[MAX_PATH];

    if (!MultiByteToWideChar(CP_ACP, 0, arg, -1, given, MAX_PATH))
        return FALSE;
    /* The catalog keeps the path as given when it names a variable
     * (%SystemRoot%\...), else the full path: the children resolve it. */
    if (wcschr(given, L'%')) {
        wcscpy(sc_env.provider, given);
        return TRUE;
    }
    return GetFullPathNameW(given, MAX_PATH, sc_env.provider, NULL) - 1 < MAX_PATH - 1;
}

static BOOL only_lists(const char *only, const char *id)
{
    size_t n = strlen(id);

    for (const char *p = only; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (!strncmp(p, id, n) && (p[n] == ',' || p[n] == 0))
            return TRUE;
    return FALSE;
}

static BOOL clause_known(const char *id)
{
    for (unsigned i = 0; i < sc_clause_count; i++)
        if (!strcmp(sc_clauses[i].id, id))
            return TRUE;
    return FALSE;
}

/* Every ID of --only must be a clause. */
static BOOL only_valid(const char *only)
{
    char id[8];

    for (const char *p = only; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        size_t n = strcspn(p, ",");
        if (n >= sizeof(id))
            return FALSE;
        memcpy(id, p, n);
        id[n] = 0;
        if (!clause_known(id)) {
            fprintf(stderr, "spicheck: --only: %s is not a clause of clauses.md\n", id);
            return FALSE;
        }
    }
    return TRUE;
}

static int parse(int argc, char **argv, struct options *o)
{
    sc_env.over = SC_OVER_TCP | SC_OVER_UDP;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(a, "--host"))
            o->mode[SC_HOST] = TRUE;
        else if (!strcmp(a, "--front-end"))
            o->mode[SC_FRONTEND] = TRUE;
        else if (!strcmp(a, "--compare"))
            o->mode[SC_HOST] = o->mode[SC_FRONTEND] = o->mode[SC_LAYERED] = TRUE;
        else if (!strcmp(a, "--list"))
            o->list = TRUE;
        else if (!strcmp(a, "--verbose"))
            o->run.verbose = TRUE;
        else if (!strcmp(a, "--provider") && next) {
            if (!set_provider(next)) {
                fprintf(stderr, "spicheck: bad provider path %s\n", next);
                return 2;
            }
            o->mode[SC_LAYERED] = TRUE;
            i++;
        } else if (!strcmp(a, "--over") && next) {
            if (!(sc_env.over = arrangement_parse_over(next))) {
                fprintf(stderr, "spicheck: --over takes tcp, udp or tcp,udp\n");
                return 2;
            }
            o->over_given = TRUE;
            i++;
        } else if (!strcmp(a, "--guid") && next) {
            if (!arrangement_parse_guid(next, &sc_env.layered_guid)) {
                fprintf(stderr, "spicheck: --guid takes {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}\n");
                return 2;
            }
            sc_install.guid_given = TRUE;
            sc_install.guid_source = "from --guid";
            i++;
        } else if (!strcmp(a, "--install-cmd") && next) {
            sc_install.install_cmd = argv[++i];
            o->mode[SC_LAYERED] = TRUE;
        } else if (!strcmp(a, "--remove-cmd") && next) {
            sc_install.remove_cmd = argv[++i];
        } else if (!strcmp(a, "--only") && next) {
            o->only = argv[++i];
        } else if (!strcmp(a, "--junit") && next) {
            o->junit = argv[++i];
        } else if (!strcmp(a, "--timeout") && next) {
            o->run.timeout_ms = (DWORD)(atof(argv[++i]) * 1000);
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            exit(0);
        } else {
            fprintf(stderr, "spicheck: unknown or incomplete option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!o->list && !o->mode[SC_HOST] && !o->mode[SC_FRONTEND] && !o->mode[SC_LAYERED]) {
        usage(stderr);
        return 2;
    }
    if (sc_install.remove_cmd && !sc_install.install_cmd) {
        fprintf(stderr, "spicheck: --remove-cmd goes with --install-cmd\n");
        return 2;
    }
    if (sc_install.install_cmd && o->over_given) {
        fprintf(stderr, "spicheck: with --install-cmd the installer decides what the provider "
                "is over: no --over\n");
        return 2;
    }
    if (sc_install.install_cmd && !sc_env.provider[0] && !sc_install.guid_given) {
        fprintf(stderr, "spicheck: --install-cmd needs --provider DLL or --guid to find the "
                "provider in the catalog\n");
        return 2;
    }
    if (o->mode[SC_LAYERED] && !sc_env.provider[0] && !sc_install.install_cmd)
        wcscpy(sc_env.provider, L"%SystemRoot%\\system32\\lspkit.dll");
    sc_install.verbose = o->run.verbose;
    return o->only && !only_valid(o->only) ? 2 : 0;
}

/* `spicheck --child ID --arrangement NAME [--provider DLL] [--guid GUID]
 * [--over LIST]`; ID "start" is the start check (start.c). */
static int child_main(int argc, char **argv)
{
    const struct sc_test *test = NULL;
    int arrangement = -1;

    sc_env.over = SC_OVER_TCP | SC_OVER_UDP;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--child"))
            test = !strcmp(argv[i + 1], sc_start_test.clause) ? &sc_start_test
                                                               : tests_find(argv[i + 1]);
        else if (!strcmp(argv[i], "--arrangement"))
            arrangement = arrangement_parse(argv[i + 1]);
        else if (!strcmp(argv[i], "--provider"))
            MultiByteToWideChar(CP_ACP, 0, argv[i + 1], -1, sc_env.provider, MAX_PATH);
        else if (!strcmp(argv[i], "--over"))
            sc_env.over = arrangement_parse_over(argv[i + 1]);
        else if (!strcmp(argv[i], "--guid"))
            arrangement_parse_guid(argv[i + 1], &sc_env.layered_guid);
    }
    if (!test || arrangement < 0) {
        printf("FAIL setup: bad child command line\n");
        return SC_EXIT_FAIL;
    }
    sc_env.arrangement = (enum sc_arrangement)arrangement;
    child_run(test);
}

static int list_clauses(void)
{
    unsigned missing = 0;

    for (unsigned i = 0; i < sc_clause_count; i++) {
        const struct sc_test *t = tests_find(sc_clauses[i].id);
        missing += !t;
        printf("%-4s %-8s %s\n", sc_clauses[i].id, t ? "test" : "NO TEST",
               t ? t->summary : sc_clauses[i].text);
    }
    for (unsigned i = 0; i < sc_test_count; i++)
        if (!clause_known(sc_tests[i].clause))
            printf("%-4s %-8s not a clause of clauses.md\n", sc_tests[i].clause, "ORPHAN");
    printf("%u clauses, %u without a test\n", sc_clause_count, missing);
    return missing ? 1 : 0;
}

/* Before anything runs: the layered arrangement set up, and a socket
 * through each chain entry of the provider. A provider that cannot start
 * is reported as that, once and first, never as a failure of each clause.
 * FALSE when the run must end. */
static BOOL provider_starts(const struct options *o)
{
    WCHAR exe[MAX_PATH];
    struct run_options own = o->run;
    struct sc_result r;
    BOOL restored;

    if (!arrangement_prepare(SC_LAYERED, exe, MAX_PATH)) {
        arrangement_finish(SC_LAYERED);
        return FALSE;
    }
    own.timeout_ms = 0;        /* the check's own limit, whatever --timeout says */
    own.verbose = FALSE;       /* its reason is the line below */
    runner_run(exe, SC_LAYERED, &sc_start_test, &own, &r);
    if (r.verdict != SC_PASS)
        printf("provider did not start: %s\n", r.reason);
    restored = arrangement_finish(SC_LAYERED);
    return r.verdict == SC_PASS && restored;
}

/* Runs the selected clauses in arrangement A into RESULTS. FALSE when
 * undoing the arrangement left the catalog changed. */
static BOOL run_arrangement(enum sc_arrangement a, const struct options *o,
                            struct sc_result *results)
{
    WCHAR exe[MAX_PATH];
    char guid[GUID_TEXT_LEN];
    BOOL ok;

    printf("== %s", sc_arrangement_name(a));
    if (a == SC_LAYERED) {
        arrangement_guid_text(&sc_env.layered_guid, guid);
        printf(" (provider %ls, GUID %s %s)", sc_env.provider, guid, sc_install.guid_source);
    }
    printf(" ==\n");
    fflush(stdout);
    ok = arrangement_prepare(a, exe, MAX_PATH);
    for (unsigned i = 0; i < sc_clause_count; i++) {
        const struct sc_test *t = tests_find(sc_clauses[i].id);
        struct sc_result *r = &results[i];

        r->verdict = SC_NOT_RUN;
        if (o->only && !only_lists(o->only, sc_clauses[i].id))
            continue;
        if (!t) {
            r->verdict = SC_FAIL;
            snprintf(r->reason, sizeof(r->reason), "no test is compiled in for this clause");
        } else if (!ok) {
            r->verdict = SC_FAIL;
            snprintf(r->reason, sizeof(r->reason), "the %s arrangement could not be set up",
                     sc_arrangement_name(a));
        } else {
            runner_run(exe, a, t, &o->run, r);
            if (a == SC_LAYERED)
                sc_remove_second_layer();
        }
        report_line(&sc_clauses[i], r);
        fflush(stdout);
    }
    return arrangement_finish(a);
}

int main(int argc, char **argv)
{
    struct options o = { 0 };
    struct sc_result *results[SC_ARRANGEMENTS] = { 0 };
    unsigned passed = 0, failed = 0, skipped = 0, run_failures = 0;
    int rc;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "--child"))
        return child_main(argc, argv);
    if (argc == 3 && !strcmp(argv[1], "--lsp-guid"))
        arrangement_lsp_guid_child(argv[2]);
    if ((rc = parse(argc, argv, &o)))
        return rc;
    if (o.list)
        return list_clauses();
    if (o.mode[SC_LAYERED] && !provider_starts(&o))
        return 1;

    for (unsigned i = 0; i < sc_test_count; i++)
        if (!clause_known(sc_tests[i].clause)) {
            printf("spicheck: a test names clause %s, which clauses.md does not list\n",
                   sc_tests[i].clause);
            run_failures++;
        }
    for (int a = 0; a < SC_ARRANGEMENTS; a++) {
        if (!o.mode[a])
            continue;
        results[a] = calloc(sc_clause_count, sizeof(*results[a]));
        if (!results[a])
            return 2;
        if (!run_arrangement((enum sc_arrangement)a, &o, results[a]))
            run_failures++;   /* the catalog was not restored */
    }
    /* One verdict per clause: it fails where any arrangement fails, passes
     * where it passed somewhere and failed nowhere. */
    for (unsigned i = 0; i < sc_clause_count; i++) {
        BOOL any = FALSE, fail = FALSE, pass = FALSE;

        for (int a = 0; a < SC_ARRANGEMENTS; a++) {
            if (!results[a] || results[a][i].verdict == SC_NOT_RUN)
                continue;
            any = TRUE;
            fail |= results[a][i].verdict == SC_FAIL;
            pass |= results[a][i].verdict == SC_PASS;
        }
        if (any) {
            failed += fail;
            passed += !fail && pass;
            skipped += !fail && !pass;
        }
    }
    if (o.mode[SC_HOST] + o.mode[SC_FRONTEND] + o.mode[SC_LAYERED] > 1)
        report_compare((const struct sc_result **)results, o.mode);
    if (o.junit && !report_junit(o.junit, (const struct sc_result **)results, o.mode)) {
        fprintf(stderr, "spicheck: cannot write %s\n", o.junit);
        failed++;
    }
    failed += run_failures;
    printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
