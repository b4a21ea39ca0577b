/* SPDX-License-Identifier: MIT */
/* Capture storage (provider/capture/storage.c): what is made is for
 * administrators (and the Readers group) only, and nothing a user plants
 * steers a write: links to folders and files, hard links, and variables
 * from the process's environment. Links are planted as Unix symbolic links
 * under the prefix, which is what Wine reports a reparse point for; the
 * DACL is checked as Wine reads it back. */
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <string.h>
#include "capture_tests.h"
#include "../storage.h"

typedef char *(CDECL *unix_name_fn)(const WCHAR *);

static WCHAR base[MAX_PATH];

/* A fresh folder of this test's own, under the temporary folder. */
static void make_base(void)
{
    WCHAR temp[MAX_PATH];

    ck_assert(GetTempPathW(MAX_PATH, temp));
    _snwprintf(base, MAX_PATH, L"%lsstorage-%lu-%lu", temp, GetCurrentProcessId(),
               GetTickCount());
    ck_assert(CreateDirectoryW(base, NULL));
}

/* `link` (a Windows path) made a Unix symbolic link to `target` (one too),
 * with ln: Wine has no way of its own to make one. */
static void plant_link(const WCHAR *target, const WCHAR *link)
{
    unix_name_fn unix_name = (unix_name_fn)(void *)GetProcAddress(
        GetModuleHandleW(L"kernel32"), "wine_get_unix_file_name");
    STARTUPINFOW si = { .cb = sizeof(si) };
    PROCESS_INFORMATION pi;
    WCHAR command[3 * MAX_PATH];
    char *from, *to;
    int tries;

    ck_assert_msg(unix_name != NULL, "not under Wine");
    from = unix_name(target);
    to = unix_name(link);
    ck_assert(from && to);
    _snwprintf(command, ARRAYSIZE(command), L"Z:\\bin\\ln -s \"%hs\" \"%hs\"", from, to);
    ck_assert(CreateProcessW(L"Z:\\bin\\ln", command, NULL, NULL, FALSE, 0, NULL, NULL, &si,
                             &pi));
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    /* ln runs as a Unix process, whose handle Wine cannot wait on: the
     * link appearing is its end. */
    for (tries = 0; tries < 300 && GetFileAttributesW(link) == INVALID_FILE_ATTRIBUTES; tries++)
        Sleep(100);
    ck_assert_msg(GetFileAttributesW(link) != INVALID_FILE_ATTRIBUTES, "no link at %ls", link);
}

static void path_in_base(WCHAR *out, const WCHAR *name)
{
    _snwprintf(out, MAX_PATH, L"%ls\\%ls", base, name);
}

/* Whether the DACL of `path` lets Everyone, Users or Authenticated Users
 * read or list it. */
static BOOL others_may_read(const WCHAR *path)
{
    PSECURITY_DESCRIPTOR sd;
    ACCESS_ALLOWED_ACE *ace;
    PACL dacl;
    BOOL found = FALSE;
    DWORD i;

    ck_assert_uint_eq(GetNamedSecurityInfoW(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL,
                                            NULL, &dacl, NULL, &sd), ERROR_SUCCESS);
    for (i = 0; dacl && i < dacl->AceCount; i++) {
        ck_assert(GetAce(dacl, i, (void **)&ace));
        if (ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
            (ace->Mask & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL)) &&
            (IsWellKnownSid(&ace->SidStart, WinWorldSid) ||
             IsWellKnownSid(&ace->SidStart, WinBuiltinUsersSid) ||
             IsWellKnownSid(&ace->SidStart, WinAuthenticatedUserSid)))
            found = TRUE;
    }
    LocalFree(sd);
    return found;
}

START_TEST(test_made_for_administrators)
{
    PSECURITY_DESCRIPTOR folder = storage_security(STORAGE_FOLDER, NULL);
    PSECURITY_DESCRIPTOR file_sd = storage_security(STORAGE_CAPTURE_FILE, NULL);
    WCHAR dir[MAX_PATH], path[MAX_PATH], plain[MAX_PATH];
    HANDLE file;
    DWORD error;

    make_base();
    ck_assert(folder && file_sd);
    path_in_base(dir, L"made\\captures");
    ck_assert_uint_eq(storage_make_directory(dir, folder), 0);
    _snwprintf(path, MAX_PATH, L"%ls\\one.pcapng", dir);
    file = storage_open_file(path, GENERIC_WRITE, FILE_SHARE_READ, CREATE_NEW, file_sd, &error);
    ck_assert_msg(file != INVALID_HANDLE_VALUE, "create: %lu", error);
    CloseHandle(file);
    ck_assert(!others_may_read(dir));
    ck_assert(!others_may_read(path));
    /* The control: a folder made plainly is readable by everyone here. */
    path_in_base(plain, L"plain");
    ck_assert(CreateDirectoryW(plain, NULL));
    ck_assert(others_may_read(plain));
    LocalFree(folder);
    LocalFree(file_sd);
}
END_TEST

