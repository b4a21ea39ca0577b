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
 *  layered   the same, with the provider under test in the catalog for
 *            the time of the run: installed by spicheck over the base
 *            TCP/UDP entries (layered_install.c) under the GUID the
 *            DLL's GetLspGuid export gives, or --guid, or spicheck's own;
 *            or by the user's own installer (--install-cmd), after which
 *            the provider's entries are found in the catalog. Only children
 *            load it (the GetLspGuid question too): a provider that crashes
 *            or hangs takes a child with it, never the runner, which then
 *            removes it from the catalog and checks that the catalog is
 *            exactly as before. */
#include "spicheck.h"
#include "layered_install.h"
#include "../spi/sysws2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* spicheck's own GUIDs: the layered entry's when the provider names none
 * (no GetLspGuid, no --guid), and its chain entries' always. The chains
 * never share the layered entry's GUID: a provider that finds itself as
 * "the first catalog entry with my GUID" must find its hidden entry. */
const GUID sc_layered_guid = { 0x5c1c0001, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };
const GUID sc_chain_guid = { 0x5c1c0002, 0x7a3b, 0x4e21, { 0x8f, 0x1d, 0x53, 0x50, 0x49, 0x43, 0x48, 0x4b } };

/* How long the GetLspGuid child and the user's commands may take. */
#define GUID_LIMIT_MS 20000
#define COMMAND_LIMIT_MS 120000

struct install_options sc_install;

static WCHAR host_dir[MAX_PATH];
static struct layered_install installed;
static BOOL is_installed;           /* this run put the provider in the catalog */
static BOOL guid_known;             /* sc_env.layered_guid settled */

/* The catalogs an install may change: the native one and, on x64, the
 * 32-bit one, which installers such as lspinst write too. Each as it was
 * before the install. */
struct catalog {
    const char *name;
    sc_enum_protocols enumerate;
    int (WSPAPI *deinstall)(LPGUID, LPINT);
    WSAPROTOCOL_INFOW *before;
    int before_count;
};
static struct catalog catalogs[] = {
    { "catalog", WSCEnumProtocols, WSCDeinstallProvider, NULL, 0 },
#ifdef _WIN64
    { "32-bit catalog", WSCEnumProtocols32, WSCDeinstallProvider32, NULL, 0 },
#endif
};
#define CATALOGS (sizeof(catalogs) / sizeof(catalogs[0]))

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

