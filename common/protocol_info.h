/* SPDX-License-Identifier: MIT */
/* WSAPROTOCOL_INFOA and WSAPROTOCOL_INFOW differ only in szProtocol, the
 * last field: the one conversion each way, shared by the front end, the
 * base provider and the layered provider. */
#ifndef LSPKIT_COMMON_PROTOCOL_INFO_H
#define LSPKIT_COMMON_PROTOCOL_INFO_H

#include <winsock2.h>

/* Copies `wide` into `narrow`, its name in the ANSI code page. A name that
 * does not fit keeps the whole characters that do; the name is always
 * terminated. */
void protocol_info_narrow(const WSAPROTOCOL_INFOW *wide, WSAPROTOCOL_INFOA *narrow);

/* Copies `narrow` into `wide`. The name is read up to its terminator or
 * the end of its field, whichever comes first, and is always terminated.
 * FALSE when the ANSI code page cannot convert it. */
BOOL protocol_info_widen(const WSAPROTOCOL_INFOA *narrow, WSAPROTOCOL_INFOW *wide);

#endif
