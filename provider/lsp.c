/* SPDX-License-Identifier: MIT */
/* What every file of the provider reads (lsp.h): this DLL, the front end's
 * upcalls and our own proc table. The first WSPStartup (startup.c) writes
 * them; they live here so that the files that read them need not reach
 * into startup.c, which calls them all. */
#include "lsp.h"

WSPUPCALLTABLE lsp_upcalls;
HMODULE lsp_module;
WSPPROC_TABLE lsp_procs;
