/* SPDX-License-Identifier: MIT */
/* Capture storage (storage.h). */
#include "storage.h"
#include <sddl.h>
#include <aclapi.h>
#include <stdio.h>
#include <wchar.h>

#define PROFILE_LIST L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"

/* FILE_TRAVERSE | FILE_ADD_FILE | FILE_READ_ATTRIBUTES | SYNCHRONIZE: into a
 * folder, create a file, and nothing more (no listing, no reading). */
#define ADD_FILES_ONLY L"0x1000a2"
/* FILE_APPEND_DATA | SYNCHRONIZE. */
#define APPEND_ONLY L"0x100004"
/* The longest SID string: "S-1-" and 15 sub-authorities of 10 digits. */
#define SID_STRING_MAX 192

/* %SystemRoot%, as the system knows it. */
static BOOL system_root(WCHAR *out, DWORD size)
{
    UINT n = GetSystemWindowsDirectoryW(out, size);

    return n > 0 && n < size;
}

/* Expands only the names whose values come from the system: %SystemRoot%,
 * %windir%, %SystemDrive%, and with `program_data` also %ProgramData%. */
static BOOL expand_system(const WCHAR *in, WCHAR *out, DWORD size, BOOL program_data)
{
    WCHAR name[32], value[MAX_PATH];
    const WCHAR *end;
    size_t len = 0, add;

    while (*in) {
        if (*in != L'%') {
            if (len + 1 >= size)
                return FALSE;
            out[len++] = *in++;
            continue;
        }
        end = wcschr(in + 1, L'%');
        if (!end || end - in - 1 <= 0 || end - in - 1 >= (ptrdiff_t)ARRAYSIZE(name))
            return FALSE;
        lstrcpynW(name, in + 1, (int)(end - in));
        if (!_wcsicmp(name, L"SystemRoot") || !_wcsicmp(name, L"windir")) {
            if (!system_root(value, MAX_PATH))
                return FALSE;
        } else if (!_wcsicmp(name, L"SystemDrive")) {
            if (!system_root(value, MAX_PATH))
                return FALSE;
            value[2] = 0;
        } else if (program_data && !_wcsicmp(name, L"ProgramData")) {
            if (!storage_program_data(value, MAX_PATH))
                return FALSE;
        } else {
            return FALSE;
        }
        add = wcslen(value);
        if (len + add >= size)
            return FALSE;
        wmemcpy(out + len, value, add);
        len += add;
        in = end + 1;
    }
    out[len] = 0;
    return TRUE;
}

BOOL storage_program_data(WCHAR *out, DWORD size)
{
    WCHAR stored[MAX_PATH];
    DWORD bytes = sizeof(stored);
    int n;

    if (RegGetValueW(HKEY_LOCAL_MACHINE, PROFILE_LIST, L"ProgramData",
                     RRF_RT_REG_SZ | RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND, NULL, stored,
                     &bytes) == ERROR_SUCCESS &&
        expand_system(stored, out, size, FALSE))
        return TRUE;
    /* Not recorded: where Windows puts it, on the system drive. */
    if (!system_root(stored, MAX_PATH))
        return FALSE;
    n = _snwprintf(out, size, L"%.2ls\\ProgramData", stored);
    return n > 0 && (DWORD)n < size;
}

BOOL storage_expand(const WCHAR *in, WCHAR *out, DWORD size)
{
    return expand_system(in, out, size, TRUE);
}

/* `readers` as a SID string: itself when it is one, else the SID of the
 * account of that name. */
static BOOL readers_sid(const WCHAR *readers, WCHAR *out, size_t size)
{
    BYTE sid[SECURITY_MAX_SID_SIZE];
    WCHAR domain[256], *text;
    DWORD sid_size = sizeof(sid), domain_size = ARRAYSIZE(domain);
    SID_NAME_USE use;
    PSID parsed;
    BOOL ok;

    if (ConvertStringSidToSidW(readers, &parsed)) {
        ok = ConvertSidToStringSidW(parsed, &text);
        LocalFree(parsed);
    } else {
        ok = LookupAccountNameW(NULL, readers, sid, &sid_size, domain, &domain_size, &use) &&
             ConvertSidToStringSidW(sid, &text);
    }
    if (!ok)
        return FALSE;
    ok = wcslen(text) < size;
    if (ok)
        wcscpy(out, text);
    LocalFree(text);
    return ok;
}

