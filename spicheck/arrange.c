/* SPDX-License-Identifier: MIT */
/* arrange.c: the three arrangements a clause test runs in, and how the
 * runner sets each up for its children.
 *
 *  host      Wine's builtin ws2_32. Under bin/lspkit-wine every way to
 *            ws2_32 leads to the front end, and a child inherits that (Wine
 *            takes WINEDLLOVERRIDES from the Unix environment, which a
 *            Windows process cannot change for its children). So the
 *            children run as spicheck-host.exe from a fresh directory that
 *            also holds the host shim, hostws2\ws2_32.dll from beside this
 *            program: a ws2_32.dll whose every export forwards to Wine's
 *            own, which the launcher provides as lspkit_sysws2.dll. Without
 *            the launcher, Wine prefers its builtin to the shim.
 *  frontend  lspkit's ws2_32 (this program runs under bin/lspkit-wine),
 *            with no layered provider in the catalog: sockets come from
 *            the base provider.
 *  layered   the same, with the provider under test installed over the
 *            base TCP/UDP entries (test/layered_install.c) for the time of
 *            the run. Only the children load it: a provider that crashes
 *            or hangs takes a child with it, never the runner, which then
 *            removes it from the catalog. */
#include "spicheck.h"
#include "layered_install.h"
#include "../spi/sysws2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

const GUID sc_layered_guid = { 0x5c1c0001, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };
const GUID sc_chain_guid = { 0x5c1c0002, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };

static WCHAR host_dir[MAX_PATH];
static struct layered_install installed;
static BOOL is_installed;

const char *sc_arrangement_name(enum sc_arrangement a)
{
    static const char *names[SC_ARRANGEMENTS] = { "host", "frontend", "layered" };
    return (unsigned)a < SC_ARRANGEMENTS ? names[a] : "?";
}

int arrangement_parse(const char *name)
{
    for (int a = 0; a < SC_ARRANGEMENTS; a++)
        if (!strcmp(name, sc_arrangement_name(a)))
            return a;
    return -1;
}

unsigned arrangement_parse_over(const char *list)
{
    unsigned over = 0;
    char buf[64], *tok, *save = NULL;

    if (strlen(list) >= sizeof(buf))
        return 0;
    strcpy(buf, list);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!_stricmp(tok, "tcp"))
            over |= SC_OVER_TCP;
        else if (!_stricmp(tok, "udp"))
            over |= SC_OVER_UDP;
        else
            return 0;
    }
    return over;
}

/* The file of the module that serves this program's imported WSASend. */
static BOOL ws2_module_path(WCHAR *path, DWORD len)
{
    HMODULE module = NULL;

    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                            GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)WSASend, &module))
        return FALSE;
    return GetModuleFileNameW(module, path, len) != 0;
}

BOOL arrangement_has_front_end(void)
{
    HMODULE module = NULL;

    /* Both say C:\windows\system32\ws2_32.dll; the shim forwards WSASend
     * into Wine's: only the front end's WSASend is in a module not Wine's. */
    return GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                              GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                              (LPCWSTR)(void *)WSASend, &module) &&
           !sysws2_is_wine_builtin(module);
}

/* The catalog id of the provider's hidden layered entry, 0 when absent. */
static DWORD installed_layered_id(void)
{
    WSAPROTOCOL_INFOW *all = NULL;
    DWORD size = 0, id = 0;
    int error = 0, n;

    while ((n = WSCEnumProtocols(NULL, all, &size, &error)) == SOCKET_ERROR) {
        free(all);
        if (error != WSAENOBUFS || !(all = malloc(size)))
            return 0;
    }
    for (int i = 0; i < n && !id; i++)
        if (IsEqualGUID(&all[i].ProviderId, &sc_layered_guid))
            id = all[i].dwCatalogEntryId;
    free(all);
    return id;
}

BOOL arrangement_verify(enum sc_arrangement a)
{
    WCHAR path[MAX_PATH] = L"?";
    BOOL front = arrangement_has_front_end();

    ws2_module_path(path, MAX_PATH);
    if (a == SC_HOST && front) {
        printf("FAIL setup: the host arrangement got lspkit's ws2_32 (%ls), not Wine's\n", path);
        return FALSE;
    }
    if (a != SC_HOST && !front) {
        printf("FAIL setup: the %s arrangement needs lspkit's ws2_32, but this process has "
               "%ls (run spicheck under bin/lspkit-wine)\n", sc_arrangement_name(a), path);
        return FALSE;
    }
    if (a == SC_LAYERED && !installed_layered_id()) {
        printf("FAIL setup: the provider under test is not in the catalog\n");
        return FALSE;
    }
    return TRUE;
}

/* Copies `from` to `to`, or prints why not. */
static BOOL copy_or_say(const WCHAR *from, const WCHAR *to)
{
    if (CopyFileW(from, to, FALSE))
        return TRUE;
    printf("spicheck: cannot copy %ls to %ls: error %lu\n", from, to, GetLastError());
    return FALSE;
}

/* host: this program as spicheck-host.exe in a new directory, with the
 * host shim as its ws2_32.dll. */
