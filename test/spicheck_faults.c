/* SPDX-License-Identifier: MIT */
/* spicheck_faults.c: spicheck proven against deliberately broken layered
 * providers (test/broken_lsp.mk, provider/fault.h). For each, spicheck
 * runs the clauses a fault in completion delivery could break plus
 * controls, and must name exactly the clauses that fault breaks; on
 * lspkit.dll itself the same clauses all pass. Also: the clause list is
 * complete, a hung clause test is a failed clause, not a dead runner, a
 * provider that cannot start is reported as that alone, and spicheck
 * installs a provider as its own installer would (GetLspGuid, --guid,
 * --install-cmd).
 *
 * spicheck runs as a child process (build\x64\spicheck.exe, relative to
 * the working directory, the repository: run by scripts/run-tests.sh under
 * bin/lspkit-wine, whose WINEDLLOVERRIDES the child inherits, and
 * build\x64\ holds the front end). Its text output is parsed: one line
 * "ID VERDICT ..." per clause, then "N passed, M failed, K skipped". */
#include <winsock2.h>
#include <windows.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "filter_registry.h"

#define SPICHECK L"build\\x64\\spicheck.exe"
#define BROKEN(name) "build\\x64\\tests\\broken_lsp_" name ".dll"
#define GOOD "%SystemRoot%\\system32\\lspkit.dll"
#define BROKEN_START(name) "build\\x64\\tests\\broken_" name ".dll"
/* test/lspguid_lsp.c: starts only when its hidden entry is the first
 * catalog entry with the GUID its GetLspGuid gives. */
#define LSPGUID "build\\x64\\tests\\lspguid_lsp.dll"
#define LSPGUID_GUID "{5C1C00A1-7A3B-4E21-8F1D-53504943484B}"
#define LSPINST "build\\x64\\lspinst.exe"
/* test/sample_lsp: an LSP in the style of Microsoft's sample. */
#define SAMPLE "build\\x64\\tests\\sample_lsp_a.dll"
/* Every clause a broken completion path could break, and controls. */
#define FAULT_CLAUSES "S01,S02,S04,S05,S10,S13,S14,S15,S16,S17,S18,S19,L03"
/* A whole spicheck run may take this long. */
#define RUN_LIMIT_MS 300000

struct run {
    DWORD exit_code;
    char *out;              /* everything printed, NUL-terminated */
};

/* Runs spicheck with ARGS; its output in a temporary file. */
static struct run spicheck(const char *args)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    WCHAR dir[MAX_PATH], path[MAX_PATH], cmd[1024];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    struct run r = { 0, NULL };
    HANDLE file;
    DWORD size, got = 0;

    ck_assert(GetTempPathW(MAX_PATH, dir) && GetTempFileNameW(dir, L"spf", 0, path));
    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       &inherit, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    ck_assert(file != INVALID_HANDLE_VALUE);
    _snwprintf(cmd, 1024, L"\"%ls\" %hs", SPICHECK, args);
    cmd[1023] = 0;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = si.hStdError = file;
    ck_assert_msg(CreateProcessW(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi),
                  "cannot start %ls: error %lu", SPICHECK, GetLastError());
    CloseHandle(pi.hThread);
    if (WaitForSingleObject(pi.hProcess, RUN_LIMIT_MS) == WAIT_TIMEOUT)
        TerminateProcess(pi.hProcess, 0xDEAD);
    WaitForSingleObject(pi.hProcess, INFINITE);
    GetExitCodeProcess(pi.hProcess, &r.exit_code);
    CloseHandle(pi.hProcess);
    size = GetFileSize(file, NULL);
    r.out = malloc(size + 1);
    ck_assert_ptr_nonnull(r.out);
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    ReadFile(file, r.out, size, &got, NULL);
    r.out[got] = 0;
    CloseHandle(file);
    printf("--- spicheck %s (exit %lu)\n%s", args, r.exit_code, r.out);
    return r;
}

/* The line after LINE in spicheck's output, or NULL after the last. */
static const char *next_line(const char *line)
{
    const char *end = strchr(line, '\n');

    return end ? end + 1 : NULL;
}

