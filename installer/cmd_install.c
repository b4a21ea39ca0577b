/* SPDX-License-Identifier: MIT */
/* lspinst install: puts lspkit's layered entry and its chains into the
 * catalog(s), or leaves them as they are when they already match. */
#include "lspinst.h"
#include "apply.h"
#include "chains.h"
#include "../catalog/plan.h"

#include <objbase.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#define DEFAULT_DLL L"%SystemRoot%\\system32\\lspkit.dll"
/* On 64-bit Windows the 32-bit catalog names the 32-bit build. */
#define DEFAULT_DLL32 L"%SystemRoot%\\SysWOW64\\lspkit.dll"
#define LSP_NAME L"lspkit"

struct install_args {
    const WCHAR *dll, *dll32;
    DWORD over, families, categories;
    enum cm_placement placement;
    enum chains_method method;
};

/* Calls `token` for each comma-separated item of `list`; stops at the
 * first it rejects. */
static BOOL each_item(const WCHAR *list, BOOL (*token)(const WCHAR *item, void *arg), void *arg)
{
    WCHAR item[64];
    size_t n;

    for (;;) {
        n = wcscspn(list, L",");
        if (!n || n >= sizeof(item) / sizeof(item[0]))
            return FALSE;
        wmemcpy(item, list, n);
        item[n] = 0;
        if (!token(item, arg))
            return FALSE;
        if (!list[n])
            return TRUE;
        list += n + 1;
    }
}

static BOOL over_item(const WCHAR *item, void *arg)
{
    static const struct { const WCHAR *name; DWORD bit; } names[] = {
        { L"tcp", CM_OVER_TCP }, { L"udp", CM_OVER_UDP }, { L"raw", CM_OVER_RAW },
        { L"all", CM_OVER_ALL },
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!_wcsicmp(item, names[i].name)) {
            *(DWORD *)arg |= names[i].bit;
            return TRUE;
        }
    return FALSE;
}

static BOOL category_item(const WCHAR *item, void *arg)
{
    static const struct { const WCHAR *name; DWORD bit; } names[] = {
        { L"inspector", LSP_INSPECTOR }, { L"redirector", LSP_REDIRECTOR },
        { L"proxy", LSP_PROXY }, { L"firewall", LSP_FIREWALL },
        { L"inbound-modify", LSP_INBOUND_MODIFY }, { L"outbound-modify", LSP_OUTBOUND_MODIFY },
        { L"crypto-compress", LSP_CRYPTO_COMPRESS }, { L"local-cache", LSP_LOCAL_CACHE },
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!_wcsicmp(item, names[i].name)) {
            *(DWORD *)arg |= names[i].bit;
            return TRUE;
        }
    return FALSE;
}

static int bad_value(const char *option, const WCHAR *value, const char *allowed)
{
    complain("install: %s '%s' is not valid; allowed: %s", option, u8(0, value), allowed);
    return EXIT_USAGE;
}

static int parse(int argc, WCHAR **argv, struct install_args *o)
{
    struct args a;

    memset(o, 0, sizeof(*o));
    o->dll = DEFAULT_DLL;
    o->dll32 = DEFAULT_DLL32;
    o->method = CHAINS_AUTO;
    args_init(&a, argc, argv);
    while (args_next(&a)) {
        if (args_value(&a, L"--dll"))
            o->dll = a.value;
        else if (args_value(&a, L"--dll32"))
            o->dll32 = a.value;
        else if (args_value(&a, L"--over")) {
            if (!each_item(a.value, over_item, &o->over))
                return bad_value("--over", a.value, "tcp, udp, raw (comma-separated) or all");
        } else if (args_flag(&a, L"--ipv4"))
            o->families |= CM_FAMILY_IPV4;
        else if (args_flag(&a, L"--ipv6"))
            o->families |= CM_FAMILY_IPV6;
        else if (args_value(&a, L"--category")) {
            if (!each_item(a.value, category_item, &o->categories))
                return bad_value("--category", a.value,
                                 "inspector, redirector, proxy, firewall, inbound-modify, "
                                 "outbound-modify, crypto-compress, local-cache");
        } else if (args_value(&a, L"--other-lsps")) {
            if (!wcscmp(a.value, L"above"))
                o->placement = CM_PLACE_OVER;
            else if (!wcscmp(a.value, L"below"))
                o->placement = CM_PLACE_UNDER;
            else
                return bad_value("--other-lsps", a.value, "above, below");
        } else if (args_value(&a, L"--method")) {
            if (!wcscmp(a.value, L"auto"))
                o->method = CHAINS_AUTO;
            else if (!wcscmp(a.value, L"chains"))
                o->method = CHAINS_ALWAYS;
            else if (!wcscmp(a.value, L"classic"))
                o->method = CHAINS_NEVER;
            else
                return bad_value("--method", a.value, "auto, chains, classic");
        } else
            return args_unknown(&a, "install");
        if (a.bad)
            return EXIT_USAGE;
    }
    if (!o->over)
        o->over = CM_OVER_TCP | CM_OVER_UDP;
    if (o->method == CHAINS_ALWAYS && o->placement == CM_PLACE_UNDER) {
        complain("install: --method chains always installs above other LSPs; it cannot be "
                 "combined with --other-lsps below");
        return EXIT_USAGE;
    }
    return 0;
}

