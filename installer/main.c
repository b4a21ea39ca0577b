/* SPDX-License-Identifier: MIT */
/* lspinst: the command line (see usage()). */
#include "lspinst.h"
#include "lock.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static void usage(FILE *to)
{
    fputs(
"Usage: lspinst COMMAND [OPTIONS]\n"
"\n"
"Installs lspkit's layered service provider (LSP) into the Winsock catalog and\n"
"keeps the catalog healthy. On 64-bit Windows the 64-bit lspinst maintains both\n"
"the 64-bit and the 32-bit catalog.\n"
"\n"
"Commands:\n"
"  install [OPTIONS]   add lspkit's hidden layered entry and one chain over each\n"
"                      chosen protocol entry, ordered ahead of what it covers.\n"
"                      Installing again with the same options changes nothing.\n"
"      --dll PATH        provider DLL for the native catalog\n"
"                        (default %SystemRoot%\\system32\\lspkit.dll)\n"
"      --dll32 PATH      provider DLL for the 32-bit catalog on 64-bit Windows\n"
"                        (default %SystemRoot%\\SysWOW64\\lspkit.dll)\n"
"      --over LIST       tcp,udp,raw (any of them) or all (default tcp,udp)\n"
"      --ipv4, --ipv6    only these address families (default both)\n"
"      --category LIST   LSP categories: inspector, redirector, proxy, firewall,\n"
"                        inbound-modify, outbound-modify, crypto-compress,\n"
"                        local-cache (default none)\n"
"      --other-lsps above|below\n"
"                        where lspkit goes when another LSP already covers a\n"
"                        protocol: above it (sees the data first, default) or\n"
"                        below it (their chains are rewritten to call lspkit)\n"
"      --method auto|chains|classic\n"
"                        chains: WSCInstallProviderAndChains; classic:\n"
"                        WSCInstallProvider + WSCWriteProviderOrder; auto\n"
"                        (default): chains where ws2_32 has it and lspkit goes\n"
"                        above other LSPs\n"
"  remove              take lspkit out; other LSPs' chains that called it are\n"
"                      rewritten to skip it, everything else stays as it was\n"
"  list [--json]       every catalog entry in order: id, kind, chain, GUID, name,\n"
"                      DLL (like 'netsh winsock show catalog')\n"
"  verify              check the catalogs: orphaned chains, missing lower\n"
"                      entries, missing DLLs, wrong order, differences between\n"
"                      the 64-bit and 32-bit catalogs, missing base providers\n"
"                      (TCP, UDP, raw over IPv4 and IPv6), unreadable entry keys,\n"
"                      each entry's own DLL, Next_Catalog_Entry_ID, an\n"
"                      interrupted lspinst;\n"
"                      one line per problem\n"
"  repair              go back before an interrupted lspinst command, then\n"
"                      remove a damaged lspkit installation and chains that\n"
"                      cannot work, and fix the order; base providers are never\n"
"                      touched\n"
"  backup FILE         save both catalogs to FILE\n"
"  restore FILE        bring the catalogs back to FILE (entries deleted since get\n"
"                      new ids: Winsock never reuses one)\n"
"  config [OPTIONS]    show or set the capture settings in HKLM\\SOFTWARE\\lspkit\n"
"      --enable, --disable   capture on or off\n"
"      --directory DIR       where capture files go\n"
"      --snaplen N           payload bytes kept per send or receive, 0 for all\n"
"                            (at most 16777216; see docs/capture.md)\n"
"      --include LIST        only these executables, a,b or a;b ('' clears)\n"
"      --exclude LIST        never these executables ('' clears)\n"
"      --ports LIST          only these ports, e.g. 80,443,8000-8080 ('' clears)\n"
"      --readers GROUP       a group (name or SID) that may read the captures;\n"
"                            without one only administrators can ('' clears)\n"
"      --reset               delete all settings first\n"
"  filter add NAME [DLL] [OPTIONS]\n"
"                      add or update filter NAME (letters, digits, '-', '_'): a\n"
"                      DLL exporting lspkit_filter_open that lspkit.dll loads,\n"
"                      kept in HKLM\\SOFTWARE\\lspkit\\Filters\\NAME. DLL defaults\n"
"                      to the shipped filter of that name (bytecount, firewall,\n"
"                      socks5): lspkit_NAME.dll beside lspinst.exe. Options left\n"
"                      out keep what an existing filter has.\n"
"      --position N          filters run in increasing N (then by name); default\n"
"                            10 after the last filter\n"
"      --include LIST        only in these executables ('' clears)\n"
"      --exclude LIST        never in these executables ('' clears)\n"
"      --set VALUE=DATA      a setting of the filter's own (REG_SZ); VALUE= deletes\n"
"                            it; may be repeated\n"
"  filter remove NAME  delete filter NAME and its settings\n"
"  filter list         the filters in running order: position, name, DLL,\n"
"                      include and exclude lists, settings\n"
"\n"
"install, remove, repair, restore, setting config, filter add and filter remove\n"
"need administrator rights.\n"
"Every change is a transaction: on failure the catalog goes back to how it was.\n"
"\n"
"Exit codes:\n"
"  0   success (verify: no problems)\n"
"  1   verify found problems, or repair left problems it does not fix\n"
"  2   failed; the catalog is as it was before the command\n"
"  3   failed, and going back failed too, so the catalog may be damaged: run\n"
"      'lspinst verify' and 'lspinst repair'\n"
"  4   administrator rights needed\n"
"  5   another lspinst command was running and did not finish within\n"
"      LSPINST_WAIT seconds; nothing was done\n"
"  64  bad command line\n"
"\n"
"One command runs at a time on a machine: a second one says so and waits\n"
"(environment LSPINST_WAIT=SECONDS, default 60), then exits 5.\n"
#ifdef LSPINST_FAULTS
"\n"
"Test build switches (environment): LSPINST_FAIL_WRITE=N makes catalog\n"
"write N fail; LSPINST_FAIL_AFTER_WRITES=N kills lspinst (exit 99) before\n"
"write N+1.\n"
#endif
        , to);
}

