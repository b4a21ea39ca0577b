/* SPDX-License-Identifier: MIT */
/* The front end as the only ws2_32 (test/frontend_names.c): what a module
 * that answered for ws2_32.dll must be, checked in the process that got it. */
#ifndef LSPKIT_TEST_FRONTEND_NAMES_H
#define LSPKIT_TEST_FRONTEND_NAMES_H

#include <windows.h>

/* Ways of reaching ws2_32 that a program may take first. */
#define FN_WAY_NAME           "name"            /* LoadLibrary("ws2_32.dll") */
#define FN_WAY_SYSTEM32       "search_system32" /* LoadLibraryEx(LOAD_LIBRARY_SEARCH_SYSTEM32) */
#define FN_WAY_PATH           "system32_path"   /* LoadLibrary("C:\windows\system32\ws2_32.dll") */

/* What went wrong, as bits (0: nothing). */
enum fn_fault {
    FN_NOT_LOADED  = 1 << 0,  /* the way gave no module */
    FN_PRELOADED   = 1 << 1,  /* ws2_32 was there before the way was taken */
    FN_BUILTIN     = 1 << 2,  /* the module is Wine's builtin ws2_32 */
    FN_OTHER_WAY   = 1 << 3,  /* another way, taken afterwards, gave another module */
    FN_NO_SOCKET   = 1 << 4,  /* a TCP socket or its SO_PROTOCOL_INFOW failed */
    FN_NOT_OURS    = 1 << 5,  /* the socket's catalog entry is not the arrangement's */
};

/* Loads ws2_32 the way named by `way` (FN_WAY_*); NULL when unknown. */
HMODULE fn_load(const char *way);

/* Checks `module`, the ws2_32 this process got: not Wine's, the one every
 * other way gives, and its TCP sockets from the arrangement's provider
 * (lspkit_base.dll; in the layered arrangement a chain entry of
 * lspkit.dll). Prints what it finds; returns enum fn_fault bits. */
unsigned fn_check(HMODULE module, BOOL layered);

#endif