/* The IDs whose line says VERDICT, comma-separated, in output order. */
static void clauses_with(const struct run *r, const char *verdict, char *out, size_t len)
{
    const char *line = r->out;
    char id[8], word[32];

    out[0] = 0;
    for (; line && *line; line = next_line(line)) {
        if (sscanf(line, "%7s %31s", id, word) != 2 || strlen(id) != 3 ||
            !strchr("SBLC", id[0]) || strcmp(word, verdict))
            continue;
        if (out[0])
            strncat(out, ",", len - strlen(out) - 1);
        strncat(out, id, len - strlen(out) - 1);
    }
}

/* The closing line is there and counts FAILED failures. */
static void assert_summary(const struct run *r, unsigned failed)
{
    unsigned p, f, k;
    const char *line = strstr(r->out, " passed, ");

    while (line && line > r->out && line[-1] != '\n')
        line--;
    ck_assert_msg(line && sscanf(line, "%u passed, %u failed, %u skipped", &p, &f, &k) == 3,
                  "no summary line");
    ck_assert_uint_eq(f, failed);
}

/* spicheck through PROVIDER on the fault clauses names exactly EXPECTED
 * (a comma-separated list in clause order) as failed. */
static void assert_breaks(const char *provider, const char *expected)
{
    char args[512], failed[256];
    struct run r;
    unsigned n = expected[0] ? 1 : 0;

    for (const char *p = expected; *p; p++)
        n += *p == ',';
    snprintf(args, sizeof(args), "--provider %s --only " FAULT_CLAUSES, provider);
    r = spicheck(args);
    clauses_with(&r, "FAIL", failed, sizeof(failed));
    ck_assert_msg(!strcmp(failed, expected), "%s: spicheck named {%s}, expected {%s}", provider,
                  failed, expected);
    assert_summary(&r, n);
    ck_assert_uint_eq(r.exit_code, n ? 1 : 0);
    free(r.out);
}

START_TEST(test_good_provider_passes_the_fault_clauses)
{
    assert_breaks(GOOD, "");
}
END_TEST

/* The routine runs inside the call (S02), on the worker thread (S16),
 * without WPUQueueApc (S17), and nested inside the routine that sent (S18). */
START_TEST(test_direct_routine_breaks_S02_S16_S17_S18)
{
    assert_breaks(BROKEN("direct_routine"), "S02,S16,S17,S18");
}
END_TEST

/* Seen only where the caller's WSATHREADID is gone by completion: S17. */
START_TEST(test_threadid_pointer_breaks_S17)
{
    assert_breaks(BROKEN("threadid_pointer"), "S17");
}
END_TEST

START_TEST(test_wsabuf_uncaptured_breaks_S10)
{
    assert_breaks(BROKEN("wsabuf_uncaptured"), "S10");
}
END_TEST

START_TEST(test_event_on_error_breaks_S05)
{
    assert_breaks(BROKEN("event_on_error"), "S05");
}
END_TEST

/* Every clause of clauses.md has a test compiled in. */
START_TEST(test_every_clause_has_a_test)
{
    struct run r = spicheck("--list");

    ck_assert_uint_eq(r.exit_code, 0);
    ck_assert_ptr_nonnull(strstr(r.out, ", 0 without a test"));
    ck_assert_ptr_null(strstr(r.out, "NO TEST"));
    ck_assert_ptr_null(strstr(r.out, "ORPHAN"));
    free(r.out);
}
END_TEST

/* A clause test that outlives its time limit is a failed clause with the
 * reason, and the run goes on to the next clause and its summary. S13
 * waits 600 ms by design, S33 ends at once. */
START_TEST(test_timeout_fails_the_clause_only)
{
    struct run r = spicheck("--host --only S13,S33 --timeout 0.5");
    char failed[64], skipped[64];

    clauses_with(&r, "FAIL", failed, sizeof(failed));
    clauses_with(&r, "not-testable-here", skipped, sizeof(skipped));
    ck_assert_str_eq(failed, "S13");
    ck_assert_str_eq(skipped, "S33");
    ck_assert_ptr_nonnull(strstr(r.out, "timed out after 0.5 s"));
    assert_summary(&r, 1);
    free(r.out);
}
END_TEST

