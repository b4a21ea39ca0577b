/* SPDX-License-Identifier: MIT */
/* spicheck.h: the runner side of spicheck - the clause list, the
 * arrangements, running one clause in a child process, and the reports.
 * The clause tests themselves see only sc.h. */
#ifndef LSPKIT_SPICHECK_SPICHECK_H
#define LSPKIT_SPICHECK_SPICHECK_H

#include "sc.h"

/* The clauses of docs/spec/clauses.md, generated at build time
 * (spicheck/module.mk) into build/gen/spicheck_clauses.c. */
struct sc_clause {
    const char *id;
    const char *text;
};
extern const struct sc_clause sc_clauses[];
extern const unsigned sc_clause_count;

/* The test of clause ID, or NULL when none is compiled in. */
const struct sc_test *tests_find(const char *id);

/* start.c: not a clause - whether the provider under test starts at all,
 * run before any clause of the layered arrangement (`--child start`). */
extern const struct sc_test sc_start_test;

/* child.c: runs TEST in this process (never returns). */
__attribute__((noreturn)) int child_run(const struct sc_test *test);

/* arrange.c */

/* spicheck's own GUIDs for the layered entry (when the provider names
 * none) and for the chain entries of its install. */
extern const GUID sc_layered_guid, sc_chain_guid;

/* How the layered arrangement puts the provider into the catalog. */
struct install_options {
    BOOL guid_given;           /* --guid: sc_env.layered_guid is the user's */
    const char *guid_source;   /* where sc_env.layered_guid came from, for the report */
    const char *install_cmd;   /* --install-cmd: the user's installer instead of spicheck's */
    const char *remove_cmd;    /* --remove-cmd */
    BOOL verbose;              /* show the commands' output */
};
extern struct install_options sc_install;

/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" and back (braces optional). */
#define GUID_TEXT_LEN 39
void arrangement_guid_text(const GUID *guid, char *out);
BOOL arrangement_parse_guid(const char *text, GUID *out);

/* In a child (`spicheck --lsp-guid DLL`): prints what DLL's GetLspGuid
 * export gives; never returns. */
__attribute__((noreturn)) int arrangement_lsp_guid_child(const char *dll);

/* Parses "host", "frontend", "layered"; -1 when unknown. */
int arrangement_parse(const char *name);
/* Parses "tcp", "udp", "tcp,udp" into SC_OVER_*; 0 when bad. */
unsigned arrangement_parse_over(const char *list);

/* TRUE when this process's ws2_32 is lspkit's front end. */
BOOL arrangement_has_front_end(void);

/* In a child: checks that the process is set up as arrangement A says;
 * prints a FAIL line and returns FALSE when not. */
BOOL arrangement_verify(enum sc_arrangement a);

/* In the runner: makes arrangement A ready for children, or prints why it
 * cannot and returns FALSE. `exe` gets the program the children run. */
BOOL arrangement_prepare(enum sc_arrangement a, WCHAR *exe, size_t exe_len);
/* Undoes arrangement_prepare (removes the provider, the host copy).
 * FALSE, saying how, when the catalog is not exactly as before. */
BOOL arrangement_finish(enum sc_arrangement a);
/* Removes anything spicheck may have left in the catalog (also on Ctrl-C). */
void arrangement_remove_installs(void);

/* runner.c */

enum sc_verdict { SC_PASS, SC_FAIL, SC_SKIP, SC_NOT_RUN };

struct sc_result {
    enum sc_verdict verdict;
    char reason[512];
    double seconds;
};

struct run_options {
    DWORD timeout_ms;      /* 0: each test's own limit */
    BOOL verbose;
};

/* How a program the runner started ended. */
struct runner_exit {
    DWORD code;                /* its exit code */
    BOOL timed_out;            /* terminated at the limit */
    DWORD error;               /* why it could not be started */
    char *text;                /* what it printed (malloc'd), or NULL */
};
/* Runs command line CMD with its output in a temporary file for at most
 * LIMIT ms (then terminates it). FALSE when it cannot start it. */
BOOL runner_exec(WCHAR *cmd, DWORD limit, struct runner_exit *out);
/* Prints TEXT, each line indented under LABEL. */
void runner_show(const char *label, const char *text);

/* Runs clause test TEST in a child started from EXE in arrangement A. */
void runner_run(const WCHAR *exe, enum sc_arrangement a, const struct sc_test *test,
                const struct run_options *opt, struct sc_result *out);

/* report.c */

const char *report_verdict_name(enum sc_verdict v);
/* One line for one clause result. */
void report_line(const struct sc_clause *clause, const struct sc_result *r);
/* The transparency table: clauses whose results differ between the
 * arrangements run (RAN[a] TRUE). Returns how many differ. */
unsigned report_compare(const struct sc_result *results[SC_ARRANGEMENTS], const BOOL ran[SC_ARRANGEMENTS]);
/* Writes a JUnit XML file; FALSE when it cannot. */
BOOL report_junit(const char *path, const struct sc_result *results[SC_ARRANGEMENTS],
                  const BOOL ran[SC_ARRANGEMENTS]);

#endif
