/* SPDX-License-Identifier: MIT */
/* Whether a file is a provider or a filter DLL, read as data (pe.c):
 * install checks a provider before any catalog entry names it, since an
 * entry naming a file that is not one breaks every socket of its
 * protocols; filter add checks a filter before lspkit.dll is told to load
 * it into every program. */
#ifndef LSPKIT_INSTALLER_PE_H
#define LSPKIT_INSTALLER_PE_H

#include <windows.h>

/* NULL when `path` (already expanded) is a DLL for `machine`
 * (IMAGE_FILE_MACHINE_AMD64, IMAGE_FILE_MACHINE_I386...) that exports
 * WSPStartup and, unless `module` is NULL, whose export table names it
 * `module` ("lspkit.dll"); else why not, as a predicate ("is not a DLL").
 * Nothing is loaded or run. */
const char *pe_provider_problem(const WCHAR *path, WORD machine, const char *module);
/* NULL when `path` is a DLL for `machine` that exports lspkit_filter_open
 * (include/lspkit/filter.h); else why not, as above. */
const char *pe_filter_problem(const WCHAR *path, WORD machine);

#endif