/* spicheck through PROVIDER (with EXTRA options) says LINE, and only that
 * line of failure: first, once, no clause lines, no summary; exit code 1. */
static void assert_does_not_start(const char *provider, const char *extra, const char *line)
{
    char args[512], failed[256];
    struct run r;

    snprintf(args, sizeof(args), "--provider %s %s --only S01,S02,L01,L05", provider, extra);
    r = spicheck(args);
    ck_assert_uint_eq(r.exit_code, 1);
    ck_assert_msg(!strncmp(r.out, line, strlen(line)), "%s: the first line is not \"%s\"",
                  provider, line);
    ck_assert_ptr_null(strstr(r.out + 1, "provider did not start"));
    clauses_with(&r, "FAIL", failed, sizeof(failed));
    ck_assert_str_eq(failed, "");
    ck_assert_ptr_null(strstr(r.out, " passed, "));
    free(r.out);
}

/* WSPStartup failing, a hole in the proc table, a version other than 2.2
 * (test/broken/broken_provider.c): the front end's code, with its name. */
START_TEST(test_provider_that_cannot_start_is_reported_once)
{
    assert_does_not_start(BROKEN_START("startup_fails"), "",
                          "provider did not start: error 10106 (WSAEPROVIDERFAILEDINIT)");
    assert_does_not_start(BROKEN_START("holes"), "",
                          "provider did not start: error 10104 (WSAEINVALIDPROCTABLE)");
    assert_does_not_start(BROKEN_START("version"), "",
                          "provider did not start: error 10105 (WSAEINVALIDPROVIDER)");
}
END_TEST

/* A provider exporting GetLspGuid is installed under that GUID: it starts
 * only if its hidden entry is the first with it. Under another (--guid)
 * it cannot find itself, and spicheck says that it did not start. */
START_TEST(test_provider_installed_under_its_GetLspGuid)
{
    struct run r = spicheck("--provider " LSPGUID " --only S01,S17,L01,L05");

    ck_assert_ptr_nonnull(strstr(r.out, "GUID " LSPGUID_GUID " from its GetLspGuid"));
    assert_summary(&r, 0);
    ck_assert_uint_eq(r.exit_code, 0);
    free(r.out);
    assert_does_not_start(LSPGUID, "--guid {5C1C00A2-7A3B-4E21-8F1D-53504943484B}",
                          "provider did not start: error 10106 (WSAEPROVIDERFAILEDINIT)");
}
END_TEST

/* lspinst as the provider's own installer: spicheck finds lspkit.dll's
 * entries by its path, and lspinst's removal restores both catalogs. */
START_TEST(test_install_cmd_runs_the_providers_installer)
{
    struct run r = spicheck("--provider " GOOD " --install-cmd \"" LSPINST " install\" "
                            "--remove-cmd \"" LSPINST " remove\" --only S01,L05");

    ck_assert_ptr_nonnull(strstr(r.out, "found by its DLL path"));
    /* What was left behind or gone, when it fails (it did once, in a
     * clean-clone run, and never again in a dozen runs). */
    ck_assert_msg(!strstr(r.out, "did not restore"), "spicheck: %s",
                  strstr(r.out, "did not restore"));
    assert_summary(&r, 0);
    ck_assert_uint_eq(r.exit_code, 0);
    free(r.out);
}
END_TEST

/* A remove command that leaves entries behind fails the run, and spicheck
 * takes them out: the next run starts from the catalog as it was. */
START_TEST(test_remove_cmd_that_leaves_entries_fails_the_run)
{
    struct run r = spicheck("--provider " GOOD " --install-cmd \"" LSPINST " install\" "
                            "--remove-cmd \"" LSPINST " verify\" --only S01");

    ck_assert_ptr_nonnull(strstr(r.out, "removing the provider did not restore the catalog"));
    ck_assert_uint_eq(r.exit_code, 1);
    free(r.out);
    r = spicheck("--provider " GOOD " --only S01");
    assert_summary(&r, 0);
    ck_assert_uint_eq(r.exit_code, 0);
    free(r.out);
}
END_TEST

