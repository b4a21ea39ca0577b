/* SPDX-License-Identifier: MIT */
/* The wide-string functions of the shim (winsock2.h), for 16-bit WCHAR. */
#include "winsock2.h"

#include <stdarg.h>

size_t shim_wcslen(const WCHAR *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t shim_wcsnlen(const WCHAR *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int shim_wcscmp(const WCHAR *a, const WCHAR *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (int)*a - (int)*b;
}

WCHAR *shim_wcsncpy(WCHAR *dst, const WCHAR *src, size_t n)
{
    size_t i;

    for (i = 0; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = 0;
    return dst;
}

static WCHAR lower(WCHAR c)
{
    return c >= 'A' && c <= 'Z' ? (WCHAR)(c + 32) : c;
}

int shim_wcsicmp(const WCHAR *a, const WCHAR *b)
{
    while (*a && lower(*a) == lower(*b))
        a++, b++;
    return (int)lower(*a) - (int)lower(*b);
}

/* UTF-16 to UTF-8 as Windows does it for valid text; a lone surrogate
 * becomes U+FFFD. in_len -1: up to and including the NUL. Returns the bytes
 * written, or 0 when they do not fit. */
int WideCharToMultiByte(unsigned page, DWORD flags, const WCHAR *in, int in_len, char *out,
                        int out_size, const char *fallback, BOOL *used)
{
    int i, n = 0, len = in_len < 0 ? (int)shim_wcslen(in) + 1 : in_len;
    uint32_t c;

    (void)page, (void)flags, (void)fallback, (void)used;
    for (i = 0; i < len; i++) {
        c = in[i];
        if (c >= 0xd800 && c < 0xdc00 && i + 1 < len && in[i + 1] >= 0xdc00 &&
            in[i + 1] < 0xe000)
            c = 0x10000 + ((c - 0xd800) << 10) + (in[++i] - 0xdc00);
        else if (c >= 0xd800 && c < 0xe000)
            c = 0xfffd;
        if (n + 4 > out_size && (c >= 0x10000 ? 4 : c >= 0x800 ? 3 : c >= 0x80 ? 2 : 1) >
                                    out_size - n)
            return 0;
        if (c < 0x80) {
            out[n++] = (char)c;
        } else if (c < 0x800) {
            out[n++] = (char)(0xc0 | c >> 6);
            out[n++] = (char)(0x80 | (c & 0x3f));
        } else if (c < 0x10000) {
            out[n++] = (char)(0xe0 | c >> 12);
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[n++] = (char)(0x80 | (c & 0x3f));
        } else {
            out[n++] = (char)(0xf0 | c >> 18);
            out[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
            out[n++] = (char)(0x80 | (c & 0x3f));
        }
    }
    return n;
}

int _snwprintf(WCHAR *out, size_t size, const WCHAR *format, ...)
{
    const WCHAR *arg;
    size_t n = 0;
    va_list ap;

    va_start(ap, format);
    for (; *format && n < size; format++) {
        if (format[0] == '%' && format[1] == 'l' && format[2] == 's') {
            for (arg = va_arg(ap, const WCHAR *); *arg && n < size; arg++)
                out[n++] = *arg;
            format += 2;
        } else {
            out[n++] = *format;
        }
    }
    va_end(ap);
    if (n < size)
        out[n] = 0;
    return (int)n;
}
