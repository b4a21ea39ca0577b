/* SPDX-License-Identifier: MIT */
/* Helpers of the lspinst tests (installer/tests/lspinst.c): running lspinst.exe,
 * dumping the catalog's registry keys, reading backups, a fake second LSP. */
#ifndef LSPKIT_TEST_INSTALLER_UTIL_H
#define LSPKIT_TEST_INSTALLER_UTIL_H

#include "../../catalog/model.h"

#include <check.h>

/* Finds lspinst.exe beside this program and makes the front end seed the
 * catalog. FALSE (after saying why) when the test cannot run. */
BOOL prepare(void);

/* A program started with its stdout and stderr into one pipe. */
struct run {
    HANDLE process, pipe;
};
void run_start(struct run *r, const WCHAR *exe, const char *args);
/* Reads the program's output into `out` until it ends (it must end within
 * 120 s once its output is closed); returns its exit code. */
int run_finish(struct run *r, char *out, size_t size);
/* Starts "lspinst ARGS" (finish it with run_finish). */
void lspinst_start(struct run *r, const char *args);

/* Runs "lspinst ARGS", its stdout and stderr into `out`; returns its exit code. */
int lspinst(const char *args, char *out, size_t size);
/* Runs "lspinst COMMAND "PATH"". */
int lspinst_file(const char *command, const char *path, char *out, size_t size);

/* A file name in the temporary directory. */
void temp_path(const char *name, char out[MAX_PATH]);
/* Copies `from` to `to` with one byte in the middle flipped. */
void damage_file(const char *from, const char *to);

/* Protocol_Catalog9 as text: every key and value, sorted, data in hex.
 * Serial_Access_Num and Next_Catalog_Entry_ID only with `all`. */
struct dump {
    char *text;
    size_t size, capacity;
};
void dump_catalog_keys(struct dump *d, BOOL all);
BOOL same_dump(const struct dump *a, const struct dump *b);
void free_dump(struct dump *d);

/* Both catalogs as `lspinst backup` saves them. */
void read_backup(struct cm_views *views);

/* TRUE when the two have the same layout but for ids and the GUIDs of
 * lspkit's chains (fresh ones each installation). */
BOOL same_layout_but_ours(const struct cm_views *a, const struct cm_views *b);

/* A minimal JSON syntax check, and how often `needle` occurs in `text`. */
BOOL json_valid(const char *text);
int json_count(const char *text, const char *needle);

/* Base entries of the native catalog. */
int native_count(void);

/* Installs another LSP into both catalogs (layered entry, chains over TCP
 * and UDP over IPv4, ordered first) with WSCInstallProvider64_32; returns
 * its layered entry's id. */
DWORD install_other_lsp(void);

/* ChainLen of the native chain over AF_INET `protocol` headed by the
 * layered entry of `guid` / of id `layered_id`; 0 when none. */
int chain_len_over(const struct cm_views *views, const GUID *guid, int protocol);
int other_chain_len(const struct cm_views *views, DWORD layered_id, int protocol);

/* Fixture teardown: lspkit and the other LSP removed, switches unset. */
void reset_catalog(void);

/* A suite named `name` of `tests`, each a case of its own named as the
 * test, with reset_catalog after it, so that a run can pick it by name.
 * After prepare(), runs the case named argv[1], or every case without
 * one; returns the program's exit code. */
int run_cases(const char *name, const TTest *const *tests, size_t count, int argc, char **argv);

#endif