/* Absolute, as every process resolves it alike: X:\..., \\server\...,
 * or under %SystemRoot% (%windir%). A relative name would go through each
 * process's DLL search order, where anyone's file of that name could be
 * found first. */
static BOOL absolute(const WCHAR *path)
{
    return (path[0] && path[1] == L':' && path[2] == L'\\') ||
           (path[0] == L'\\' && path[1] == L'\\') ||
           !_wcsnicmp(path, L"%SystemRoot%\\", 13) || !_wcsnicmp(path, L"%windir%\\", 9);
}

static int check_dll(const WCHAR *path, const char *option, enum cm_view view)
{
    WCHAR file[MAX_PATH];
    const char *problem;

    if (!path[0] || wcslen(path) >= MAX_PATH || !absolute(path)) {
        complain("install: %s must be an absolute path (X:\\..., \\\\server\\... or "
                 "%%SystemRoot%%\\...) of 1 to %d characters", option, MAX_PATH - 1);
        return EXIT_USAGE;
    }
    /* A chain naming a missing DLL breaks every socket of its protocol, and
     * so does one naming a file that is no provider for that catalog. */
    if (!dll_file_of(path, view, file) || GetFileAttributesW(file) == INVALID_FILE_ATTRIBUTES) {
        complain("install: the provider DLL %s does not exist; copy lspkit.dll there first or "
                 "name another with %s", u8(0, path), option);
        return EXIT_FAILED;
    }
    problem = dll_problem(path, view, TRUE, NULL);
    if (problem) {
        complain("install: %s (%s) %s", u8(0, path), option, problem);
        return EXIT_FAILED;
    }
    return 0;
}

static int plan(const struct cm_views *cur, const struct install_args *o, struct cm_views *desired)
{
    struct cm_install_opts opts;
    struct cm_error err;
    int v;

    memset(&opts, 0, sizeof(opts));
    opts.provider = &cm_lspkit_guid;
    opts.name = LSP_NAME;
    opts.over = o->over;
    opts.families = o->families;
    opts.placement = o->placement;
    opts.categories = o->categories;
    /* One seed for both catalogs: the chain over the same lower entry gets
     * the same GUID in each. */
    if (FAILED(CoCreateGuid(&opts.seed))) {
        complain("install: cannot make a GUID");
        return EXIT_FAILED;
    }
    for (v = 0; v < CM_VIEWS; v++) {
        desired->present[v] = cur->present[v];
        opts.path = v == CM_VIEW_32 ? o->dll32 : o->dll;
        if (cur->present[v] && cm_plan_install(&cur->cat[v], &opts, &desired->cat[v], &err)) {
            complain("install: %s%s", v == CM_VIEW_32 ? "32-bit catalog: " : "", err.text);
            return EXIT_FAILED;
        }
    }
    return 0;
}

/* The chains headed by lspkit's layered entry in the native catalog. */
static DWORD count_ours(const struct cm_views *views)
{
    const struct cm_catalog *cat = &views->cat[CM_VIEW_NATIVE];
    int layered = cm_find_layered(cat, &cm_lspkit_guid);
    DWORD i, n = 0;

    for (i = 0; layered >= 0 && i < cat->count; i++)
        n += cm_is_chain(&cat->entries[i]) &&
             cm_belongs_to(&cat->entries[i], cat->entries[layered].info.dwCatalogEntryId);
    return n;
}

int cmd_install(struct lspinst *ctx, int argc, WCHAR **argv)
{
    struct install_args o;
    struct chains_request req;
    struct cm_views cur, desired;
    int ret;

    ret = parse(argc, argv, &o);
    if (!ret)
        ret = require_admin("install");
    if (!ret)
        ret = refuse_if_pending();
    cm_views_init(&cur);
    cm_views_init(&desired);
    if (!ret)
        ret = read_or_complain(ctx, &cur);
    if (!ret)
        ret = check_dll(o.dll, "--dll", CM_VIEW_NATIVE);
    if (!ret && cur.present[CM_VIEW_32])
        ret = check_dll(o.dll32, "--dll32", CM_VIEW_32);
    if (!ret)
        ret = plan(&cur, &o, &desired);
    if (!ret && views_same_layout(&cur, &desired)) {
        say("lspkit is already installed as asked; nothing to do");
    } else if (!ret) {
        chains_request_init(&req, LSP_NAME, o.dll, o.dll32, o.method, o.placement);
        ret = run_change(ctx, "install", &cur, &desired, install_step, &req);
        if (!ret)
            say("lspkit installed: %lu chain(s)%s", (unsigned long)count_ours(&desired),
                desired.present[CM_VIEW_32] ? " in each catalog" : "");
    }
    cm_views_free(&cur);
    cm_views_free(&desired);
    return ret;
}
