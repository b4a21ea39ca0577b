/* SPDX-License-Identifier: MIT */
/* Registering a filter for lspkit.dll (include/lspkit/filter.h) from a
 * test program, before its first socket: lspkit.dll reads the filters
 * once a process, at its first WSPStartup. */
#ifndef LSPKIT_TEST_FILTER_REGISTRY_H
#define LSPKIT_TEST_FILTER_REGISTRY_H

#include <windows.h>

/* Writes HKLM\SOFTWARE\lspkit\Filters\NAME: Path, DLL (a path relative to
 * this program's directory) made absolute, and Position. Then each pair
 * of SETTINGS (value name, REG_MULTI_SZ data ending in an empty string),
 * ended by NULL. The test fails when anything cannot be written. */
void filter_register(const WCHAR *name, const WCHAR *dll, DWORD position,
                     const WCHAR *const *settings);

#endif
