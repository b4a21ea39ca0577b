/* SPDX-License-Identifier: MIT */
#include "sysws2.h"

#include <string.h>

static INIT_ONCE load_once = INIT_ONCE_STATIC_INIT;
static HMODULE system_ws2;

BOOL sysws2_is_wine_builtin(HMODULE module)
{
    static const char mark[] = "Wine builtin DLL";
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)module;

    return module && dos->e_magic == IMAGE_DOS_SIGNATURE &&
           memcmp((const char *)module + sizeof(*dos), mark, sizeof(mark)) == 0;
}

/* system32\ws2_32.dll, kept only when it is Wine's: under bin/lspkit-wine
 * that path is the front end itself. */
static HMODULE load_system32_builtin(void)
{
    WCHAR path[MAX_PATH];
    UINT len = GetSystemDirectoryW(path, MAX_PATH);
    HMODULE module;

    if (!len || len + 12 >= MAX_PATH)
        return NULL;
    lstrcatW(path, L"\\ws2_32.dll");
    module = LoadLibraryW(path);
    if (module && !sysws2_is_wine_builtin(module)) {
        FreeLibrary(module);
        SetLastError(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    return module;
}

static BOOL CALLBACK load_system_ws2(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    system_ws2 = LoadLibraryW(SYSWS2_PRIVATE_NAME);
    if (!system_ws2)
        system_ws2 = load_system32_builtin();
    return system_ws2 != NULL;
}

HMODULE sysws2_module(void)
{
    InitOnceExecuteOnce(&load_once, load_system_ws2, NULL, NULL);
    return system_ws2;
}

FARPROC sysws2_proc(const char *name)
{
    HMODULE module = sysws2_module();
    return module ? GetProcAddress(module, name) : NULL;
}