static const struct {
    const WCHAR *name;
    command_fn run;
    BOOL catalog;                /* needs the WSC* functions */
} commands[] = {
    { L"install", cmd_install, TRUE }, { L"remove", cmd_remove, TRUE },
    { L"list", cmd_list, TRUE },       { L"verify", cmd_verify, TRUE },
    { L"repair", cmd_repair, TRUE },   { L"backup", cmd_backup, TRUE },
    { L"restore", cmd_restore, TRUE }, { L"config", cmd_config, FALSE },
    { L"filter", cmd_filter, FALSE },
};

int wmain(int argc, WCHAR **argv)
{
    struct lspinst ctx;
    const char *missing = NULL;
    size_t i;
    int ret;

    if (argc < 2 || !wcscmp(argv[1], L"--help") || !wcscmp(argv[1], L"-h") ||
        !wcscmp(argv[1], L"help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!wcscmp(argv[1], commands[i].name))
            break;
    if (i == sizeof(commands) / sizeof(commands[0])) {
        complain("unknown command '%s' (see lspinst --help)", u8(0, argv[1]));
        return EXIT_USAGE;
    }
    /* A 32-bit lspinst on 64-bit Windows sees only the 32-bit catalog. */
    if (commands[i].catalog && under_wow64()) {
        complain("this is the 32-bit lspinst on 64-bit Windows, which reaches only the 32-bit "
                 "catalog: use the 64-bit lspinst.exe, which maintains both");
        return EXIT_FAILED;
    }
    if (commands[i].catalog && !wsc_bind(&ctx.api, &missing)) {
        complain("this ws2_32.dll lacks %s, which lspinst needs", missing);
        return EXIT_FAILED;
    }
    ret = command_lock();
    return ret ? ret : commands[i].run(&ctx, argc - 1, argv + 1);
}