/* The whole clause suite on a sample-style LSP installed under its
 * GetLspGuid GUID names only its real departures: S25 (it counts the
 * bytes of the caller's WSABUFs unguarded, as the sample does, and dies on
 * a bad array) and S31 (Wine's, beneath every provider here). */
START_TEST(test_sample_style_lsp_names_only_its_departures)
{
    char failed[256];
    struct run r = spicheck("--provider " SAMPLE);

    clauses_with(&r, "FAIL", failed, sizeof(failed));
    ck_assert_msg(!strcmp(failed, "S25,S31"), "spicheck named {%s}, expected {S25,S31}", failed);
    assert_summary(&r, 2);
    free(r.out);
}
END_TEST

/* The whole clause suite in one arrangement (ARGS) gives exactly the
 * verdicts docs/conformance.md records for it: FAILED fail, UNTESTABLE are
 * not testable there, every other clause passes. This is how `make check`
 * runs the clause tests: once, as spicheck runs them for any provider. */
static void assert_suite(const char *args, const char *failed, const char *untestable)
{
    char got_failed[256], got_untestable[256];
    unsigned n = failed[0] ? 1 : 0;
    struct run r = spicheck(args);

    for (const char *p = failed; *p; p++)
        n += *p == ',';
    clauses_with(&r, "FAIL", got_failed, sizeof(got_failed));
    clauses_with(&r, "not-testable-here", got_untestable, sizeof(got_untestable));
    ck_assert_msg(!strcmp(got_failed, failed), "spicheck %s failed {%s}, expected {%s}", args,
                  got_failed, failed);
    ck_assert_msg(!strcmp(got_untestable, untestable),
                  "spicheck %s found {%s} not testable, expected {%s}", args, got_untestable,
                  untestable);
    assert_summary(&r, n);
    free(r.out);
}

/* The reason spicheck gave for clause ID: the indented lines after its
 * verdict line, joined; "" when there are none. */
static void reason_of(const struct run *r, const char *id, char *out, size_t len)
{
    const char *line;
    BOOL in_clause = FALSE;

    out[0] = 0;
    for (line = r->out; line && *line; line = next_line(line)) {
        int n = (int)strcspn(line, "\n");

        if (!strncmp(line, id, strlen(id)) && line[strlen(id)] == ' ')
            in_clause = TRUE;
        else if (in_clause && !strncmp(line, "     ", 5))
            snprintf(out + strlen(out), len - strlen(out), "%.*s", n, line);
        else if (in_clause)
            break;
    }
}

/* Wine's own ws2_32: its departures from the documents (the table's host
 * column), and the clauses that need a provider. C04 departs as Wine 8
 * does and only so: the receives pending at closesocket end once each, but
 * with error 676, a code Windows does not use for it (the thread-exit half
 * of the clause, which runs first, passes). */
START_TEST(test_suite_on_wine_gives_wines_departures)
{
    char reason[1024];
    struct run r;

    assert_suite("--host", "S11,S21,S23,S27,S29,S31,B04,C04", "S17,S33,L01,L02,L05");
    r = spicheck("--host --only C04");
    reason_of(&r, "C04", reason, sizeof(reason));
    ck_assert_msg(strstr(reason, "ended with error 676, not ERROR_OPERATION_ABORTED") &&
                  !strstr(reason, "ended with error 0,") && !strstr(reason, "thread"),
                  "C04 on Wine failed for another reason: {%s}", reason);
    free(r.out);
}
END_TEST

/* The front end over the base provider: only S31, Wine's beneath it. */
START_TEST(test_suite_on_front_end_fails_only_S31)
{
    assert_suite("--front-end", "S31", "S17,S33,L01,L02,L05");
}
END_TEST