static BOOL prepare_host(WCHAR *exe, size_t exe_len)
{
    WCHAR self[MAX_PATH], temp[MAX_PATH], shim[MAX_PATH], shim_copy[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, self, MAX_PATH);
    WCHAR *slash = wcsrchr(self, L'\\');

    if (!n || n >= MAX_PATH || !slash || !GetTempPathW(MAX_PATH, temp)) {
        printf("spicheck: cannot find this program or the temporary directory\n");
        return FALSE;
    }
    _snwprintf(shim, MAX_PATH, L"%.*ls\\hostws2\\ws2_32.dll", (int)(slash - self), self);
    shim[MAX_PATH - 1] = 0;
    _snwprintf(host_dir, MAX_PATH, L"%lsspicheck-host-%lu", temp, GetCurrentProcessId());
    host_dir[MAX_PATH - 1] = 0;
    _snwprintf(exe, exe_len, L"%ls\\spicheck-host.exe", host_dir);
    exe[exe_len - 1] = 0;
    _snwprintf(shim_copy, MAX_PATH, L"%ls\\ws2_32.dll", host_dir);
    shim_copy[MAX_PATH - 1] = 0;
    if (!CreateDirectoryW(host_dir, NULL) && GetLastError() != ERROR_ALREADY_EXISTS) {
        printf("spicheck: cannot make %ls: error %lu\n", host_dir, GetLastError());
        return FALSE;
    }
    return copy_or_say(self, exe) && copy_or_say(shim, shim_copy);
}

/* The base entries of the protocols in OVER, in catalog order. */
static DWORD base_entries(unsigned over, DWORD *ids)
{
    DWORD all[LAYERED_MAX_CHAINS], n = layered_base_entries(all, LAYERED_MAX_CHAINS), found = 0;
    WSAPROTOCOL_INFOW info;

    for (DWORD i = 0; i < n; i++) {
        if (layered_catalog_entry(all[i], &info))
            continue;
        if ((info.iSocketType == SOCK_STREAM && (over & SC_OVER_TCP)) ||
            (info.iSocketType == SOCK_DGRAM && (over & SC_OVER_UDP)))
            ids[found++] = all[i];
    }
    return found;
}

static BOOL WINAPI on_console_event(DWORD type)
{
    (void)type;
    arrangement_remove_installs();
    return FALSE;   /* and let the default handler end the process */
}

static BOOL prepare_layered(void)
{
    WCHAR expanded[MAX_PATH];
    DWORD ids[LAYERED_MAX_CHAINS], n;
    int error;

    if (!ExpandEnvironmentStringsW(sc_env.provider, expanded, MAX_PATH) ||
        GetFileAttributesW(expanded) == INVALID_FILE_ATTRIBUTES) {
        printf("spicheck: no provider DLL at %ls\n", sc_env.provider);
        return FALSE;
    }
    n = base_entries(sc_env.over, ids);
    if (!n) {
        printf("spicheck: the catalog has no base TCP/UDP entry to layer over\n");
        return FALSE;
    }
    SetConsoleCtrlHandler(on_console_event, TRUE);
    error = layered_install(sc_env.provider, &sc_layered_guid, &sc_chain_guid, ids, n,
                            &installed);
    if (error) {
        layered_uninstall(&installed);
        printf("spicheck: installing %ls failed: WSC error %d\n", sc_env.provider, error);
        return FALSE;
    }
    is_installed = TRUE;
    return TRUE;
}

BOOL arrangement_prepare(enum sc_arrangement a, WCHAR *exe, size_t exe_len)
{
    if (a == SC_HOST)
        return prepare_host(exe, exe_len);
    if (!arrangement_has_front_end()) {
        printf("spicheck: the %s arrangement needs lspkit's ws2_32: run spicheck under "
               "bin/lspkit-wine\n", sc_arrangement_name(a));
        return FALSE;
    }
    if (!GetModuleFileNameW(NULL, exe, (DWORD)exe_len))
        return FALSE;
    /* Whatever an interrupted run left would change both arrangements. */
    arrangement_remove_installs();
    return a == SC_FRONTEND || prepare_layered();
}

void arrangement_finish(enum sc_arrangement a)
{
    WCHAR exe[MAX_PATH];

    if (a == SC_HOST && host_dir[0]) {
        _snwprintf(exe, MAX_PATH, L"%ls\\spicheck-host.exe", host_dir);
        exe[MAX_PATH - 1] = 0;
        DeleteFileW(exe);
        _snwprintf(exe, MAX_PATH, L"%ls\\ws2_32.dll", host_dir);
        exe[MAX_PATH - 1] = 0;
        DeleteFileW(exe);
        RemoveDirectoryW(host_dir);
        host_dir[0] = 0;
    }
    if (a == SC_LAYERED && is_installed) {
        arrangement_remove_installs();
        SetConsoleCtrlHandler(on_console_event, FALSE);
    }
}

void arrangement_remove_installs(void)
{
    struct layered_install stale = { 0 };

    if (!arrangement_has_front_end())
        return;
    stale.layered_guid = sc_layered_guid;
    stale.chain_guid = sc_chain_guid;
    layered_uninstall(&stale);
    sc_remove_second_layer();
    is_installed = FALSE;
}
