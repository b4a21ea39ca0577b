/* SPDX-License-Identifier: MIT */
/* Deliberately broken providers for the front end's bad-input tests. One
 * source, built once per BROKEN_* variant (test/provider_errors.mk):
 *   BROKEN_NO_STARTUP     exports no WSPStartup at all
 *   BROKEN_STARTUP_FAILS  WSPStartup returns an error
 *   BROKEN_VERSION        WSPStartup succeeds but negotiates 1.1
 *   BROKEN_HOLES          WSPStartup succeeds with a NULL in the proc table */
#include <winsock2.h>
#include <ws2spi.h>

#if defined(BROKEN_NO_STARTUP)

__declspec(dllexport) int broken_provider_has_no_startup(void);
int broken_provider_has_no_startup(void)
{
    return 1;
}

#elif defined(BROKEN_STARTUP_FAILS)

__declspec(dllexport) int WSPAPI WSPStartup(WORD version, LPWSPDATA data,
                                            LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                                            LPWSPPROC_TABLE table)
{
    (void)version; (void)data; (void)info; (void)upcalls; (void)table;
    return WSASYSNOTREADY;
}

#else

static int WSPAPI cleanup(LPINT error)
{
    *error = 0;
    return 0;
}

/* Every other slot points here. The front end must refuse these providers
 * before any slot is called, so reaching this is itself a failure: it ends
 * the process with a code the test recognises. */
static void unexpected_call(void)
{
    ExitProcess(99);
}

static void fill_table(LPWSPPROC_TABLE table)
{
    FARPROC *slot = (FARPROC *)table;
    size_t i;

    for (i = 0; i < sizeof(*table) / sizeof(FARPROC); i++)
        slot[i] = (FARPROC)unexpected_call;
    table->lpWSPCleanup = cleanup;
}

__declspec(dllexport) int WSPAPI WSPStartup(WORD version, LPWSPDATA data,
                                            LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                                            LPWSPPROC_TABLE table)
{
    (void)version; (void)info; (void)upcalls;
    fill_table(table);
    data->wVersion = MAKEWORD(2, 2);
    data->wHighVersion = MAKEWORD(2, 2);
#ifdef BROKEN_VERSION
    data->wVersion = MAKEWORD(1, 1);
#endif
#ifdef BROKEN_HOLES
    table->lpWSPSend = NULL;
#endif
    return 0;
}

#endif