/* lspkit.dll: only S31, Wine's and any non-IFS provider's. The same with
 * the shipped filters loaded (suite_filtered). */
#define LAYERED_SUITE "--provider " GOOD
#define LAYERED_FAILED "S31"
#define LAYERED_UNTESTABLE "S33"

START_TEST(test_suite_on_lspkit_fails_only_S31)
{
    assert_suite(LAYERED_SUITE, LAYERED_FAILED, LAYERED_UNTESTABLE);
}
END_TEST

/* The shipped filters (filters/), relative to this program's directory,
 * each set to let everything go: bytecount as it is; the firewall with no
 * rule, Default allow; socks5 with its Server on a loopback port no one
 * listens on, and every IPv4 and IPv6 destination bypassed (a connect it
 * did redirect would fail). */
static const WCHAR *const firewall_allow_all[] = { L"Default", L"allow\0", NULL };
static const WCHAR *const socks5_bypass_all[] = {
    L"Server", L"127.0.0.1:1\0", L"Bypass", L"0.0.0.0/0\0::/0\0", NULL,
};
static const struct {
    const WCHAR *name, *dll;
    const WCHAR *const *settings;
} shipped_filters[] = {
    { L"bytecount", L"..\\lspkit_bytecount.dll", NULL },
    { L"firewall", L"..\\lspkit_firewall.dll", firewall_allow_all },
    { L"socks5", L"..\\lspkit_socks5.dll", socks5_bypass_all },
};

/* lspkit.log (%ProgramData%\lspkit), or the one it was rotated to (SUFFIX
 * ".1"), into PATH. */
static void log_path(const char *suffix, char *path)
{
    char unexpanded[64];

    snprintf(unexpanded, sizeof(unexpanded), "%%ProgramData%%\\lspkit\\lspkit%s.log", suffix);
    ck_assert(ExpandEnvironmentStringsA(unexpanded, path, MAX_PATH));
}

/* What lspkit.dll said about the filters while spicheck ran. */
struct filter_log {
    unsigned bytecount;         /* bytecount's lines from spicheck.exe processes */
    unsigned processes;         /* how many processes they came from */
    DWORD pids[256];
    char first_problem[512];    /* the first line from another filter, or of one left out */
};

static void read_filter_log(const char *suffix, struct filter_log *l)
{
    char path[MAX_PATH], line[1024];
    FILE *f;

    log_path(suffix, path);
    if (!(f = fopen(path, "r")))
        return;
    while (fgets(line, sizeof(line), f)) {
        const char *image = strchr(line, ' '), *filter = strstr(line, "] filter ");
        unsigned long pid;
        unsigned i;

        if (!filter)
            continue;
        /* Any line of the firewall or socks5 (a denial, a redirect the
         * server refused, a setting), or of a filter left out. */
        if (strncmp(filter, "] filter bytecount: socket ", 27) || strstr(line, "left out") ||
            strstr(line, "not started")) {
            if (!l->first_problem[0])
                snprintf(l->first_problem, sizeof(l->first_problem), "%s", line);
            continue;
        }
        if (!image || strncmp(image, " spicheck.exe[", 14) || sscanf(image + 14, "%lu", &pid) != 1)
            continue;
        l->bytecount++;
        for (i = 0; i < l->processes && l->pids[i] != pid; i++)
            ;
        if (i == l->processes && i < ARRAYSIZE(l->pids))
            l->pids[l->processes++] = pid;
    }
    fclose(f);
}

/* The same suite, through lspkit.dll with the three shipped filters
 * loaded in every process spicheck starts (they read the 64-bit view of
 * this prefix's HKLM, as this program writes it), gives exactly the
 * verdicts it gives without them. That they ran is in lspkit.log, which
 * starts empty: bytecount's per-socket lines from spicheck's children
 * show that they read these filters, and a filter there that could not
 * be loaded or would not open is named there too ("left out", "not
 * started") - none may be. The firewall and socks5 say nothing unless
 * they deny, redirect or cannot run: any line of theirs fails too. */
