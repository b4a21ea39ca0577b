/* SPDX-License-Identifier: MIT */
/* The front end is the only ws2_32 (issue 8, item 2): whichever way a
 * program reaches ws2_32 first (import by name, LoadLibrary by name,
 * LoadLibraryEx with LOAD_LIBRARY_SEARCH_SYSTEM32 as Go does, LoadLibrary by
 * the system32 path) it gets the front end, every other way then gives the
 * same module, and its sockets come from the arrangement's provider. The
 * import is this program's own; each other way is the first step of a
 * fresh child (frontend_names_child.exe), which imports no ws2_32.
 * Argument "layered": lspkit.dll is installed over the base entries. */
#include <winsock2.h>
#include <check.h>
#include "run_suite.h"
#include <stdio.h>
#include <string.h>
#include "frontend_names.h"

#define CHILD_LIMIT_MS 60000

static BOOL layered;

static void describe(unsigned faults, char *out, size_t size)
{
    static const struct { unsigned bit; const char *text; } names[] = {
        { FN_NOT_LOADED, "no module" }, { FN_PRELOADED, "ws2_32 loaded before" },
        { FN_BUILTIN, "Wine's builtin ws2_32" }, { FN_OTHER_WAY, "another way gave another module" },
        { FN_NO_SOCKET, "no TCP socket" }, { FN_NOT_OURS, "socket not from the arrangement's provider" },
    };

    snprintf(out, size, "%s", faults ? "" : "none");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (faults & names[i].bit)
            snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? ", " : "",
                     names[i].text);
}

/* Runs the child for `way`; its exit code, the faults it found. */
static DWORD run_child(const char *way)
{
    WCHAR path[MAX_PATH], cmd[2 * MAX_PATH];
    STARTUPINFOW si = { .cb = sizeof(si) };
    PROCESS_INFORMATION pi;
    DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH), code = 0;
    WCHAR *slash = wcsrchr(path, L'\\');

    ck_assert(n > 0 && n < MAX_PATH && slash);
    wcscpy(slash + 1, L"frontend_names_child.exe");
    swprintf(cmd, 2 * MAX_PATH, L"\"%ls\" %hs%ls", path, way, layered ? L" layered" : L"");
    fflush(stdout);
    ck_assert_msg(CreateProcessW(path, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi),
                  "cannot start %ls: %lu", path, GetLastError());
    CloseHandle(pi.hThread);
    ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, CHILD_LIMIT_MS), WAIT_OBJECT_0);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    return code;
}

static void assert_way(const char *way)
{
    char faults[256];
    DWORD code = run_child(way);

    describe(code, faults, sizeof(faults));
    ck_assert_msg(code == 0, "%s first: %s (exit %lu)", way, faults, code);
}

START_TEST(test_import_by_name)
{
    HMODULE module = NULL;
    char faults[256];
    unsigned code;

    ck_assert(GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                                 GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                                 (LPCWSTR)(void *)socket, &module));
    printf("import:\n");
    code = fn_check(module, layered);
    describe(code, faults, sizeof(faults));
    ck_assert_msg(code == 0, "import: %s", faults);
}
END_TEST

START_TEST(test_load_library_by_name) { assert_way(FN_WAY_NAME); }
END_TEST

START_TEST(test_load_library_ex_search_system32) { assert_way(FN_WAY_SYSTEM32); }
END_TEST

START_TEST(test_load_library_by_system32_path) { assert_way(FN_WAY_PATH); }
END_TEST

int main(int argc, char **argv)
{
    Suite *suite = suite_create("frontend_names");
    TCase *tc = tcase_create("ways");

    layered = argc > 1 && !strcmp(argv[1], "layered");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_import_by_name);
    tcase_add_test(tc, test_load_library_by_name);
    tcase_add_test(tc, test_load_library_ex_search_system32);
    tcase_add_test(tc, test_load_library_by_system32_path);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
