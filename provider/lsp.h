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
 * caller from a worker thread (worker.h). Only WSPStartup is exported
 * (lspkit.def). */
#ifndef LSPKIT_PROVIDER_LSP_H
#define LSPKIT_PROVIDER_LSP_H

#include <winsock2.h>
#include <ws2spi.h>

/* Set by the first WSPStartup (startup.c) and unchanged after it; defined
 * in lsp.c. */
/* The upcall table of the front end that started us. */
extern WSPUPCALLTABLE lsp_upcalls;
/* This DLL. */
extern HMODULE lsp_module;
/* This provider's own proc table: every entry one of its WSP functions. */
extern WSPPROC_TABLE lsp_procs;

/* Sets *lpErrno and returns SOCKET_ERROR: the common error exit. */
static inline int lsp_fail(LPINT lpErrno, int error)
{
    *lpErrno = error;
    return SOCKET_ERROR;
}

/* The WSP* functions (lspkit/wsp.h), one group per file, gathered into
 * lsp_procs by startup.c. */
#include "lspkit/wsp.h"

#endif