void arrangement_guid_text(const GUID *g, char *out)
{
    snprintf(out, GUID_TEXT_LEN, "{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
             (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2],
             g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

BOOL arrangement_parse_guid(const char *text, GUID *out)
{
    const char *p = text + (text[0] == '{');
    unsigned long d1;
    unsigned d2, d3, b[8];
    int end = 0;

    if (sscanf(p, "%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x%n", &d1, &d2, &d3, &b[0], &b[1],
               &b[2], &b[3], &b[4], &b[5], &b[6], &b[7], &end) != 11 || end != 36 ||
        strcmp(p + end, text[0] == '{' ? "}" : ""))
        return FALSE;
    out->Data1 = d1;
    out->Data2 = (unsigned short)d2;
    out->Data3 = (unsigned short)d3;
    for (int i = 0; i < 8; i++)
        out->Data4[i] = (unsigned char)b[i];
    return TRUE;
}

/* The catalog id of the provider's hidden layered entry, 0 when absent. */
static DWORD installed_layered_id(void)
{
    int n;
    WSAPROTOCOL_INFOW *all = sc_read_catalog(&n);
    DWORD id = all ? sc_provider_layered_id(all, n) : 0;

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

/* DLL as a full path with variables expanded, for comparing. */
static BOOL full_path(const WCHAR *dll, WCHAR *out)
{
    WCHAR expanded[MAX_PATH];
    DWORD n = ExpandEnvironmentStringsW(dll, expanded, MAX_PATH);

    return n && n <= MAX_PATH && GetFullPathNameW(expanded, MAX_PATH, out, NULL) - 1 < MAX_PATH - 1;
}

static const WSAPROTOCOL_INFOW *entry_with_guid(const WSAPROTOCOL_INFOW *all, int n,
                                                const GUID *guid)
{
    for (int i = 0; i < n; i++)
        if (IsEqualGUID(&all[i].ProviderId, guid))
            return &all[i];
    return NULL;
}

/* Settles sc_env.layered_guid for spicheck's own install: --guid, else
 * what the DLL's GetLspGuid export gives (asked in a child, which loads
 * the DLL), else spicheck's own. FALSE, saying why, when asking failed. */
static BOOL resolve_guid(const WCHAR *exe)
{
    WCHAR cmd[2 * MAX_PATH + 32];
    struct runner_exit r;
    char text[GUID_TEXT_LEN];
    const char *line;

    if (guid_known || sc_install.guid_given) {
        guid_known = TRUE;
        return TRUE;
    }
    _snwprintf(cmd, sizeof(cmd) / sizeof(cmd[0]), L"\"%ls\" --lsp-guid \"%ls\"", exe,
               sc_env.provider);
    cmd[sizeof(cmd) / sizeof(cmd[0]) - 1] = 0;
    if (!runner_exec(cmd, GUID_LIMIT_MS, &r)) {
        printf("spicheck: cannot start %ls: error %lu\n", exe, r.error);
        return FALSE;
    }
    line = r.text ? strstr(r.text, "GUID ") : NULL;
    if (r.code == SC_EXIT_PASS && line && sscanf(line, "GUID %38s", text) == 1 &&
        arrangement_parse_guid(text, &sc_env.layered_guid)) {
        sc_install.guid_source = "from its GetLspGuid";
    } else if (r.code == SC_EXIT_SKIP) {
        /* No export, or a DLL that does not load (the start check says so). */
        sc_env.layered_guid = sc_layered_guid;
        sc_install.guid_source = "spicheck's own";
    } else {
        printf("spicheck: asking %ls for its GUID (GetLspGuid) failed: %s\n", sc_env.provider,
               r.timed_out ? "timed out" : "the child died (a crash in the DLL?)");
        runner_show("GetLspGuid", r.text);
        free(r.text);
        return FALSE;
    }
    free(r.text);
    guid_known = TRUE;
    return TRUE;
}

/* In a child: prints "GUID {...}" with what DLL's GetLspGuid gives and
 * exits SC_EXIT_PASS, or says why not and exits SC_EXIT_SKIP. */
int arrangement_lsp_guid_child(const char *dll)
{
    WCHAR given[MAX_PATH], path[MAX_PATH];
    void (WSPAPI *get_guid)(LPGUID);
    char text[GUID_TEXT_LEN];
    HMODULE module;
    GUID guid;

    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    if (!MultiByteToWideChar(CP_ACP, 0, dll, -1, given, MAX_PATH) ||
        !ExpandEnvironmentStringsW(given, path, MAX_PATH) || !(module = LoadLibraryW(path))) {
        printf("cannot load %s: error %lu\n", dll, GetLastError());
        sc_end(SC_EXIT_SKIP);
    }
    get_guid = (void (WSPAPI *)(LPGUID))(void *)GetProcAddress(module, "GetLspGuid");
    if (!get_guid) {
        printf("%s exports no GetLspGuid\n", dll);
        sc_end(SC_EXIT_SKIP);
    }
    get_guid(&guid);
    arrangement_guid_text(&guid, text);
    printf("GUID %s\n", text);
    sc_end(SC_EXIT_PASS);
}

/* spicheck's own install: a hidden layered entry under the provider's GUID
 * and chains over the base entries of --over under sc_chain_guid. */
static BOOL install_ourselves(const WCHAR *exe)
{
    WCHAR expanded[MAX_PATH];
    DWORD ids[LAYERED_MAX_CHAINS], n;
    char guid[GUID_TEXT_LEN];
    int error;

    if (!ExpandEnvironmentStringsW(sc_env.provider, expanded, MAX_PATH) ||
        GetFileAttributesW(expanded) == INVALID_FILE_ATTRIBUTES) {
        printf("spicheck: no provider DLL at %ls\n", sc_env.provider);
        return FALSE;
    }
    if (!resolve_guid(exe))
        return FALSE;
    arrangement_guid_text(&sc_env.layered_guid, guid);
    if (entry_with_guid(catalogs[0].before, catalogs[0].before_count, &sc_env.layered_guid)) {
        printf("spicheck: the catalog already has an entry with GUID %s: is the provider "
               "installed already? Remove it, or give its installer with --install-cmd\n", guid);
        return FALSE;
    }
    n = base_entries(sc_env.over, ids);
    if (!n) {
        printf("spicheck: the catalog has no base TCP/UDP entry to layer over\n");
        return FALSE;
    }
    is_installed = TRUE;
    error = layered_install(sc_env.provider, &sc_env.layered_guid, &sc_chain_guid, ids, n,
                            &installed);
    if (error) {
        printf("spicheck: installing %ls failed: WSC error %d\n", sc_env.provider, error);
        return FALSE;
    }
    return TRUE;
}

/* Runs one of the user's commands (LABEL "install" or "remove"), under
 * Wine in this prefix as every child; its output is shown when it fails,
 * or with --verbose. */
static BOOL run_user_command(const char *label, const char *command)
{
    WCHAR cmd[2048];
    struct runner_exit r;
    BOOL ok;

    if (!MultiByteToWideChar(CP_ACP, 0, command, -1, cmd, sizeof(cmd) / sizeof(cmd[0]))) {
        printf("spicheck: the %s command is too long\n", label);
        return FALSE;
    }
    if (!runner_exec(cmd, COMMAND_LIMIT_MS, &r)) {
        printf("spicheck: cannot start the %s command (%s): error %lu\n", label, command,
               r.error);
        return FALSE;
    }
    ok = !r.timed_out && r.code == 0;
    if (!ok)
        printf("spicheck: the %s command (%s) %s %lu\n", label, command,
               r.timed_out ? "timed out after (ms)" : "exited with code",
               r.timed_out ? (unsigned long)COMMAND_LIMIT_MS : (unsigned long)r.code);
    if (!ok || sc_install.verbose)
        runner_show(label, r.text);
    free(r.text);
    return ok;
}

/* TRUE when the entry of GUID lives in DLL (both full paths). */
static BOOL entry_in(const GUID *guid, const WCHAR *dll)
{
    WCHAR path[MAX_PATH], full[MAX_PATH];
    int len = MAX_PATH, error = 0;

    return !WSCGetProviderPath((GUID *)guid, path, &len, &error) && full_path(path, full) &&
           !_wcsicmp(full, dll);
}

/* After the user's install command: the provider's hidden layered entry,
 * new in the catalog, by --guid or by the DLL path; its chains say which
 * protocols it is over. */
static BOOL find_installed_provider(void)
{
    WCHAR dll[MAX_PATH] = L"";
    int n, found = -1, matches = 0, len = MAX_PATH, error = 0;
    WSAPROTOCOL_INFOW *all = sc_read_catalog(&n);
    unsigned over = 0;

    if (!all) {
        printf("spicheck: cannot read the catalog\n");
        return FALSE;
    }
    if (sc_env.provider[0] && !full_path(sc_env.provider, dll)) {
        printf("spicheck: bad provider path %ls\n", sc_env.provider);
        free(all);
        return FALSE;
    }
    for (int i = 0; i < n; i++) {
        BOOL is_new = TRUE;
        for (int j = 0; j < catalogs[0].before_count && is_new; j++)
            is_new = catalogs[0].before[j].dwCatalogEntryId != all[i].dwCatalogEntryId;
        if (!is_new || all[i].ProtocolChain.ChainLen != LAYERED_PROTOCOL)
            continue;
        if (sc_install.guid_given ? IsEqualGUID(&all[i].ProviderId, &sc_env.layered_guid)
                                  : entry_in(&all[i].ProviderId, dll)) {
            found = i;
            matches++;
        }
    }
    if (matches != 1) {
        printf("spicheck: after the install command the catalog has %s new hidden layered "
               "entry (ChainLen LAYERED_PROTOCOL) %s %ls%s\n", matches ? "more than one" : "no",
               sc_install.guid_given ? "with the GUID of --guid" : "of", dll,
               matches ? ": name one with --guid" : "");
        free(all);
        return FALSE;
    }
    sc_env.layered_guid = all[found].ProviderId;
    if (!sc_install.guid_given)
        sc_install.guid_source = "found by its DLL path";
    if (!sc_env.provider[0] &&
        WSCGetProviderPath(&sc_env.layered_guid, sc_env.provider, &len, &error)) {
        printf("spicheck: WSCGetProviderPath of the provider: error %d\n", error);
        free(all);
        return FALSE;
    }
    for (int i = 0; i < n; i++)
        if (sc_is_provider_chain(&all[i], all[found].dwCatalogEntryId))
            over |= all[i].iSocketType == SOCK_STREAM ? SC_OVER_TCP :
                    all[i].iSocketType == SOCK_DGRAM ? SC_OVER_UDP : 0;
    free(all);
    if (!over) {
        printf("spicheck: the install command put no TCP or UDP protocol chain over the "
               "provider's layered entry\n");
        return FALSE;
    }
    sc_env.over = over;
    return TRUE;
}

static BOOL prepare_layered(const WCHAR *exe)
{
    for (unsigned c = 0; c < CATALOGS; c++) {
        free(catalogs[c].before);
        catalogs[c].before = sc_read_catalog_with(catalogs[c].enumerate, &catalogs[c].before_count);
        if (!catalogs[c].before) {
            printf("spicheck: cannot read the %s\n", catalogs[c].name);
            return FALSE;
        }
    }
    SetConsoleCtrlHandler(on_console_event, TRUE);
    if (!sc_install.install_cmd)
        return install_ourselves(exe);
    is_installed = TRUE;
    return run_user_command("install", sc_install.install_cmd) && find_installed_provider();
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
    return a == SC_FRONTEND || prepare_layered(exe);
}

/* Takes out what this run installed: through the user's remove command,
 * else by the GUIDs of the provider's entries. */
static void remove_provider(void)
{
    int n;
    WSAPROTOCOL_INFOW *all;
    DWORD layered;
    int error;

    is_installed = FALSE;
    if (!sc_install.install_cmd) {
        layered_uninstall(&installed);
        return;
    }
    if (sc_install.remove_cmd) {
        run_user_command("remove", sc_install.remove_cmd);
        return;
    }
    all = sc_read_catalog(&n);
    layered = all ? sc_provider_layered_id(all, n) : 0;
    for (int i = 0; i < n && layered; i++)
        if (sc_is_provider_chain(&all[i], layered))
            WSCDeinstallProvider(&all[i].ProviderId, &error);
    if (layered)
        WSCDeinstallProvider(&sc_env.layered_guid, &error);
    free(all);
}

static BOOL listed(const WSAPROTOCOL_INFOW *all, int n, DWORD id)
{
    for (int i = 0; i < n; i++)
        if (all[i].dwCatalogEntryId == id)
            return TRUE;
    return FALSE;
}

/* Takes out the entries ALL has and C did not have before (chains
 * first), unless their GUID was there before. */
static void remove_left_behind(const struct catalog *c, const WSAPROTOCOL_INFOW *all, int n)
{
    int error;

    for (int layered = 0; layered < 2; layered++)
        for (int i = 0; i < n; i++)
            if (!listed(c->before, c->before_count, all[i].dwCatalogEntryId) &&
                (all[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL) == layered &&
                !entry_with_guid(c->before, c->before_count, &all[i].ProviderId))
                c->deinstall((GUID *)&all[i].ProviderId, &error);
}

/* Catalog C is exactly as it was before the install; else says how not,
 * and takes out what was left behind. */
static BOOL catalog_restored(const struct catalog *c)
{
    int n;
    WSAPROTOCOL_INFOW *all = sc_read_catalog_with(c->enumerate, &n);
    BOOL same = all && n == c->before_count;

    for (int i = 0; same && i < n; i++)
        same = !memcmp(&all[i], &c->before[i], sizeof(all[i]));
    if (!same) {
        printf("spicheck: removing the provider did not restore the %s:\n", c->name);
        for (int i = 0; all && i < n; i++)
            if (!listed(c->before, c->before_count, all[i].dwCatalogEntryId))
                printf("  left behind (spicheck removes it): entry %lu \"%ls\"\n",
                       (unsigned long)all[i].dwCatalogEntryId, all[i].szProtocol);
        for (int i = 0; all && i < c->before_count; i++)
            if (!listed(all, n, c->before[i].dwCatalogEntryId))
                printf("  gone: entry %lu \"%ls\"\n",
                       (unsigned long)c->before[i].dwCatalogEntryId, c->before[i].szProtocol);
        printf("  (%d entries before, %d now; an entry listed in both moved or changed)\n",
               c->before_count, all ? n : -1);
        if (all)
            remove_left_behind(c, all, n);
    }
    free(all);
    return same;
}

BOOL arrangement_finish(enum sc_arrangement a)
{
    WCHAR exe[MAX_PATH];
    BOOL restored = TRUE;

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
        sc_remove_second_layer();
        remove_provider();
        for (unsigned c = 0; c < CATALOGS; c++)
            restored &= catalog_restored(&catalogs[c]);
        SetConsoleCtrlHandler(on_console_event, FALSE);
    }
    return restored;
}

/* Entries of spicheck's own install that a killed run left: its chains
 * (sc_chain_guid), the layered entries they top, and spicheck's default
 * layered entry. */
static void remove_stale(void)
{
    int n, error;
    WSAPROTOCOL_INFOW *all = sc_read_catalog(&n);

    WSCDeinstallProvider((GUID *)&sc_chain_guid, &error);
    for (int i = 0; all && i < n; i++) {
        if (!IsEqualGUID(&all[i].ProviderId, &sc_chain_guid) ||
            all[i].ProtocolChain.ChainLen < 2)
            continue;
        for (int j = 0; j < n; j++)
            if (all[j].dwCatalogEntryId == all[i].ProtocolChain.ChainEntries[0] &&
                all[j].ProtocolChain.ChainLen == LAYERED_PROTOCOL)
                WSCDeinstallProvider(&all[j].ProviderId, &error);
    }
    WSCDeinstallProvider((GUID *)&sc_layered_guid, &error);
    free(all);
}

void arrangement_remove_installs(void)
{
    if (!arrangement_has_front_end())
        return;
    sc_remove_second_layer();
    if (is_installed)
        remove_provider();
    remove_stale();
}
