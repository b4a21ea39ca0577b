/* SPDX-License-Identifier: MIT */
/* The system's own ws2_32, loaded by its system32 path.
 *
 * Under Wine our front end is a native override named ws2_32.dll, so a plain
 * LoadLibrary("ws2_32.dll") would return ourselves. Loading the file by its
 * full system32 path gives Wine's builtin module, which coexists with ours. */
#ifndef LSPKIT_SYSWS2_H
#define LSPKIT_SYSWS2_H

#include <windows.h>

/* Returns the module handle, loading it on first use; NULL if it cannot be
 * loaded (GetLastError tells why). Thread-safe; the module stays loaded for
 * the life of the process. */
HMODULE sysws2_module(void);

/* Looks up an export of the system ws2_32; NULL when missing. */
FARPROC sysws2_proc(const char *name);

#endif
