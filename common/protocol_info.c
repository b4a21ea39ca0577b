/* SPDX-License-Identifier: MIT */
/* Converting protocol infos between their ANSI and wide forms. */
#include <stddef.h>
#include <string.h>
#include <wchar.h>
#include "protocol_info.h"
#include "text.h"

_Static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == offsetof(WSAPROTOCOL_INFOW, szProtocol),
               "the A and W protocol infos differ only in szProtocol");

void protocol_info_narrow(const WSAPROTOCOL_INFOW *wide, WSAPROTOCOL_INFOA *narrow)
{
    memcpy(narrow, wide, offsetof(WSAPROTOCOL_INFOW, szProtocol));
    text_narrow(CP_ACP, wide->szProtocol, (int)wcsnlen(wide->szProtocol, WSAPROTOCOL_LEN),
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
