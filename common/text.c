/* SPDX-License-Identifier: MIT */
/* Wide text made narrow (text.h). */
#include <limits.h>
#include <wchar.h>
#include "text.h"

char *text_narrow(UINT code_page, const WCHAR *text, int length, char *out, size_t size)
{
    int room = size - 1 > INT_MAX ? INT_MAX : (int)(size - 1);
    int full = length < 0 ? (int)wcslen(text) : length;
    int n = full < room ? full : room;   /* a character takes a byte at least */
    int written = 0;

    /* WideCharToMultiByte fails outright when the text does not fit, so
     * ever shorter prefixes are tried. */
    while (n > 0) {
        if (n < full && IS_HIGH_SURROGATE(text[n - 1]))
            n--;
        if (n > 0 && (written = WideCharToMultiByte(code_page, 0, text, n, out, room, NULL,
                                                    NULL)) > 0)
            break;
        n--;
    }
    out[written > 0 ? written : 0] = '\0';
    return out;
}

char *text_utf8(const WCHAR *text, char *out, size_t size)
{
    return text_narrow(CP_UTF8, text, -1, out, size);
}
