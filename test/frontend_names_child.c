/* SPDX-License-Identifier: MIT */
/* The child of test/frontend_names.c: reaches ws2_32 first by the way its
 * first argument names, then checks what it got (fn_check). It does not
 * import ws2_32, so that nothing loads it before. Exit code: the faults. */
#include <stdio.h>
#include <string.h>
#include "frontend_names.h"

int main(int argc, char **argv)
{
    HMODULE module;

    if (argc < 2)
        return 255;
    if (GetModuleHandleW(L"ws2_32.dll"))
        return FN_PRELOADED;
    module = fn_load(argv[1]);
    printf("%s:\n", argv[1]);
    return (int)fn_check(module, argc > 2 && !strcmp(argv[2], "layered"));
}