PSECURITY_DESCRIPTOR storage_security(enum storage_kind kind, const WCHAR *readers)
{
    WCHAR sddl[512], sid[SID_STRING_MAX] = L"";
    PSECURITY_DESCRIPTOR sd = NULL;

    if (readers && !readers_sid(readers, sid, ARRAYSIZE(sid)))
        return NULL;
    switch (kind) {
    case STORAGE_FOLDER:
        _snwprintf(sddl, ARRAYSIZE(sddl),
                   L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICIIO;FA;;;CO)(A;;" ADD_FILES_ONLY
                   L";;;BU)%ls%ls%ls", sid[0] ? L"(A;OICI;FR;;;" : L"", sid, sid[0] ? L")" : L"");
        break;
    case STORAGE_CAPTURE_FILE:
        _snwprintf(sddl, ARRAYSIZE(sddl), L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;OW)%ls%ls%ls",
                   sid[0] ? L"(A;;FR;;;" : L"", sid, sid[0] ? L")" : L"");
        break;
    case STORAGE_LOG_FILE:
        _snwprintf(sddl, ARRAYSIZE(sddl), L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;" APPEND_ONLY
                   L";;;BU)%ls%ls%ls", sid[0] ? L"(A;;FR;;;" : L"", sid, sid[0] ? L")" : L"");
        break;
    }
    sddl[ARRAYSIZE(sddl) - 1] = 0;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
        return NULL;
    return sd;
}

/* Whether the handle's object is where `path` says: no link, junction or
 * other reparse point on the way, and (a file) no second name. */
static DWORD check_place(HANDLE handle, const WCHAR *path)
{
    WCHAR full[MAX_PATH], final[MAX_PATH + 8], *resolved = final;
    BY_HANDLE_FILE_INFORMATION info;
    DWORD n;

    n = GetFullPathNameW(path, MAX_PATH, full, NULL);
    if (n == 0 || n >= MAX_PATH)
        return ERROR_FILENAME_EXCED_RANGE;
    n = GetFinalPathNameByHandleW(handle, final, ARRAYSIZE(final),
                                  FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
    if (n == 0 || n >= ARRAYSIZE(final))
        return GetLastError() ? GetLastError() : ERROR_FILENAME_EXCED_RANGE;
    if (!wcsncmp(resolved, L"\\\\?\\", 4))
        resolved += 4;
    n = (DWORD)wcslen(full);
    while (n > 3 && full[n - 1] == L'\\')
        full[--n] = 0;
    if (_wcsicmp(resolved, full))
        return ERROR_CANT_RESOLVE_FILENAME;
    if (!GetFileInformationByHandle(handle, &info))
        return GetLastError();
    if (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT)
        return ERROR_CANT_RESOLVE_FILENAME;
    if (!(info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && info.nNumberOfLinks > 1)
        return ERROR_CANT_RESOLVE_FILENAME;
    return 0;
}

static BOOL is_own_user(PSID owner)
{
    BYTE buffer[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
    HANDLE token;
    DWORD size;
    BOOL same = FALSE;

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
        return FALSE;
    if (GetTokenInformation(token, TokenUser, buffer, sizeof(buffer), &size))
        same = EqualSid(owner, ((TOKEN_USER *)buffer)->User.Sid);
    CloseHandle(token);
    return same;
}

/* A folder that SYSTEM, Administrators or this process's user owns: one
 * another user made could be theirs to redirect or read. */
static DWORD check_owner(HANDLE handle)
{
    PSECURITY_DESCRIPTOR sd;
    PSID owner;
    DWORD error = GetSecurityInfo(handle, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION, &owner,
                                  NULL, NULL, NULL, &sd);

    if (error)
        return error;
    if (!IsWellKnownSid(owner, WinLocalSystemSid) &&
        !IsWellKnownSid(owner, WinBuiltinAdministratorsSid) && !is_own_user(owner))
        error = ERROR_INVALID_OWNER;
    LocalFree(sd);
    return error;
}

DWORD storage_make_directory(const WCHAR *dir, PSECURITY_DESCRIPTOR sd)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), sd, FALSE };
    WCHAR partial[MAX_PATH];
    size_t len = wcslen(dir), i = 3;  /* after "C:\" */
    HANDLE handle;
    DWORD error;

    if (len >= MAX_PATH)
        return ERROR_FILENAME_EXCED_RANGE;
    if (dir[0] == L'\\' && dir[1] == L'\\') {
        /* \\server\share\: the share itself exists or nothing does. */
        int separators = 0;
        for (i = 2; i < len && separators < 2; i++)
            separators += dir[i] == L'\\';
    }
    for (; i <= len; i++) {
        if (dir[i] != L'\\' && dir[i] != 0)
            continue;
        lstrcpynW(partial, dir, (int)i + 1);
        CreateDirectoryW(partial, &sa);
    }
    handle = CreateFileW(dir, READ_CONTROL | FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                         OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT,
                         NULL);
    if (handle == INVALID_HANDLE_VALUE)
        return GetLastError();
    error = check_place(handle, dir);
    if (!error)
        error = check_owner(handle);
    CloseHandle(handle);
    return error;
}

HANDLE storage_open_file(const WCHAR *path, DWORD access, DWORD share, DWORD disposition,
                         PSECURITY_DESCRIPTOR sd, DWORD *error)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), sd, FALSE };
    HANDLE file = CreateFileW(path, access | FILE_READ_ATTRIBUTES, share, &sa, disposition,
                              FILE_ATTRIBUTE_NORMAL | FILE_FLAG_OPEN_REPARSE_POINT, NULL);

    if (file == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        return file;
    }
    *error = check_place(file, path);
    if (*error) {
        CloseHandle(file);
        return INVALID_HANDLE_VALUE;
    }
    return file;
}
