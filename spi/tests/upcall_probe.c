/* SPDX-License-Identifier: MIT */
/* Installing probe_provider.dll (spi/tests/probe_provider/) for the upcall tests
 * and reaching the upcall table it received. */
#include "upcall_test.h"

WSAPROTOCOL_INFOW probe_entry;
const GUID probe_guid = { 0x6c5a0100, 0x77e1, 0x4b0c, { 0x9a, 0x1e, 'u', 'p', 'c', 'a', 'l', 'l' } };
WCHAR probe_path[MAX_PATH];

/* The first TCP/IPv4 base entry, whose shape the probe's entry copies. */
static BOOL find_tcp_base(WSAPROTOCOL_INFOW *out)
{
    static WSAPROTOCOL_INFOW entries[64];
    DWORD size = sizeof(entries);
    int i, count = WSAEnumProtocolsW(NULL, entries, &size);

    for (i = 0; i < count; i++) {
        if (entries[i].iAddressFamily == AF_INET && entries[i].iSocketType == SOCK_STREAM &&
            entries[i].ProtocolChain.ChainLen == BASE_PROTOCOL) {
            *out = entries[i];
            return TRUE;
        }
    }
    return FALSE;
}

static BOOL find_probe_entry(void)
{
    static WSAPROTOCOL_INFOW entries[64];
    DWORD size = sizeof(entries);
    int i, count = WSAEnumProtocolsW(NULL, entries, &size);

    for (i = 0; i < count; i++) {
        if (IsEqualGUID(&entries[i].ProviderId, &probe_guid)) {
            probe_entry = entries[i];
            return TRUE;
        }
    }
    return FALSE;
}

const char *probe_install(void)
{
    WSAPROTOCOL_INFOW info;
    WSADATA data;
    WCHAR *slash;
    int error = 0;

    if (WSAStartup(MAKEWORD(2, 2), &data))
        return "WSAStartup failed";
    if (!find_tcp_base(&info))
        return "no TCP/IPv4 base entry";
    WSACleanup();

    GetModuleFileNameW(NULL, probe_path, MAX_PATH);
    slash = wcsrchr(probe_path, L'\\');
    if (!slash)
        return "no directory in the program path";
    lstrcpyW(slash + 1, L"probe_provider.dll");
    info.ProviderId = probe_guid;
    info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    lstrcpyW(info.szProtocol, L"lspkit upcall probe");
    if (WSCInstallProvider((GUID *)&probe_guid, probe_path, &info, 1, &error))
        return "WSCInstallProvider failed";

    /* The catalog snapshot sockets are made from is taken at WSAStartup. */
    if (WSAStartup(MAKEWORD(2, 2), &data))
        return "WSAStartup failed";
    if (!find_probe_entry())
        return "the probe's entry is not enumerated";
    return NULL;
}

const WSPUPCALLTABLE *probe_table(void)
{
    HMODULE probe = GetModuleHandleW(L"probe_provider.dll");
    probe_upcall_table_fn table =
        probe ? (probe_upcall_table_fn)(void *)GetProcAddress(probe, "probe_upcall_table") : NULL;

    return table ? table() : NULL;
}

void probe_uninstall(void)
{
    int error;

    WSACleanup();
    WSCDeinstallProvider((GUID *)&probe_guid, &error);
}
