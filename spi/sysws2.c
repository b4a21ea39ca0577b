/* SPDX-License-Identifier: MIT */
#include "sysws2.h"

static INIT_ONCE load_once = INIT_ONCE_STATIC_INIT;
static HMODULE system_ws2;

static BOOL CALLBACK load_system_ws2(INIT_ONCE *once, void *param, void **context)
{
    WCHAR path[MAX_PATH];
    UINT len;

    (void)once; (void)param; (void)context;
    len = GetSystemDirectoryW(path, MAX_PATH);
    if (!len || len + 12 >= MAX_PATH)
        return FALSE;
    lstrcatW(path, L"\\ws2_32.dll");
    system_ws2 = LoadLibraryW(path);
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
