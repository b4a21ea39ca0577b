/* SPDX-License-Identifier: MIT */
/* fn_load and fn_check (test/frontend_names.h): shared by the test and its
 * child, which must not import ws2_32 so that its first load is the way
 * under test. Every Winsock function is taken from the module checked. */
#include <winsock2.h>
#include <ws2spi.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "frontend_names.h"
#include "../spi/sysws2.h"

typedef int (WSAAPI *startup_fn)(WORD, LPWSADATA);
typedef SOCKET (WSAAPI *socket_fn)(int, int, int);
typedef int (WSAAPI *getsockopt_fn)(SOCKET, int, int, char *, int *);
typedef int (WSAAPI *close_fn)(SOCKET);
typedef int (WSAAPI *path_fn)(LPGUID, WCHAR *, LPINT, LPINT);

static HMODULE load_system32_path(void)
{
    WCHAR path[MAX_PATH];
    UINT n = GetSystemDirectoryW(path, MAX_PATH);

    if (!n || n + 12 >= MAX_PATH)
        return NULL;
    return LoadLibraryW(wcscat(path, L"\\ws2_32.dll"));
}

HMODULE fn_load(const char *way)
{
    if (!strcmp(way, FN_WAY_NAME))
        return LoadLibraryW(L"ws2_32.dll");
    if (!strcmp(way, FN_WAY_SYSTEM32))
        return LoadLibraryExW(L"ws2_32.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    if (!strcmp(way, FN_WAY_PATH))
        return load_system32_path();
    return NULL;
}

/* Every way, taken again now that `module` is loaded, must give it. */
static unsigned check_other_ways(HMODULE module)
{
    static const char *ways[] = { FN_WAY_NAME, FN_WAY_SYSTEM32, FN_WAY_PATH };
    unsigned faults = 0;

    for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
        HMODULE again = fn_load(ways[i]);
        if (again != module) {
            printf("  %s gave %p, not %p\n", ways[i], (void *)again, (void *)module);
            faults |= FN_OTHER_WAY;
        }
    }
    if (GetModuleHandleW(L"ws2_32.dll") != module) {
        printf("  GetModuleHandle gave %p, not %p\n", (void *)GetModuleHandleW(L"ws2_32.dll"),
               (void *)module);
        faults |= FN_OTHER_WAY;
    }
    return faults;
}

/* Whether the provider path `path` ends with `dll`. */
static BOOL is_provider(const WCHAR *path, const WCHAR *dll)
{
    size_t n = wcslen(path), m = wcslen(dll);
    return n >= m && !_wcsicmp(path + n - m, dll);
}

/* A TCP socket made through `module`, and the provider its entry names. */
static unsigned check_socket(HMODULE module, BOOL layered)
{
    startup_fn startup = (startup_fn)(void *)GetProcAddress(module, "WSAStartup");
    socket_fn make = (socket_fn)(void *)GetProcAddress(module, "socket");
    getsockopt_fn get = (getsockopt_fn)(void *)GetProcAddress(module, "getsockopt");
    close_fn close = (close_fn)(void *)GetProcAddress(module, "closesocket");
    path_fn provider_path = (path_fn)(void *)GetProcAddress(module, "WSCGetProviderPath");
    WSAPROTOCOL_INFOW info;
    WCHAR path[MAX_PATH] = L"";
    int len = sizeof(info), path_len = MAX_PATH, error = 0;
    WSADATA data;
    SOCKET s;

    if (!startup || !make || !get || !close || !provider_path ||
        startup(MAKEWORD(2, 2), &data) != 0)
        return FN_NO_SOCKET;
    s = make(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET || get(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len)) {
        printf("  no TCP socket or no SO_PROTOCOL_INFOW\n");
        return FN_NO_SOCKET;
    }
    provider_path(&info.ProviderId, path, &path_len, &error);
    close(s);
    printf("  TCP socket: entry %lu, chain length %d, provider %ls\n", info.dwCatalogEntryId,
           info.ProtocolChain.ChainLen, path);
    if (layered ? info.ProtocolChain.ChainLen < 2 || !is_provider(path, L"\\lspkit.dll")
                : info.ProtocolChain.ChainLen != 1 || !is_provider(path, L"\\lspkit_base.dll"))
        return FN_NOT_OURS;
    return 0;
}

unsigned fn_check(HMODULE module, BOOL layered)
{
    WCHAR file[MAX_PATH] = L"";

    if (!module)
        return FN_NOT_LOADED;
    GetModuleFileNameW(module, file, MAX_PATH);
    printf("  module %p: %ls%s\n", (void *)module, file,
           sysws2_is_wine_builtin(module) ? ", Wine's builtin" : "");
    if (sysws2_is_wine_builtin(module))
        return FN_BUILTIN;
    return check_other_ways(module) | check_socket(module, layered);
}
