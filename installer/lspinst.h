/* SPDX-License-Identifier: MIT */
/* lspinst: installs, removes, checks and repairs lspkit's catalog entries.
 * One file per command (cmd_*.c); main.c parses the command line. */
#ifndef LSPKIT_INSTALLER_LSPINST_H
#define LSPKIT_INSTALLER_LSPINST_H

#include "wsc.h"

/* Exit codes, also listed by --help. */
enum {
    EXIT_OK = 0,
    EXIT_PROBLEMS = 1,       /* verify found problems; repair left some */
    EXIT_FAILED = 2,         /* failed; the catalog is as it was before */
    EXIT_DAMAGED = 3,        /* failed, and going back failed too: run repair */
    EXIT_NOT_ADMIN = 4,      /* needs administrator rights */
    EXIT_BUSY = 5,           /* another lspinst command ran for too long (lock.h) */
    EXIT_USAGE = 64,         /* bad command line */
};

/* What every command gets. */
struct lspinst {
    struct wsc_api api;
};

typedef int (*command_fn)(struct lspinst *ctx, int argc, WCHAR **argv);

int cmd_install(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_remove(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_list(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_verify(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_repair(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_backup(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_restore(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_config(struct lspinst *ctx, int argc, WCHAR **argv);
int cmd_filter(struct lspinst *ctx, int argc, WCHAR **argv);

/* Output (out.c): messages go to stdout, errors to stderr as
 * "lspinst: ...", both UTF-8. */
void say(const char *format, ...) __attribute__((format(gnu_printf, 1, 2)));
void complain(const char *format, ...) __attribute__((format(gnu_printf, 1, 2)));
/* `text` as UTF-8 in a static buffer of the given slot (0..3), so a few can
 * be used in one call. */
const char *u8(int slot, const WCHAR *text);

/* The checks and paths every changing command needs (common.c). */
BOOL is_admin(void);
/* Refuses (EXIT_NOT_ADMIN) without administrator rights; 0 when allowed. */
int require_admin(const char *command);
/* TRUE for a 32-bit lspinst on 64-bit Windows. */
BOOL under_wow64(void);
/* Provider paths (dllpath.c). The file that catalog `view`'s processes
 * load for stored `path`: expanded and, for the 32-bit catalog of 64-bit
 * Windows, redirected from system32 to SysWOW64. FALSE when too long. */
BOOL dll_file_of(const WCHAR *path, enum cm_view view, WCHAR file[MAX_PATH]);
/* The machine (IMAGE_FILE_MACHINE_*) of the DLLs `view`'s processes load. */
WORD machine_of(enum cm_view view);
/* cm_dll_problem_fn: NULL when that file is a provider DLL for `view`'s
 * machine (and lspkit's own when `ours`), else why not. Loads nothing. */
const char *dll_problem(const WCHAR *path, enum cm_view view, BOOL ours, void *ctx);
/* Reads both catalogs, reporting failure. Returns 0 or EXIT_FAILED. */
int read_or_complain(struct lspinst *ctx, struct cm_views *views);
/* Refuses to start over an unfinished command (txn.h); 0 when none. */
int refuse_if_pending(void);
/* A command's own first step inside the transaction (install's
 * WSCInstallProviderAndChains); it may adjust `desired` to what it did. */
typedef int (*change_step_fn)(struct lspinst *ctx, struct cm_views *desired, void *arg,
                              struct cm_error *err);

/* Runs a change: records `before`, runs `step` (may be NULL), brings the
 * catalogs to `desired`, and goes back on failure. Returns an exit code. */
int run_change(struct lspinst *ctx, const char *command, const struct cm_views *before,
               struct cm_views *desired, change_step_fn step, void *arg);

/* Command-line options (args.c): "--name VALUE", "--name=VALUE" or "--flag". */
struct args {
    int argc, i;
    WCHAR **argv;
    const WCHAR *value;
    BOOL bad;                    /* an option lacked its value */
};

void args_init(struct args *a, int argc, WCHAR **argv);
/* Moves to the next argument; FALSE at the end. */
BOOL args_next(struct args *a);
BOOL args_flag(struct args *a, const WCHAR *name);
/* TRUE when the current argument is option `name`; its value in a->value. */
BOOL args_value(struct args *a, const WCHAR *name);
/* Reports the current argument as unknown; returns EXIT_USAGE. */
int args_unknown(struct args *a, const char *command);

/* Registry values from command-line text (values.c), for config and filter. */
/* One value to set (data) or delete (data NULL). */
struct reg_change {
    const WCHAR *name;
    DWORD type;
    BYTE *data;
    DWORD size;
};

/* Makes the change in `key`; deleting a value that is not there is no error. */
LSTATUS reg_change_apply(HKEY key, const struct reg_change *c);
/* A decimal number up to `max`. */
BOOL parse_number(const WCHAR *text, DWORD max, DWORD *out);
/* A list separated by commas or semicolons as REG_MULTI_SZ in `*data`
 * (malloc'd; NULL for an empty list, which deletes the value). FALSE
 * when an item, empty ones included, is not `valid`, or out of memory. */
BOOL parse_list(const WCHAR *list, BOOL (*valid)(const WCHAR *), BYTE **data, DWORD *size);

#endif
