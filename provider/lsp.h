/* SPDX-License-Identifier: MIT */
/* Internals shared by the files of the layered service provider (lspkit.dll).
 *
 * The provider sits on a protocol chain of the Winsock catalog: each of its
 * chain entries names its own hidden layered entry first and the next link
 * (a base provider or another layered provider) second. Every socket it
 * hands out is a non-IFS handle from WPUCreateSocketHandle whose context is
 * a struct context (context.h) holding the next provider's socket. Calls
 * without an overlapped structure go straight down; overlapped ones run on
 * the provider's own WSAOVERLAPPED (overlapped.h) and complete to the
 * caller from a worker thread (worker.h). Only WSPStartup and the test
 * query of inspect.c are exported (lspkit.def). */
#ifndef LSPKIT_PROVIDER_LSP_H
#define LSPKIT_PROVIDER_LSP_H

#include <winsock2.h>
#include <ws2spi.h>

/* The upcall table of the front end that started us (startup.c); set by
 * the first WSPStartup and unchanged until the last WSPCleanup. */
extern WSPUPCALLTABLE lsp_upcalls;

/* This DLL (startup.c). */
extern HMODULE lsp_module;

/* Fills every entry of a proc table with this provider's functions (startup.c). */
void lsp_fill_proc_table(LPWSPPROC_TABLE table);

/* Sets *lpErrno and returns SOCKET_ERROR: the common error exit. */
static inline int lsp_fail(LPINT lpErrno, int error)
{
    *lpErrno = error;
    return SOCKET_ERROR;
}

/* The WSP* functions (lspkit/wsp.h), one group per file, gathered by
 * lsp_fill_proc_table. */
#include "lspkit/wsp.h"

#endif
