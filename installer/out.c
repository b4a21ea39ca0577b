/* SPDX-License-Identifier: MIT */
/* Output helpers (see lspinst.h). */
#include "lspinst.h"
#include "../common/text.h"

#include <stdarg.h>
#include <stdio.h>

void say(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

void complain(const char *format, ...)
{
    va_list args;

    fflush(stdout);
    fputs("lspinst: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
}

const char *u8(int slot, const WCHAR *text)
{
    static char buf[4][MAX_PATH * 4];

    slot &= 3;
    return text_utf8(text, buf[slot], sizeof(buf[slot]));
}
