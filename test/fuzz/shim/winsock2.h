/* SPDX-License-Identifier: MIT */
/* The few Windows and Winsock declarations that catalog/ uses, for a
 * Linux build of it (the fuzz target, test/fuzz/catalog_fuzz.c). Built with
 * -fshort-wchar, so that WCHAR and L"" literals are 16-bit as on Windows,
 * and the structures have Windows' layout. The wide-string functions
 * glibc offers assume a 32-bit wchar_t: they are renamed to shim.c's. */
#ifndef LSPKIT_FUZZ_SHIM_WINSOCK2_H
#define LSPKIT_FUZZ_SHIM_WINSOCK2_H

#include <stdint.h>
#include <string.h>
#include <wchar.h>

typedef uint8_t BYTE;
typedef uint16_t WORD;
typedef uint32_t DWORD;
typedef unsigned int UINT;
typedef uint64_t ULONGLONG;
typedef int32_t BOOL;
typedef char CHAR;
typedef wchar_t WCHAR;

typedef struct {
    uint32_t Data1;
    uint16_t Data2, Data3;
    uint8_t Data4[8];
} GUID;

#define TRUE 1
#define FALSE 0
#define MAX_PATH 260
#define MAXDWORD 0xffffffffu
#define REG_DWORD 4
#define CP_ACP 0
#define CP_UTF8 65001
#define IS_HIGH_SURROGATE(c) ((c) >= 0xd800 && (c) < 0xdc00)

#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 23
#define AF_MAX 35
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

#define MAX_PROTOCOL_CHAIN 7
#define BASE_PROTOCOL 1
#define LAYERED_PROTOCOL 0
#define WSAPROTOCOL_LEN 255
#define PFL_HIDDEN 0x00000004
#define XP1_IFS_HANDLES 0x00020000

typedef struct {
    int ChainLen;
    DWORD ChainEntries[MAX_PROTOCOL_CHAIN];
} WSAPROTOCOLCHAIN;

typedef struct {
    DWORD dwServiceFlags1, dwServiceFlags2, dwServiceFlags3, dwServiceFlags4;
    DWORD dwProviderFlags;
    GUID ProviderId;
    DWORD dwCatalogEntryId;
    WSAPROTOCOLCHAIN ProtocolChain;
    int iVersion, iAddressFamily, iMaxSockAddr, iMinSockAddr, iSocketType, iProtocol;
    int iProtocolMaxOffset, iNetworkByteOrder, iSecurityScheme;
    DWORD dwMessageSize, dwProviderReserved;
    WCHAR szProtocol[WSAPROTOCOL_LEN + 1];
} WSAPROTOCOL_INFOW;

_Static_assert(sizeof(WCHAR) == 2, "build with -fshort-wchar");
_Static_assert(sizeof(WSAPROTOCOL_INFOW) == 628, "Windows' layout");

#define IsEqualGUID(a, b) (!memcmp((a), (b), sizeof(GUID)))

#define wcslen shim_wcslen
#define wcscmp shim_wcscmp
#define wcsncpy shim_wcsncpy
#define _wcsicmp shim_wcsicmp
#define wcsnlen shim_wcsnlen
size_t shim_wcslen(const WCHAR *s);
size_t shim_wcsnlen(const WCHAR *s, size_t max);
int shim_wcscmp(const WCHAR *a, const WCHAR *b);
WCHAR *shim_wcsncpy(WCHAR *dst, const WCHAR *src, size_t n);
int shim_wcsicmp(const WCHAR *a, const WCHAR *b);
/* Only the conversions catalog/ uses: %ls and literal text. Like
 * Windows' _snwprintf, no NUL is written when the text fills `size`. */
int _snwprintf(WCHAR *out, size_t size, const WCHAR *format, ...);
int WideCharToMultiByte(unsigned page, DWORD flags, const WCHAR *in, int in_len, char *out,
                        int out_size, const char *fallback, BOOL *used);

#endif
