/* SPDX-License-Identifier: MIT */
/* Converting protocol infos between their ANSI and wide forms. */
#include <stddef.h>
#include <string.h>
#include <wchar.h>
#include "protocol_info.h"

_Static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == offsetof(WSAPROTOCOL_INFOW, szProtocol),
               "the A and W protocol infos differ only in szProtocol");

/* The longest prefix of `name` (`length` characters, a surrogate pair
 * counted as two) whose ANSI form fits `size` - 1 bytes, written to `out`
 * and terminated. WideCharToMultiByte fails outright when the output does
 * not fit, so shorter prefixes are tried, never cutting a pair. */
static void narrow_name(const WCHAR *name, int length, char *out, int size)
{
    int written = 0;

    while (length > 0) {
        written = WideCharToMultiByte(CP_ACP, 0, name, length, out, size - 1, NULL, NULL);
        if (written > 0)
            break;
        length--;
        if (length > 0 && IS_HIGH_SURROGATE(name[length - 1]))
            length--;
    }
    out[written > 0 ? written : 0] = '\0';
}

void protocol_info_narrow(const WSAPROTOCOL_INFOW *wide, WSAPROTOCOL_INFOA *narrow)
{
    memcpy(narrow, wide, offsetof(WSAPROTOCOL_INFOW, szProtocol));
    narrow_name(wide->szProtocol, (int)wcsnlen(wide->szProtocol, WSAPROTOCOL_LEN),
                narrow->szProtocol, sizeof(narrow->szProtocol));
}

BOOL protocol_info_widen(const WSAPROTOCOL_INFOA *narrow, WSAPROTOCOL_INFOW *wide)
{
    int length = (int)strnlen(narrow->szProtocol, WSAPROTOCOL_LEN), written = 0;

    memcpy(wide, narrow, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    if (length > 0) {
        written = MultiByteToWideChar(CP_ACP, 0, narrow->szProtocol, length,
                                      wide->szProtocol, WSAPROTOCOL_LEN);
        if (written <= 0)
            return FALSE;
    }
    wide->szProtocol[written] = L'\0';
    return TRUE;
}
