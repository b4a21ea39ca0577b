/* SPDX-License-Identifier: MIT */
/* lspinst filter add|remove|list (installer/cmd_filter.c), the filters
 * lspkit.dll loads from HKLM\SOFTWARE\lspkit\Filters. Each case can run
 * alone (argument: its name):
 *   filter_add       defaults (the shipped DLL beside lspinst.exe, Position
 *                    10), a relative DLL made absolute, --include, --exclude
 *                    and --set written
 *   filter_order     list in running order (Position, then name); a filter
 *                    whose DLL is gone is flagged
 *   filter_update    a second add changes only what it names; remove, and
 *                    remove of a name there is not
 *   filter_refused   bad names, missing DLLs, files that are no DLL or no
 *                    filter, reserved --set values: refused, nothing saved */
#include <windows.h>
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "util.h"

#define FILTERS_KEY L"SOFTWARE\\lspkit\\Filters"

static char out[1 << 16];

/* Runs "lspinst filter ARGS", which must exit `expected`. */
static void filter_expect(const char *args, int expected)
{
    char command[1024];
    int rc;

    snprintf(command, sizeof(command), "filter %s", args);
    rc = lspinst(command, out, sizeof(out));
    ck_assert_msg(rc == expected, "lspinst %s exited %d, not %d:\n%s", command, rc, expected, out);
}

static void assert_out_has(const char *text)
{
    ck_assert_msg(strstr(out, text) != NULL, "no '%s' in:\n%s", text, out);
}

/* Value `value` of filter `name` (64-bit view); 0 when read. */
static LSTATUS filter_value(const WCHAR *name, const WCHAR *value, DWORD *type, void *data,
                            DWORD size)
{
    WCHAR subkey[256];
    LSTATUS status;
    HKEY key;

    swprintf(subkey, 256, L"%ls\\%ls", FILTERS_KEY, name);
    status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, subkey, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key);
    if (status)
        return status;
    memset(data, 0, size);
    status = RegQueryValueExW(key, value, NULL, type, data, &size);
    RegCloseKey(key);
    return status;
}

static void assert_position(const WCHAR *name, DWORD expected)
{
    DWORD type = 0, position = 0;
    LSTATUS status = filter_value(name, L"Position", &type, &position, sizeof(position));

    ck_assert_msg(!status && type == REG_DWORD && position == expected,
                  "%ls: Position %lu (status %ld, type %lu), not %lu", name, position, status, type,
                  expected);
}

/* A REG_SZ value, or a REG_MULTI_SZ given with its NULs ("a\0b\0"). */
static void assert_value(const WCHAR *name, const WCHAR *value, DWORD type, const WCHAR *data,
                         size_t chars)
{
    WCHAR got[512];
    DWORD got_type = 0;
    LSTATUS status = filter_value(name, value, &got_type, got, sizeof(got));

    ck_assert_msg(!status && got_type == type, "%ls\\%ls: status %ld, type %lu", name, value,
                  status, got_type);
    ck_assert_msg(!memcmp(got, data, chars * sizeof(WCHAR)), "%ls\\%ls is '%ls'", name, value, got);
}

static void assert_no_value(const WCHAR *name, const WCHAR *value)
{
    WCHAR got[512];
    DWORD type;
    LSTATUS status = filter_value(name, value, &type, got, sizeof(got));

    ck_assert_msg(status == ERROR_FILE_NOT_FOUND, "%ls\\%ls: status %ld", name, value, status);
}

/* Filters from an earlier case of this run are gone. */
static void clear_filters(void)
{
    HKEY key;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\lspkit", 0,
                      KEY_ALL_ACCESS | KEY_WOW64_64KEY, &key))
        return;
    RegDeleteTreeW(key, L"Filters");
    RegCloseKey(key);
}

/* `file` beside this program (and the tests' lspinst.exe). */
static void beside_tests(const WCHAR *file, WCHAR path[MAX_PATH])
{
    WCHAR *slash;

    GetModuleFileNameW(NULL, path, MAX_PATH);
    slash = wcsrchr(path, L'\\');
    ck_assert_ptr_nonnull(slash);
    wcscpy(slash + 1, file);
}

