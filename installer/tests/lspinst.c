/* SPDX-License-Identifier: MIT */
/* lspinst.exe against lspkit's front end (arrangement "frontend"): the
 * real WSC* calls storing the catalog in the registry as Windows does.
 *
 * Each test case can run alone (argument: its name), so that the runner
 * gives each its own prefix and time limit:
 *   basics        --help, usage errors, list --json parses
 *   idempotent    install twice = once; remove then install = same layout
 *   exact         install then remove: catalog keys byte-identical
 *   faults_install / faults_remove
 *                 killed between any two catalog writes: verify names the
 *                 damage, repair (or restore) fixes it
 *   transaction   a failing write: the catalog is back as it was
 *   backup        backup / restore round trip, a damaged backup refused
 *   other_lsp     another LSP present: above or below it, remove keeps theirs
 *   config        capture settings in HKLM\SOFTWARE\lspkit */
#include <winsock2.h>
#include <ws2spi.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../catalog/check.h"
#include "../../catalog/pack.h"
#include "util.h"

/* bin/lspkit-wine puts the i686 build there, as x64 Windows keeps it. */
#define DLL32_OPTION "--dll32 %SystemRoot%\\SysWOW64\\lspkit.dll"

static char out[1 << 16];

/* The installation every case uses: both catalogs name the 64-bit DLL,
 * since this Wine runs no 32-bit code. */
static int install(const char *more)
{
    char args[512];

    snprintf(args, sizeof(args), "install %s %s", DLL32_OPTION, more);
    return lspinst(args, out, sizeof(out));
}

static void assert_verify_clean(void)
{
    int rc = lspinst("verify", out, sizeof(out));

    ck_assert_msg(rc == 0, "verify exited %d:\n%s", rc, out);
}

