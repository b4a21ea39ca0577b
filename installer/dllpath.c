/* SPDX-License-Identifier: MIT */
/* The file a catalog's processes load for a stored provider path, and
 * whether it is a provider DLL for them (lspinst.h). */
#include "lspinst.h"
#include "pe.h"

#include <wchar.h>

#define LSPKIT_MODULE "lspkit.dll"

/* The native catalog's is this build's kind, the 32-bit one's x86. */
WORD machine_of(enum cm_view view)
{
#ifdef _WIN64
    return view == CM_VIEW_NATIVE ? IMAGE_FILE_MACHINE_AMD64 : IMAGE_FILE_MACHINE_I386;
#else
    (void)view;
    return IMAGE_FILE_MACHINE_I386;
#endif
}

#ifdef _WIN64
/* A 32-bit process on 64-bit Windows that opens a file in system32 gets
 * the one in SysWOW64 (file system redirection): the 32-bit catalog's
 * "%SystemRoot%\system32\mswsock.dll" is the 32-bit mswsock. */
static void redirect_for_32(WCHAR *file)
{
    WCHAR system[MAX_PATH], wow[MAX_PATH], rest[MAX_PATH];
    UINT n = GetSystemDirectoryW(system, MAX_PATH);

    if (!n || n >= MAX_PATH || _wcsnicmp(file, system, n) || file[n] != L'\\' ||
        !GetSystemWow64DirectoryW(wow, MAX_PATH))
        return;
    wcscpy(rest, file + n);
    if (wcslen(wow) + wcslen(rest) < MAX_PATH)
        swprintf(file, MAX_PATH, L"%ls%ls", wow, rest);
}
#endif

BOOL dll_file_of(const WCHAR *path, enum cm_view view, WCHAR file[MAX_PATH])
{
    DWORD n = ExpandEnvironmentStringsW(path, file, MAX_PATH);

    if (!n || n > MAX_PATH)
        return FALSE;
#ifdef _WIN64
    if (view == CM_VIEW_32)
        redirect_for_32(file);
#else
    (void)view;
#endif
    return TRUE;
}

const char *dll_problem(const WCHAR *path, enum cm_view view, BOOL ours, void *ctx)
{
    WCHAR file[MAX_PATH];
    DWORD attributes;

    (void)ctx;
    if (!dll_file_of(path, view, file))
        return "is too long once expanded";
    attributes = GetFileAttributesW(file);
    if (attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY))
        return "does not exist";
    return pe_provider_problem(file, machine_of(view), ours ? LSPKIT_MODULE : NULL);
}