/* `relative` to the working directory (the repository's root), made
 * absolute as lspinst makes it. */
static void from_root(const WCHAR *relative, WCHAR path[MAX_PATH])
{
    DWORD n = GetFullPathNameW(relative, MAX_PATH, path, NULL);

    ck_assert(n && n < MAX_PATH);
}

START_TEST(filter_add)
{
    WCHAR shipped[MAX_PATH], relative[MAX_PATH];

    clear_filters();
    filter_expect("list", 0);
    assert_out_has("no filters");

    /* The shipped filter of that name, beside lspinst.exe. */
    filter_expect("add bytecount", 0);
    assert_out_has("saved filter bytecount");
    beside_tests(L"lspkit_bytecount.dll", shipped);
    assert_value(L"bytecount", L"Path", REG_SZ, shipped, wcslen(shipped) + 1);
    assert_position(L"bytecount", 10);
    assert_no_value(L"bytecount", L"IncludeProcesses");
    assert_no_value(L"bytecount", L"ExcludeProcesses");

    filter_expect("add counter build\\x64\\lspkit_bytecount.dll --include curl.exe;node.exe "
                  "--exclude a.exe,b.exe --set Level=3 --set \"Mode=two words\"", 0);
    from_root(L"build\\x64\\lspkit_bytecount.dll", relative);
    assert_value(L"counter", L"Path", REG_SZ, relative, wcslen(relative) + 1);
    assert_position(L"counter", 20);
    assert_value(L"counter", L"IncludeProcesses", REG_MULTI_SZ, L"curl.exe\0node.exe\0", 19);
    assert_value(L"counter", L"ExcludeProcesses", REG_MULTI_SZ, L"a.exe\0b.exe\0", 13);
    assert_value(L"counter", L"Level", REG_SZ, L"3", 2);
    assert_value(L"counter", L"Mode", REG_SZ, L"two words", 10);
    /* What it saved, as list shows it. */
    assert_out_has("include=curl.exe,node.exe  exclude=a.exe,b.exe");
    assert_out_has("Mode=two words");
    filter_expect("list", 0);
    assert_out_has("10  bytecount  ");
    assert_out_has("include=(all)  exclude=(none)");
    assert_out_has("Level=3");
}
END_TEST

/* Where `text` is in `out`, which must hold it. */
static const char *find(const char *text)
{
    const char *at = strstr(out, text);

    ck_assert_msg(at != NULL, "no '%s' in:\n%s", text, out);
    return at;
}

START_TEST(filter_order)
{
    HKEY key;
    DWORD position = 25;
    const char *c, *a, *b, *gone, *d;

    clear_filters();
    filter_expect("add c build\\x64\\lspkit_bytecount.dll --position 5", 0);
    filter_expect("add b build\\x64\\lspkit_bytecount.dll --position 20", 0);
    filter_expect("add a build\\x64\\lspkit_bytecount.dll --position=20", 0);
    /* Made by hand, its DLL since deleted. */
    ck_assert_int_eq(RegCreateKeyExW(HKEY_LOCAL_MACHINE, FILTERS_KEY L"\\gone", 0, NULL, 0,
                                     KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &key, NULL), 0);
    RegSetValueExW(key, L"Path", 0, REG_SZ, (const BYTE *)L"C:\\no\\such.dll",
                   sizeof(L"C:\\no\\such.dll"));
    RegSetValueExW(key, L"Position", 0, REG_DWORD, (const BYTE *)&position, sizeof(position));
    RegCloseKey(key);
    /* After the largest Position there is. */
    filter_expect("add d build\\x64\\lspkit_bytecount.dll", 0);
    assert_position(L"d", 35);

    filter_expect("list", 0);
    c = find("5  c  ");
    a = find("20  a  ");
    b = find("20  b  ");
    gone = find("25  gone  C:\\no\\such.dll");
    d = find("35  d  ");
    ck_assert_msg(c < a && a < b && b < gone && gone < d, "not in running order:\n%s", out);
    find("(warning: C:\\no\\such.dll does not exist)");
    ck_assert_ptr_null(strstr(d, "warning"));
}
END_TEST