START_TEST(basics)
{
    char x64[MAX_PATH], args[MAX_PATH + 32];

    ck_assert_int_eq(lspinst("--help", out, sizeof(out)), 0);
    ck_assert_ptr_nonnull(strstr(out, "Exit codes"));
    ck_assert_ptr_nonnull(strstr(out, "install"));
    ck_assert_int_eq(lspinst("frobnicate", out, sizeof(out)), 64);
    ck_assert_ptr_nonnull(strstr(out, "unknown command"));
    ck_assert_int_eq(lspinst("install --over tcp,bogus", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("install --dll", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("install --dll C:\\no\\such.dll " DLL32_OPTION, out, sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, "does not exist"));
    /* What would break every socket is refused before anything is written:
     * a file that is no DLL, a DLL for the other catalog, a relative name
     * (each process's search order would decide which file it is). */
    ck_assert_int_eq(lspinst("install --dll C:\\windows\\win.ini " DLL32_OPTION, out,
                             sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, "not a Windows executable"));
    ck_assert_int_eq(lspinst("install --dll %SystemRoot%\\SysWOW64\\lspkit.dll " DLL32_OPTION,
                             out, sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, "not a DLL for this machine"));
    /* The x64 build where no redirection applies: a 32-bit process that
     * opens %SystemRoot%\system32 gets SysWOW64, so that path is fine. */
    GetFullPathNameA("build\\x64\\lspkit.dll", MAX_PATH, x64, NULL);
    snprintf(args, sizeof(args), "install --dll32 %s", x64);
    ck_assert_int_eq(lspinst(args, out, sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, "not a 32-bit"));
    /* Another provider's DLL is no lspkit, even under lspkit's name. */
    ck_assert_int_eq(lspinst("install --dll %SystemRoot%\\system32\\lspkit_base.dll "
                             DLL32_OPTION, out, sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, "not lspkit's"));
    ck_assert_int_eq(lspinst("install --dll %SystemRoot%\\system32\\lspkit_ifs.sys "
                             DLL32_OPTION, out, sizeof(out)), 2);
    ck_assert_int_eq(lspinst("install --dll lspkit.dll " DLL32_OPTION, out, sizeof(out)), 64);
    ck_assert_ptr_nonnull(strstr(out, "absolute"));

    ck_assert_int_eq(lspinst("list --json", out, sizeof(out)), 0);
    ck_assert_msg(json_valid(out), "not JSON:\n%s", out);
    ck_assert_int_eq(json_count(out, "\"kind\":\"base\""), 2 * native_count());
    ck_assert_int_eq(install("--category inspector"), 0);
    ck_assert_int_eq(lspinst("list --json", out, sizeof(out)), 0);
    ck_assert_msg(json_valid(out), "not JSON:\n%s", out);
    ck_assert_int_eq(json_count(out, "\"kind\":\"layered\""), 2);
    ck_assert_int_eq(json_count(out, "\"name\":\"lspkit over "), 8);
    ck_assert_int_eq(json_count(out, "\"categories\":1}"), 10);
    ck_assert_int_eq(lspinst("list", out, sizeof(out)), 0);
    ck_assert_ptr_nonnull(strstr(out, "lspkit over"));
}
END_TEST

START_TEST(idempotent)
{
    struct cm_views first, second;
    struct dump before, after;

    ck_assert_int_eq(install(""), 0);
    dump_catalog_keys(&before, TRUE);
    ck_assert_int_eq(install(""), 0);
    ck_assert_ptr_nonnull(strstr(out, "nothing to do"));
    dump_catalog_keys(&after, TRUE);
    ck_assert_msg(same_dump(&before, &after), "a second install changed the catalog");
    read_backup(&first);
    ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
    ck_assert_int_eq(install(""), 0);
    read_backup(&second);
    ck_assert(same_layout_but_ours(&first, &second));
    /* The classic method lays out the same. */
    ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
    ck_assert_int_eq(install("--method classic"), 0);
    cm_views_free(&second);
    read_backup(&second);
    ck_assert(same_layout_but_ours(&first, &second));
    assert_verify_clean();
    cm_views_free(&first);
    cm_views_free(&second);
    free_dump(&before);
    free_dump(&after);
}
END_TEST

/* Install then remove leaves the catalog keys as they were, byte for byte,
 * but for Serial_Access_Num and Next_Catalog_Entry_ID (ids are never
 * reused), with either method and more than the default protocols. */
START_TEST(exact)
{
    static const char *const variants[] = { "", "--method classic --over all --category firewall",
                                            "--ipv4 --over raw" };
    struct dump before, after;
    size_t i;

    dump_catalog_keys(&before, FALSE);
    for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
        ck_assert_msg(install(variants[i]) == 0, "install %s:\n%s", variants[i], out);
        assert_verify_clean();
        ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
        dump_catalog_keys(&after, FALSE);
        ck_assert_msg(same_dump(&before, &after), "install %s + remove left a difference",
                      variants[i]);
        free_dump(&after);
    }
    ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
    ck_assert_ptr_nonnull(strstr(out, "not installed"));
    free_dump(&before);
}
END_TEST

/* Kills `command` after every possible number of catalog writes. After
 * each kill verify reports the damage and repair (or, once, restore)
 * brings back `good`; returns how many kills were tried. */
/* The writes a sweep covers (killed after, or failed): `kills_first` to
 * `kills_last` (argv[2], "FIRST-LAST"), so that one sweep can be split
 * over several test lines, each well under its time limit. */
static int kills_first = 0, kills_last = 63;

/* Returns the number of writes the command made in all, or the first one
 * past the range. */
static int kill_at_every_write(const char *command, const char *backup, const struct dump *good,
                               const struct cm_views *good_layout)
{
    struct cm_views now;
    struct dump after;
    char setting[16];
    int n, rc;

    for (n = kills_first; n <= kills_last; n++) {
        snprintf(setting, sizeof(setting), "%d", n);
        SetEnvironmentVariableA("LSPINST_FAIL_AFTER_WRITES", setting);
        rc = lspinst(command, out, sizeof(out));
        SetEnvironmentVariableA("LSPINST_FAIL_AFTER_WRITES", NULL);
        if (rc == 0)
            break;
        ck_assert_msg(rc == 99, "%s killed after %d writes exited %d:\n%s", command, n, rc, out);
        rc = lspinst("verify", out, sizeof(out));
        ck_assert_msg(rc == 1 && strstr(out, "interrupted"), "verify after %d writes: %d\n%s", n,
                      rc, out);
        if (n == 1)
            rc = lspinst_file("restore", backup, out, sizeof(out));
        else
            rc = lspinst("repair", out, sizeof(out));
        ck_assert_msg(rc == 0, "repair/restore after %d writes exited %d:\n%s", n, rc, out);
        assert_verify_clean();
        if (good) {
            dump_catalog_keys(&after, FALSE);
            ck_assert_msg(same_dump(good, &after), "%s killed after %d writes: not back", command,
                          n);
            free_dump(&after);
        } else {
            read_backup(&now);
            ck_assert_msg(same_layout_but_ours(good_layout, &now),
                          "%s killed after %d writes: layout not back", command, n);
            cm_views_free(&now);
        }
    }
    /* A range past the command's last write would test nothing. */
    ck_assert_msg(n > kills_first, "%s makes no write after %d", command, kills_first);
    return n;
}

static void faults_install_with(const char *method, int writes)
{
    struct dump before;
    char backup[MAX_PATH], command[128];
    int made;

    temp_path("before.bak", backup);
    ck_assert_int_eq(lspinst_file("backup", backup, out, sizeof(out)), 0);
    dump_catalog_keys(&before, FALSE);
    snprintf(command, sizeof(command), "install %s %s", DLL32_OPTION, method);
    made = kill_at_every_write(command, backup, &before, NULL);
    /* Only a range that saw the command through knows how many it made. */
    if (made <= kills_last)
        ck_assert_int_ge(made, writes);
    free_dump(&before);
}

START_TEST(faults_install)
{
    faults_install_with("--category inspector", 3);
}
END_TEST

/* Classic: 5 installations into both catalogs, then 2 orders. */
START_TEST(faults_install_classic)
{
    faults_install_with("--method classic", 7);
}
END_TEST

START_TEST(faults_remove)
{
    struct cm_views installed;
    char backup[MAX_PATH];

    ck_assert_int_eq(install("--over tcp,udp,raw"), 0);
    temp_path("installed.bak", backup);
    ck_assert_int_eq(lspinst_file("backup", backup, out, sizeof(out)), 0);
    read_backup(&installed);
    ck_assert_int_ge(kill_at_every_write("remove", backup, NULL, &installed), 3);
    cm_views_free(&installed);
}
END_TEST

/* A write that fails (rather than a kill): lspinst goes back by itself. */
START_TEST(transaction)
{
    struct dump before, after;
    char setting[16];
    int n, rc;

    dump_catalog_keys(&before, FALSE);
    for (n = kills_first > 1 ? kills_first : 1; n <= kills_last; n++) {
        snprintf(setting, sizeof(setting), "%d", n);
        SetEnvironmentVariableA("LSPINST_FAIL_WRITE", setting);
        rc = install("--method classic --category inspector");
        SetEnvironmentVariableA("LSPINST_FAIL_WRITE", NULL);
        if (rc == 0)
            break;
        ck_assert_msg(rc == 2 && strstr(out, "back as it was"), "write %d: exit %d\n%s", n, rc, out);
        assert_verify_clean();
        dump_catalog_keys(&after, FALSE);
        ck_assert_msg(same_dump(&before, &after), "failing write %d: catalog not back", n);
        free_dump(&after);
    }
    /* A range that saw the install through knows how many writes it made. */
    if (n <= kills_last)
        ck_assert_int_ge(n, 10);
    ck_assert_msg(n > kills_first, "the install makes no write %d", kills_first);
    free_dump(&before);
}
END_TEST

START_TEST(backup_restore)
{
    struct dump before, after;
    char backup[MAX_PATH], damaged[MAX_PATH];

    temp_path("round.bak", backup);
    temp_path("damaged.bak", damaged);
    dump_catalog_keys(&before, FALSE);
    ck_assert_int_eq(lspinst_file("backup", backup, out, sizeof(out)), 0);
    ck_assert_int_eq(install("--over all"), 0);
    ck_assert_int_eq(lspinst_file("restore", backup, out, sizeof(out)), 0);
    dump_catalog_keys(&after, FALSE);
    ck_assert(same_dump(&before, &after));
    free_dump(&after);
    assert_verify_clean();

    damage_file(backup, damaged);
    ck_assert_int_eq(lspinst_file("restore", damaged, out, sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, "checksum"));
    /* A backup whose checksum is right but whose chain names itself would
     * break every socket of its protocol: refused before any write. */
    {
        struct cm_views installed;
        struct cm_entry *chain = NULL;
        unsigned char *data;
        size_t size;
        HANDLE file;
        DWORD written, i;

        ck_assert_int_eq(install(""), 0);
        read_backup(&installed);
        for (i = 0; i < installed.cat[CM_VIEW_NATIVE].count && !chain; i++)
            if (cm_is_chain(&installed.cat[CM_VIEW_NATIVE].entries[i]))
                chain = &installed.cat[CM_VIEW_NATIVE].entries[i];
        ck_assert_ptr_nonnull(chain);
        chain->info.ProtocolChain.ChainEntries[1] = chain->info.dwCatalogEntryId;
        ck_assert_int_eq(cm_pack(&installed, &data, &size), 0);
        file = CreateFileA(damaged, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
        ck_assert(file != INVALID_HANDLE_VALUE &&
                  WriteFile(file, data, (DWORD)size, &written, NULL));
        CloseHandle(file);
        free(data);
        cm_views_free(&installed);
        ck_assert_int_eq(lspinst_file("restore", damaged, out, sizeof(out)), 2);
        ck_assert_ptr_nonnull(strstr(out, "would break sockets"));
        ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
    }
    ck_assert_int_eq(lspinst_file("restore", "C:\\no\\such\\file.bak", out, sizeof(out)), 2);
    dump_catalog_keys(&after, FALSE);
    ck_assert(same_dump(&before, &after));
    free_dump(&after);
    free_dump(&before);
}
END_TEST

/* Another LSP present: lspkit above or below it; remove takes out only
 * lspkit and leaves theirs as it was (their chains rewritten back). */
START_TEST(other_lsp)
{
    struct dump before, after;
    struct cm_views views;
    DWORD other_layered;

    other_layered = install_other_lsp();
    assert_verify_clean();
    dump_catalog_keys(&before, FALSE);

    ck_assert_int_eq(install(""), 0);
    assert_verify_clean();
    read_backup(&views);
    ck_assert_int_eq(chain_len_over(&views, &cm_lspkit_guid, IPPROTO_TCP), 3);
    ck_assert_int_eq(other_chain_len(&views, other_layered, IPPROTO_TCP), 2);
    cm_views_free(&views);
    ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
    dump_catalog_keys(&after, FALSE);
    ck_assert(same_dump(&before, &after));
    free_dump(&after);

    ck_assert_int_eq(install("--other-lsps below"), 0);
    assert_verify_clean();
    read_backup(&views);
    ck_assert_int_eq(chain_len_over(&views, &cm_lspkit_guid, IPPROTO_TCP), 2);
    ck_assert_int_eq(other_chain_len(&views, other_layered, IPPROTO_TCP), 3);
    cm_views_free(&views);
    ck_assert_int_eq(lspinst("remove", out, sizeof(out)), 0);
    assert_verify_clean();
    dump_catalog_keys(&after, FALSE);
    ck_assert(same_dump(&before, &after));
    free_dump(&after);
    free_dump(&before);
}
END_TEST

/* A value of HKLM\SOFTWARE\lspkit in registry view `view`; 0 when read. */
static LSTATUS config_value(const WCHAR *name, REGSAM view, void *data, DWORD size)
{
    LSTATUS status;
    HKEY key;

    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\lspkit", 0, KEY_QUERY_VALUE | view,
                           &key);
    if (status)
        return status;
    status = RegQueryValueExW(key, name, NULL, NULL, data, &size);
    RegCloseKey(key);
    return status;
}

static DWORD config_dword(const WCHAR *name, REGSAM view)
{
    DWORD value = 0xdeadbeef;

    config_value(name, view, &value, sizeof(value));
    return value;
}

/* Capture settings land in HKLM\SOFTWARE\lspkit, in both registry views
 * (the 32-bit provider reads WOW6432Node); bad values are refused. */
/* A folder name too long for a capture folder (196 characters). */
#define LONG_NAME "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

START_TEST(config)
{
    WCHAR multi[64];

    ck_assert_int_eq(lspinst("config", out, sizeof(out)), 0);
    ck_assert_int_eq(lspinst("config --enable --directory C:\\caps --snaplen 128 "
                             "--include a.exe,b.exe --ports 80,8000-8080", out, sizeof(out)), 0);
    ck_assert_uint_eq(config_dword(L"Enabled", KEY_WOW64_64KEY), 1);
    ck_assert_uint_eq(config_dword(L"Enabled", KEY_WOW64_32KEY), 1);
    ck_assert_uint_eq(config_dword(L"SnapLength", KEY_WOW64_32KEY), 128);
    ck_assert_int_eq(config_value(L"Ports", KEY_WOW64_32KEY, multi, sizeof(multi)), 0);
    ck_assert(!memcmp(multi, L"80\0008000-8080\0", sizeof(L"80\0008000-8080\0")));
    ck_assert_int_eq(lspinst("config", out, sizeof(out)), 0);
    ck_assert_ptr_nonnull(strstr(out, "b.exe"));
    ck_assert_ptr_nonnull(strstr(out, "C:\\caps"));

    ck_assert_int_eq(lspinst("config --snaplen 16777217", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --ports 0", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --ports 10-5", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --include a.exe,,b.exe", out, sizeof(out)), 64);
    /* What the provider would refuse is refused here: the same checks. */
    ck_assert_int_eq(lspinst("config --include C:\\tools\\other.exe", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --directory relative\\dir", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --directory %TEMP%\\caps", out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --directory C:\\" LONG_NAME, out, sizeof(out)), 64);
    ck_assert_int_eq(lspinst("config --directory %ProgramData%\\caps", out, sizeof(out)), 0);
    ck_assert_int_eq(lspinst("config --frob", out, sizeof(out)), 64);
    ck_assert_uint_eq(config_dword(L"SnapLength", KEY_WOW64_64KEY), 128);

    /* Readers: a group the provider can grant, by name or SID, or none. */
    ck_assert_int_eq(lspinst("config --readers \"no such group anywhere\"", out, sizeof(out)),
                     64);
    ck_assert_int_ne(config_value(L"Readers", KEY_WOW64_64KEY, multi, sizeof(multi)), 0);
    ck_assert_int_eq(lspinst("config --readers S-1-5-32-545", out, sizeof(out)), 0);
    ck_assert_int_eq(config_value(L"Readers", KEY_WOW64_64KEY, multi, sizeof(multi)), 0);
    ck_assert(!wcscmp(multi, L"S-1-5-32-545"));
    ck_assert_int_eq(lspinst("config --readers Administrators", out, sizeof(out)), 0);
    ck_assert_int_eq(lspinst("config --readers \"\"", out, sizeof(out)), 0);
    ck_assert_int_ne(config_value(L"Readers", KEY_WOW64_64KEY, multi, sizeof(multi)), 0);

    ck_assert_int_eq(lspinst("config --disable --include \"\"", out, sizeof(out)), 0);
    ck_assert_uint_eq(config_dword(L"Enabled", KEY_WOW64_64KEY), 0);
    ck_assert_int_ne(config_value(L"IncludeProcesses", KEY_WOW64_64KEY, multi, sizeof(multi)), 0);
    ck_assert_int_eq(lspinst("config --reset", out, sizeof(out)), 0);
    ck_assert_uint_eq(config_dword(L"SnapLength", KEY_WOW64_32KEY), 0xdeadbeef);
}
END_TEST

int main(int argc, char **argv)
{
    const TTest *tests[] = { basics, idempotent, exact, faults_install, faults_install_classic,
                             faults_remove, transaction, backup_restore, other_lsp, config };

    if (argc > 2 && sscanf(argv[2], "%d-%d", &kills_first, &kills_last) != 2) {
        fprintf(stderr, "usage: installer.exe [CASE [FIRST-LAST]]\n");
        return 2;
    }
    return run_cases("installer", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
