/* SPDX-License-Identifier: MIT */
/* Command-line options (see lspinst.h). */
#include "lspinst.h"

#include <wchar.h>

void args_init(struct args *a, int argc, WCHAR **argv)
{
    a->argc = argc;
    a->argv = argv;
    a->i = 0;            /* argv[0] is the command itself */
    a->value = NULL;
    a->bad = FALSE;
}

BOOL args_next(struct args *a)
{
    return ++a->i < a->argc;
}

BOOL args_flag(struct args *a, const WCHAR *name)
{
    return !wcscmp(a->argv[a->i], name);
}

BOOL args_value(struct args *a, const WCHAR *name)
{
    const WCHAR *arg = a->argv[a->i];
    size_t n = wcslen(name);

    if (wcsncmp(arg, name, n))
        return FALSE;
    if (arg[n] == L'=') {
        a->value = arg + n + 1;
        return TRUE;
    }
    if (arg[n])
        return FALSE;
    if (a->i + 1 >= a->argc) {
        complain("option %s needs a value", u8(0, name));
        a->bad = TRUE;
        a->value = L"";
        return TRUE;
    }
    a->value = a->argv[++a->i];
    return TRUE;
}

int args_unknown(struct args *a, const char *command)
{
    complain("%s: unknown argument '%s' (see lspinst --help)", command, u8(0, a->argv[a->i]));
    return EXIT_USAGE;
}
