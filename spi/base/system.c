/* SPDX-License-Identifier: MIT */
/* Binding to Wine's ws2_32.
 *
 * Never linked with -lws2_32: under Wine the module named ws2_32.dll in the
 * process is our own front end, and calling it would route straight back
 * into this provider. spi/sysws2.c loads Wine's under its private name. */
#include "base.h"
#include "../sysws2.h"

struct base_system sys;

static INIT_ONCE bind_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK bind_all(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
#define BASE_SYSTEM_BIND(type, name) \
    if (!(sys.name = (type)sysws2_proc(#name))) \
        return FALSE;
    BASE_SYSTEM_FUNCTIONS(BASE_SYSTEM_BIND)
#undef BASE_SYSTEM_BIND
    return TRUE;
}

BOOL base_system_bind(void)
{
    return InitOnceExecuteOnce(&bind_once, bind_all, NULL, NULL);
}