START_TEST(test_readers_group)
{
    PSECURITY_DESCRIPTOR sd = storage_security(STORAGE_CAPTURE_FILE, L"S-1-5-32-545");
    LPWSTR text;

    ck_assert_ptr_nonnull(sd);
    ck_assert(ConvertSecurityDescriptorToStringSecurityDescriptorW(
        sd, SDDL_REVISION_1, DACL_SECURITY_INFORMATION, &text, NULL));
    ck_assert_msg(wcsstr(text, L"(A;;FR;;;BU)"), "%ls", text);
    LocalFree(text);
    LocalFree(sd);
    ck_assert_ptr_null(storage_security(STORAGE_CAPTURE_FILE, L"no such group anywhere"));
}
END_TEST

/* A folder that is a link, or lies under one, is refused. */
START_TEST(test_folder_link_refused)
{
    PSECURITY_DESCRIPTOR folder = storage_security(STORAGE_FOLDER, NULL);
    WCHAR target[MAX_PATH], link[MAX_PATH], under[MAX_PATH];

    make_base();
    path_in_base(target, L"elsewhere");
    ck_assert(CreateDirectoryW(target, NULL));
    path_in_base(link, L"captures");
    plant_link(target, link);
    ck_assert_uint_eq(storage_make_directory(link, folder), ERROR_CANT_RESOLVE_FILENAME);
    _snwprintf(under, MAX_PATH, L"%ls\\deeper", link);
    ck_assert_uint_eq(storage_make_directory(under, folder), ERROR_CANT_RESOLVE_FILENAME);
    LocalFree(folder);
}
END_TEST

/* A log or capture file that is a symbolic or hard link is not written. */
START_TEST(test_file_links_refused)
{
    PSECURITY_DESCRIPTOR sd = storage_security(STORAGE_LOG_FILE, NULL);
    WCHAR target[MAX_PATH], link[MAX_PATH], hard[MAX_PATH];
    HANDLE file;
    DWORD error, size;

    make_base();
    path_in_base(target, L"victim.txt");
    file = CreateFileW(target, GENERIC_WRITE, 0, NULL, CREATE_NEW, 0, NULL);
    ck_assert(file != INVALID_HANDLE_VALUE);
    CloseHandle(file);
    path_in_base(link, L"lspkit.log");
    plant_link(target, link);
    file = storage_open_file(link, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             OPEN_ALWAYS, sd, &error);
    ck_assert(file == INVALID_HANDLE_VALUE);
    ck_assert_uint_eq(error, ERROR_CANT_RESOLVE_FILENAME);
    path_in_base(hard, L"hard.log");
    ck_assert(CreateHardLinkW(hard, target, NULL));
    file = storage_open_file(hard, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                             OPEN_ALWAYS, sd, &error);
    ck_assert(file == INVALID_HANDLE_VALUE);
    ck_assert_uint_eq(error, ERROR_CANT_RESOLVE_FILENAME);
    file = CreateFileW(target, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    size = GetFileSize(file, NULL);
    CloseHandle(file);
    ck_assert_uint_eq(size, 0);
    LocalFree(sd);
}
END_TEST

/* The names a Directory may use come from the system, not the process. */
START_TEST(test_expand_from_the_system_only)
{
    WCHAR out[MAX_PATH], windows[MAX_PATH], expect[MAX_PATH];

    ck_assert(GetSystemWindowsDirectoryW(windows, MAX_PATH));
    ck_assert(SetEnvironmentVariableW(L"SystemRoot", L"C:\\planted"));
    ck_assert(SetEnvironmentVariableW(L"ProgramData", L"C:\\planted"));
    ck_assert(storage_expand(L"%systemroot%\\x", out, MAX_PATH));
    _snwprintf(expect, MAX_PATH, L"%ls\\x", windows);
    ck_assert_msg(!wcscmp(out, expect), "%ls", out);
    ck_assert(storage_expand(L"%ProgramData%\\y", out, MAX_PATH));
    _snwprintf(expect, MAX_PATH, L"%.2ls\\ProgramData\\y", windows);
    ck_assert_msg(!wcscmp(out, expect), "%ls", out);
    ck_assert(!storage_expand(L"%TEMP%\\z", out, MAX_PATH));
    ck_assert(!storage_expand(L"%ProgramData", out, MAX_PATH));
    ck_assert(!storage_expand(L"%SystemRoot%\\x", out, 4));
    SetEnvironmentVariableW(L"SystemRoot", windows);
    SetEnvironmentVariableW(L"ProgramData", L"C:\\ProgramData");
}
END_TEST

Suite *capture_storage_suite(void)
{
    Suite *s = suite_create("capture_storage");
    TCase *tc = tcase_create("storage");

    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_made_for_administrators);
    tcase_add_test(tc, test_readers_group);
    tcase_add_test(tc, test_folder_link_refused);
    tcase_add_test(tc, test_file_links_refused);
    tcase_add_test(tc, test_expand_from_the_system_only);
    suite_add_tcase(s, tc);
    return s;
}