START_TEST(test_suite_with_filters_as_without)
{
    struct filter_log l;
    char path[MAX_PATH];

    for (unsigned i = 0; i < ARRAYSIZE(shipped_filters); i++)
        filter_register(shipped_filters[i].name, shipped_filters[i].dll, 10 * (i + 1),
                        shipped_filters[i].settings);
    log_path("", path);
    DeleteFileA(path);
    log_path(".1", path);
    DeleteFileA(path);
    assert_suite(LAYERED_SUITE, LAYERED_FAILED, LAYERED_UNTESTABLE);
    memset(&l, 0, sizeof(l));
    read_filter_log(".1", &l);
    read_filter_log("", &l);
    printf("--- lspkit.log: %u bytecount lines from %u spicheck.exe processes\n", l.bytecount,
           l.processes);
    ck_assert_msg(!l.first_problem[0], "lspkit.log: %s", l.first_problem);
    ck_assert_msg(l.bytecount > 0, "lspkit.log has no bytecount line from spicheck.exe: "
                  "the filters were not loaded");
}
END_TEST

/* `spicheck_faults [CASE]`: every test case, or only CASE ("faults": the
 * clause list, a hung clause and lspkit.dll on the fault clauses;
 * "broken_routines", "broken_events": the broken providers; "install":
 * starting and installing;
 * "sample": the sample-style LSP; "suite_host", "suite_front_end",
 * "suite_layered": the whole clause suite in each arrangement;
 * "suite_filtered": the layered one with the shipped filters loaded), so that
 * test/spicheck.list can run them
 * as lines of their own, each well under its limit. */
int main(int argc, char **argv)
{
    Suite *suite = suite_create("spicheck_faults");
    TCase *faults = tcase_create("faults"), *routines = tcase_create("broken_routines");
    TCase *events = tcase_create("broken_events"), *install = tcase_create("install");
    TCase *sample = tcase_create("sample");
    TCase *suite_host = tcase_create("suite_host");
    TCase *suite_front_end = tcase_create("suite_front_end");
    TCase *suite_layered = tcase_create("suite_layered");
    TCase *suite_filtered = tcase_create("suite_filtered");
    SRunner *sr;
    int failed;

    setvbuf(stdout, NULL, _IONBF, 0);
    tcase_add_test(faults, test_every_clause_has_a_test);
    tcase_add_test(faults, test_timeout_fails_the_clause_only);
    tcase_add_test(faults, test_good_provider_passes_the_fault_clauses);
    tcase_add_test(routines, test_direct_routine_breaks_S02_S16_S17_S18);
    tcase_add_test(routines, test_threadid_pointer_breaks_S17);
    tcase_add_test(events, test_wsabuf_uncaptured_breaks_S10);
    tcase_add_test(events, test_event_on_error_breaks_S05);
    tcase_add_test(install, test_provider_that_cannot_start_is_reported_once);
    tcase_add_test(install, test_provider_installed_under_its_GetLspGuid);
    tcase_add_test(install, test_install_cmd_runs_the_providers_installer);
    tcase_add_test(install, test_remove_cmd_that_leaves_entries_fails_the_run);
    suite_add_tcase(suite, faults);
    suite_add_tcase(suite, routines);
    suite_add_tcase(suite, events);
    tcase_add_test(sample, test_sample_style_lsp_names_only_its_departures);
    suite_add_tcase(suite, install);
    suite_add_tcase(suite, sample);
    tcase_add_test(suite_host, test_suite_on_wine_gives_wines_departures);
    tcase_add_test(suite_front_end, test_suite_on_front_end_fails_only_S31);
    tcase_add_test(suite_layered, test_suite_on_lspkit_fails_only_S31);
    suite_add_tcase(suite, suite_host);
    suite_add_tcase(suite, suite_front_end);
    suite_add_tcase(suite, suite_layered);
    tcase_add_test(suite_filtered, test_suite_with_filters_as_without);
    suite_add_tcase(suite, suite_filtered);
    sr = srunner_create(suite);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run(sr, NULL, argc > 1 ? argv[1] : NULL, CK_VERBOSE);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