START_TEST(filter_update)
{
    clear_filters();
    filter_expect("add f1 build\\x64\\lspkit_bytecount.dll --position 7 --include a.exe "
                  "--set K=v --set Other=x", 0);
    /* What the second add names changes; the rest stays. */
    filter_expect("add f1 build\\x64\\lspkit_bytecount.dll --set K=w --exclude b.exe", 0);
    assert_position(L"f1", 7);
    assert_value(L"f1", L"IncludeProcesses", REG_MULTI_SZ, L"a.exe\0", 7);
    assert_value(L"f1", L"ExcludeProcesses", REG_MULTI_SZ, L"b.exe\0", 7);
    assert_value(L"f1", L"K", REG_SZ, L"w", 2);
    assert_value(L"f1", L"Other", REG_SZ, L"x", 2);
    /* '' clears a list, VALUE= deletes a setting; a filter named again
     * keeps its place; a later option wins. */
    filter_expect("add f1 build\\x64\\lspkit_bytecount.dll --include \"\" --set K= "
                  "--position 9 --position 8", 0);
    assert_no_value(L"f1", L"IncludeProcesses");
    assert_no_value(L"f1", L"K");
    assert_position(L"f1", 8);
    filter_expect("add f2 build\\x64\\lspkit_bytecount.dll", 0);
    assert_position(L"f2", 18);
    filter_expect("add f1 build\\x64\\lspkit_bytecount.dll", 0);
    assert_position(L"f1", 8);

    filter_expect("remove f1", 0);
    assert_out_has("removed filter f1");
    assert_no_value(L"f1", L"Path");
    filter_expect("list", 0);
    ck_assert_ptr_null(strstr(out, "f1"));
    assert_out_has("f2");
    filter_expect("remove f1", 2);
    assert_out_has("no filter 'f1'");
    filter_expect("remove nosuch", 2);
    assert_out_has("no filter 'nosuch'");
    /* A name that would reach another key is no name. */
    filter_expect("remove ..\\Filters", 64);
    filter_expect("remove", 64);
    filter_expect("remove f2", 0);
    filter_expect("list", 0);
    assert_out_has("no filters");
}
END_TEST

START_TEST(filter_refused)
{
    clear_filters();
    filter_expect("add bad.name build\\x64\\lspkit_bytecount.dll", 64);
    assert_out_has("bad filter name 'bad.name'");
    filter_expect("add sub\\key build\\x64\\lspkit_bytecount.dll", 64);
    filter_expect("add", 64);
    filter_expect("frob", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll extra", 64);

    /* No DLL given, and none shipped of that name. */
    filter_expect("add nosuch", 2);
    assert_out_has("lspkit_nosuch.dll does not exist");
    assert_out_has("shipped with lspkit");
    filter_expect("add x C:\\no\\such\\filter.dll", 2);
    assert_out_has("C:\\no\\such\\filter.dll does not exist; nothing was saved");

    /* Files that are no DLL, or not for this machine, or no filter. */
    filter_expect("add x C:\\windows\\win.ini", 2);
    assert_out_has("win.ini is not a Windows executable file");
    filter_expect("add x build\\x64\\tests\\lspinst.exe", 2);
    assert_out_has("lspinst.exe is not a DLL");
    filter_expect("add x build\\x86\\lspkit_bytecount.dll", 2);
    assert_out_has("is not a DLL for this machine (x64)");
    filter_expect("add x build\\x64\\tests\\not_a_filter.dll", 2);
    assert_out_has("not_a_filter.dll does not export lspkit_filter_open");

    /* The values add writes itself are not settings, in any case. */
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --set Path=C:\\x.dll", 64);
    assert_out_has("cannot set Path");
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --set position=1", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --set IncludeProcesses=a.exe", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --set Level", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --set =3", 64);
    /* Checked as the capture checks them, and numbers that fit. */
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --include C:\\tools\\a.exe", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --exclude a.exe,,b.exe", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --position 99999999999", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --position -1", 64);
    filter_expect("add x build\\x64\\lspkit_bytecount.dll --position", 64);

    filter_expect("list", 0);
    assert_out_has("no filters");
}
END_TEST

int main(int argc, char **argv)
{
    const TTest *tests[] = { filter_add, filter_order, filter_update, filter_refused };

    return run_cases("installer_filter", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
