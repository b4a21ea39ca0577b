/* SPDX-License-Identifier: MIT */
/* lspinst backup FILE and lspinst restore FILE: both catalogs to a file
 * (catalog/pack.h) and back. */
#include "lspinst.h"
#include "txn.h"
#include "../catalog/check.h"
#include "../catalog/pack.h"
#include "../catalog/plan.h"

#include <stdlib.h>

/* The one FILE argument of `command`; NULL after complaining. */
static const WCHAR *file_argument(int argc, WCHAR **argv, const char *command)
{
    if (argc != 2 || argv[1][0] == L'-') {
        complain("usage: lspinst %s FILE", command);
        return NULL;
    }
    return argv[1];
}

static int write_file(const WCHAR *path, const unsigned char *data, size_t size)
{
    HANDLE file = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                              NULL);
    DWORD written = 0;
    BOOL ok;

    if (file == INVALID_HANDLE_VALUE) {
        complain("backup: cannot create %s (Win32 error %lu)", u8(0, path), GetLastError());
        return EXIT_FAILED;
    }
    ok = WriteFile(file, data, (DWORD)size, &written, NULL) && written == size &&
         FlushFileBuffers(file);
    CloseHandle(file);
    if (ok)
        return 0;
    complain("backup: cannot write %s (Win32 error %lu)", u8(0, path), GetLastError());
    DeleteFileW(path);
    return EXIT_FAILED;
}

int cmd_backup(struct lspinst *ctx, int argc, WCHAR **argv)
{
    const WCHAR *path = file_argument(argc, argv, "backup");
    struct cm_views views;
    unsigned char *data = NULL;
    size_t size;
    int ret;

    if (!path)
        return EXIT_USAGE;
    cm_views_init(&views);
    ret = read_or_complain(ctx, &views);
    if (!ret && cm_pack(&views, &data, &size)) {
        complain("backup: out of memory");
        ret = EXIT_FAILED;
    }
    if (!ret && !(ret = write_file(path, data, size)))
        say("saved %lu entries%s to %s", (unsigned long)views.cat[CM_VIEW_NATIVE].count,
            views.present[CM_VIEW_32] ? " (and the 32-bit catalog)" : "", u8(0, path));
    free(data);
    cm_views_free(&views);
    return ret;
}

/* The whole file, at most 16 MiB (a catalog backup is some kilobytes). */
static int read_file(const WCHAR *path, unsigned char **data, size_t *size)
{
    HANDLE file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER length;
    DWORD got = 0;
    BOOL ok;

    if (file == INVALID_HANDLE_VALUE) {
        complain("restore: cannot open %s (Win32 error %lu)", u8(0, path), GetLastError());
        return EXIT_FAILED;
    }
    ok = GetFileSizeEx(file, &length) && length.QuadPart <= 16 << 20 &&
         (*data = malloc((size_t)length.QuadPart + 1)) &&
         ReadFile(file, *data, (DWORD)length.QuadPart, &got, NULL) && got == length.QuadPart;
    CloseHandle(file);
    *size = got;
    if (ok)
        return 0;
    complain("restore: cannot read %s", u8(0, path));
    return EXIT_FAILED;
}

/* What verify would find in the restored catalogs, before any of it is
 * written: a backup whose chains could not work (checksum or not) would
 * break every socket of their protocols. Order and cross-catalog
 * differences are what repair mends; they do not refuse it. */
static int refuse_broken(const struct cm_views *desired)
{
    struct cm_problems problems;
    DWORD i, refused = 0;

    cm_problems_init(&problems);
    if (cm_check(desired, &cm_lspkit_guid, dll_problem, NULL, &problems)) {
        cm_problems_free(&problems);
        complain("restore: out of memory");
        return EXIT_FAILED;
    }
    for (i = 0; i < problems.count; i++) {
        enum cm_problem_kind kind = problems.items[i].kind;

        if (kind == CM_PROBLEM_ORDER || kind == CM_PROBLEM_VIEWS_DIFFER ||
            kind == CM_PROBLEM_UNUSED_LAYERED)
            continue;
        complain("restore: the backup would break sockets: %s", problems.items[i].text);
        refused++;
    }
    cm_problems_free(&problems);
    return refused ? EXIT_FAILED : 0;
}

int cmd_restore(struct lspinst *ctx, int argc, WCHAR **argv)
{
    const WCHAR *path = file_argument(argc, argv, "restore");
    struct cm_views saved, cur, desired;
    struct cm_error err;
    unsigned char *data = NULL;
    size_t size = 0;
    int v, ret;

    if (!path)
        return EXIT_USAGE;
    ret = require_admin("restore");
    cm_views_init(&saved);
    cm_views_init(&cur);
    cm_views_init(&desired);
    if (!ret)
        ret = read_file(path, &data, &size);
    if (!ret && cm_unpack(data, size, &saved, &err)) {
        complain("restore: %s: %s", u8(0, path), err.text);
        ret = EXIT_FAILED;
    }
    /* An unfinished command's record is superseded: restore sets it all. */
    if (!ret)
        ret = read_or_complain(ctx, &cur);
    for (v = 0; !ret && v < CM_VIEWS; v++) {
        desired.present[v] = cur.present[v] && saved.present[v];
        if (cur.present[v] != saved.present[v])
            complain("restore: warning: %s is only in %s; it is left as it is",
                     v == CM_VIEW_32 ? "the 32-bit catalog" : "the native catalog",
                     cur.present[v] ? "this system" : "the backup");
        if (desired.present[v] &&
            cm_plan_restore(&cur.cat[v], &saved.cat[v], &desired.cat[v], &err)) {
            complain("restore: %s", err.text);
            ret = EXIT_FAILED;
        }
    }
    if (!ret)
        ret = refuse_broken(&desired);
    if (!ret && !(ret = run_change(ctx, "restore", &cur, &desired, NULL, NULL)))
        say("restored the catalog from %s", u8(0, path));
    free(data);
    cm_views_free(&saved);
    cm_views_free(&cur);
    cm_views_free(&desired);
    return ret;
}
