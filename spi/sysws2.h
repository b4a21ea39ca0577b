/* SPDX-License-Identifier: MIT */
/* Wine's own Winsock, the transport under the front end and the base
 * provider.
 *
 * The name ws2_32.dll belongs to the front end: bin/lspkit-wine installs it
 * as the prefix's system32\ws2_32.dll and makes Wine prefer it, so that
 * every way a program can reach ws2_32 (import, LoadLibrary by name or by
 * path, LoadLibraryEx with LOAD_LIBRARY_SEARCH_SYSTEM32, GetModuleHandle)
 * ends at the front end. Wine's builtin ws2_32 is loaded under a private
 * name, SYSWS2_PRIVATE_NAME, which the launcher provides; a module with a
 * name of its own never answers for ws2_32.dll. */
#ifndef LSPKIT_SYSWS2_H
#define LSPKIT_SYSWS2_H

#include <windows.h>

#define SYSWS2_PRIVATE_NAME L"lspkit_sysws2.dll"

/* Returns Wine's Winsock module, loading it on first use: under its private
 * name, or, where that is not provided (plain Wine, no front end installed),
 * system32\ws2_32.dll when that is Wine's builtin. NULL when neither is
 * there: never the front end, which would call itself. Thread-safe; the
 * module stays loaded for the life of the process. */
HMODULE sysws2_module(void);

/* Looks up an export of Wine's Winsock; NULL when missing. */
FARPROC sysws2_proc(const char *name);

/* TRUE when `module` is one of Wine's builtin DLLs, which Wine marks with
 * "Wine builtin DLL" after the DOS header. */
BOOL sysws2_is_wine_builtin(HMODULE module);

#endif
