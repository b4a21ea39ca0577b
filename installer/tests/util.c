/* SPDX-License-Identifier: MIT */
/* Helpers of the lspinst tests (see util.h). */
#include <winsock2.h>
#include <ws2spi.h>
#include <sporder.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../catalog/check.h"
#include "../../catalog/pack.h"
#include "../../catalog/plan.h"
#include "util.h"

#define CATALOG_KEY L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"

static WCHAR lspinst_exe[MAX_PATH];

/* The other LSP's layered entry and its chains. */
static const GUID other_layered = { 0x0badc0de, 0x1111, 0x4222,
                                    { 0x83, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66 } };
static const GUID other_chains = { 0x0badc0de, 0x2222, 0x4333,
                                   { 0x84, 0x44, 0x55, 0x55, 0x66, 0x66, 0x77, 0x77 } };

BOOL prepare(void)
{
    WSAPROTOCOL_INFOW infos[64];
    DWORD size = sizeof(infos);
    WCHAR *slash;
    int error;

    GetModuleFileNameW(NULL, lspinst_exe, MAX_PATH);
    slash = wcsrchr(lspinst_exe, L'\\');
    if (slash)
        wcscpy(slash + 1, L"lspinst.exe");
    if (GetFileAttributesW(lspinst_exe) == INVALID_FILE_ATTRIBUTES) {
        printf("installer: no lspinst.exe beside this program\n");
        return FALSE;
    }
    /* The front end seeds the catalog on first use. */
    if (WSCEnumProtocols(NULL, infos, &size, &error) == SOCKET_ERROR) {
        printf("installer: WSCEnumProtocols failed: %d\n", error);
        return FALSE;
    }
    return TRUE;
}

static void read_all(HANDLE pipe, char *out, size_t size)
{
    size_t used = 0;
    DWORD got;

    while (used + 1 < size && ReadFile(pipe, out + used, (DWORD)(size - 1 - used), &got, NULL) && got)
        used += got;
    out[used] = 0;
}

/* CreateProcessW with inherited handles. Under Wine, rarely, a start
 * fails with ERROR_INTERNAL_ERROR: the new process ended before it had
 * initialised, before any code of the program ran (seen twice in clean
 * runs of the installer tests, each line passing when run again). Such a
 * start is tried again, at most twice, and said in the log; any other
 * failure is the caller's. */
static BOOL create_process(const WCHAR *exe, WCHAR *line, STARTUPINFOW *si,
                           PROCESS_INFORMATION *pi)
{
    for (int attempt = 1;; attempt++) {
        if (CreateProcessW(exe, line, NULL, NULL, TRUE, 0, NULL, NULL, si, pi))
            return TRUE;
        if (GetLastError() != ERROR_INTERNAL_ERROR || attempt == 3)
            return FALSE;
        printf("installer tests: %ls ended before it started (ERROR_INTERNAL_ERROR); "
               "starting it again\n", exe);
        fflush(stdout);
    }
}

void run_start(struct run *r, const WCHAR *exe, const char *args)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    WCHAR line[2048];
    HANDLE write_end;

    swprintf(line, sizeof(line) / sizeof(line[0]), L"\"%ls\" %hs", exe, args);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    ck_assert(CreatePipe(&r->pipe, &write_end, &inherit, 0));
    SetHandleInformation(r->pipe, HANDLE_FLAG_INHERIT, 0);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = si.hStdError = write_end;
    ck_assert_msg(create_process(exe, line, &si, &pi), "cannot start %ls: %lu", exe,
                  GetLastError());
    CloseHandle(write_end);
    CloseHandle(pi.hThread);
    r->process = pi.hProcess;
}

int run_finish(struct run *r, char *out, size_t size)
{
    DWORD code = 0;

    read_all(r->pipe, out, size);
    CloseHandle(r->pipe);
    ck_assert_uint_eq(WaitForSingleObject(r->process, 120000), WAIT_OBJECT_0);
    GetExitCodeProcess(r->process, &code);
    CloseHandle(r->process);
    return (int)code;
}

void lspinst_start(struct run *r, const char *args)
{
    run_start(r, lspinst_exe, args);
}

int lspinst(const char *args, char *out, size_t size)
{
    struct run r;

    lspinst_start(&r, args);
    return run_finish(&r, out, size);
}

int lspinst_file(const char *command, const char *path, char *out, size_t size)
{
    char args[MAX_PATH + 64];

    snprintf(args, sizeof(args), "%s \"%s\"", command, path);
    return lspinst(args, out, size);
}

void temp_path(const char *name, char out[MAX_PATH])
{
    char dir[MAX_PATH];

    GetTempPathA(MAX_PATH, dir);
    snprintf(out, MAX_PATH, "%s%s", dir, name);
}

static unsigned char *load(const char *path, DWORD *size)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    unsigned char *data;

    ck_assert_msg(file != INVALID_HANDLE_VALUE, "cannot open %s", path);
    *size = GetFileSize(file, NULL);
    data = malloc(*size + 1);
    ck_assert(data && ReadFile(file, data, *size, size, NULL));
    CloseHandle(file);
    return data;
}

void damage_file(const char *from, const char *to)
{
    DWORD size, written;
    unsigned char *data = load(from, &size);
    HANDLE file = CreateFileA(to, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);

    data[size / 2] ^= 0x40;
    ck_assert(file != INVALID_HANDLE_VALUE && WriteFile(file, data, size, &written, NULL));
    CloseHandle(file);
    free(data);
}

static void append(struct dump *d, const char *text)
{
    size_t n = strlen(text);

    if (d->size + n + 1 > d->capacity) {
        d->capacity = (d->size + n + 1) * 2;
        d->text = realloc(d->text, d->capacity);
        ck_assert_ptr_nonnull(d->text);
    }
    memcpy(d->text + d->size, text, n + 1);
    d->size += n;
}

struct value {
    WCHAR name[256];
    DWORD type, size;
    BYTE data[4096];
};

static int by_name(const void *a, const void *b)
{
    return wcscmp(((const struct value *)a)->name, ((const struct value *)b)->name);
}

static int by_key_name(const void *a, const void *b)
{
    return wcscmp((const WCHAR *)a, (const WCHAR *)b);
}

static void dump_key(HKEY key, const char *path, BOOL all, struct dump *d)
{
    struct value *values = calloc(64, sizeof(*values));
    char line[16384], sub[1024];
    DWORD i, n = 0, nsub = 0, name_len, k;
    HKEY child;

    ck_assert_ptr_nonnull(values);
    snprintf(line, sizeof(line), "K %s\n", path);
    append(d, line);
    for (i = 0; n < 64; i++) {
        name_len = 256;
        values[n].size = sizeof(values[n].data);
        if (RegEnumValueW(key, i, values[n].name, &name_len, NULL, &values[n].type,
                          values[n].data, &values[n].size))
            break;
        if (all || (wcscmp(values[n].name, L"Serial_Access_Num") &&
                    wcscmp(values[n].name, L"Next_Catalog_Entry_ID")))
            n++;
    }
    qsort(values, n, sizeof(*values), by_name);
    for (i = 0; i < n; i++) {
        int used = snprintf(line, sizeof(line), "V %ls %lu ", values[i].name,
                            (unsigned long)values[i].type);
        for (k = 0; k < values[i].size && used + 3 < (int)sizeof(line); k++)
            used += snprintf(line + used, sizeof(line) - used, "%02x", values[i].data[k]);
        append(d, line);
        append(d, "\n");
    }
    free(values);
    /* Collect the names first: recursion reuses the static array. */
    {
        WCHAR (*names)[64] = malloc(256 * sizeof(*names));

        ck_assert_ptr_nonnull(names);
        for (i = 0; nsub < 256; i++) {
            name_len = 64;
            if (RegEnumKeyExW(key, i, names[nsub], &name_len, NULL, NULL, NULL, NULL))
                break;
            nsub++;
        }
        qsort(names, nsub, sizeof(names[0]), by_key_name);
        for (i = 0; i < nsub; i++) {
            ck_assert_int_eq(RegOpenKeyExW(key, names[i], 0, KEY_READ, &child), 0);
            snprintf(sub, sizeof(sub), "%s\\%ls", path, names[i]);
            dump_key(child, sub, all, d);
            RegCloseKey(child);
        }
        free(names);
    }
}

void dump_catalog_keys(struct dump *d, BOOL all)
{
    HKEY key;

    memset(d, 0, sizeof(*d));
    append(d, "");
    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, CATALOG_KEY, 0, KEY_READ, &key), 0);
    dump_key(key, "Protocol_Catalog9", all, d);
    RegCloseKey(key);
}

BOOL same_dump(const struct dump *a, const struct dump *b)
{
    size_t i;

    if (a->size == b->size && !memcmp(a->text, b->text, a->size))
        return TRUE;
    for (i = 0; i < a->size && i < b->size && a->text[i] == b->text[i]; i++)
        ;
    printf("dumps differ at byte %lu:\n--- before: %.300s\n--- after:  %.300s\n",
           (unsigned long)i, a->text + (i > 100 ? i - 100 : 0), b->text + (i > 100 ? i - 100 : 0));
    return FALSE;
}

void free_dump(struct dump *d)
{
    free(d->text);
    memset(d, 0, sizeof(*d));
}

void read_backup(struct cm_views *views)
{
    char path[MAX_PATH], out[4096];
    struct cm_error err;
    unsigned char *data;
    DWORD size;
    int rc;

    temp_path("layout.bak", path);
    rc = lspinst_file("backup", path, out, sizeof(out));
    ck_assert_msg(rc == 0, "backup exited %d: %s", rc, out);
    data = load(path, &size);
    cm_views_init(views);
    ck_assert_msg(!cm_unpack(data, size, views, &err), "%s", err.text);
    free(data);
}

/* lspkit's chains lose their GUIDs, which each installation draws anew. */
static void forget_our_guids(struct cm_catalog *cat)
{
    static const GUID none;
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cm_is_chain(&cat->entries[i]) && cm_is_ours(cat, &cat->entries[i], &cm_lspkit_guid))
            cat->entries[i].info.ProviderId = none;
}

BOOL same_layout_but_ours(const struct cm_views *a, const struct cm_views *b)
{
    struct cm_views x, y;
    BOOL same = TRUE;
    int v;

    cm_views_init(&x);
    cm_views_init(&y);
    ck_assert_int_eq(cm_views_copy(&x, a), 0);
    ck_assert_int_eq(cm_views_copy(&y, b), 0);
    for (v = 0; v < CM_VIEWS; v++) {
        forget_our_guids(&x.cat[v]);
        forget_our_guids(&y.cat[v]);
        same &= x.present[v] == y.present[v] && cm_same_layout(&x.cat[v], &y.cat[v]);
    }
    cm_views_free(&x);
    cm_views_free(&y);
    return same;
}

/* ---- a minimal JSON syntax check ---- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static const char *json_value(const char *p, int depth);

static const char *json_str(const char *p)
{
    if (*p++ != '"')
        return NULL;
    for (; *p && *p != '"'; p++)
        if ((unsigned char)*p < 0x20 || (*p == '\\' && !*++p))
            return NULL;
    return *p == '"' ? p + 1 : NULL;
}

static const char *json_items(const char *p, char close, BOOL keyed, int depth)
{
    p = skip_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (keyed) {
            p = json_str(p);
            if (!p || *(p = skip_ws(p)) != ':')
                return NULL;
            p = skip_ws(p + 1);
        }
        p = json_value(p, depth + 1);
        if (!p)
            return NULL;
        p = skip_ws(p);
        if (*p == close)
            return p + 1;
        if (*p != ',')
            return NULL;
        p = skip_ws(p + 1);
    }
}

static const char *json_value(const char *p, int depth)
{
    if (depth > 32)
        return NULL;
    if (*p == '{')
        return json_items(p, '}', TRUE, depth);
    if (*p == '[')
        return json_items(p, ']', FALSE, depth);
    if (*p == '"')
        return json_str(p);
    if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
        return p + 4;
    if (!strncmp(p, "false", 5))
        return p + 5;
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
        p += *p == '-';
        while (*p >= '0' && *p <= '9')
            p++;
        return p;
    }
    return NULL;
}

BOOL json_valid(const char *text)
{
    const char *end = json_value(skip_ws(text), 0);

    return end && !*skip_ws(end);
}

int json_count(const char *text, const char *needle)
{
    int n = 0;

    while ((text = strstr(text, needle))) {
        n++;
        text++;
    }
    return n;
}

/* ---- the other LSP ---- */

static int native_entries(WSAPROTOCOL_INFOW *infos, DWORD size)
{
    int error = 0, n = WSCEnumProtocols(NULL, infos, &size, &error);

    ck_assert_msg(n != SOCKET_ERROR, "WSCEnumProtocols: %d", error);
    return n;
}

int native_count(void)
{
    WSAPROTOCOL_INFOW infos[64];
    int i, n = native_entries(infos, sizeof(infos)), bases = 0;

    for (i = 0; i < n; i++)
        bases += infos[i].ProtocolChain.ChainLen == BASE_PROTOCOL;
    return bases;
}

/* Puts the entries of provider `first` ahead of all others, in one catalog. */
static void order_first(const GUID *first, BOOL wow)
{
    WSAPROTOCOL_INFOW infos[64];
    DWORD size = sizeof(infos), ids[64];
    int error = 0, i, n, k = 0;

    n = wow ? WSCEnumProtocols32(NULL, infos, &size, &error) : native_entries(infos, size);
    ck_assert_int_gt(n, 0);
    for (i = 0; i < n; i++)
        if (IsEqualGUID(&infos[i].ProviderId, first))
            ids[k++] = infos[i].dwCatalogEntryId;
    for (i = 0; i < n; i++)
        if (!IsEqualGUID(&infos[i].ProviderId, first))
            ids[k++] = infos[i].dwCatalogEntryId;
    ck_assert_int_eq(wow ? WSCWriteProviderOrder32(ids, n) : WSCWriteProviderOrder(ids, n), 0);
}

DWORD install_other_lsp(void)
{
    static WCHAR path[] = L"%SystemRoot%\\system32\\lspkit_base.dll";
    WSAPROTOCOL_INFOW infos[64], layered, chains[2];
    int error = 0, i, n, made = 0;
    DWORD layered_id = 0;

    n = native_entries(infos, sizeof(infos));
    for (i = 0; i < n; i++)
        if (infos[i].iAddressFamily == AF_INET && infos[i].iSocketType == SOCK_STREAM &&
            infos[i].ProtocolChain.ChainLen == BASE_PROTOCOL)
            layered = infos[i];
    layered.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    layered.dwProviderFlags = PFL_HIDDEN;
    wcscpy(layered.szProtocol, L"Other LSP");
    ck_assert_int_eq(WSCInstallProvider64_32((GUID *)&other_layered, path, &layered, 1, &error), 0);
    n = native_entries(infos, sizeof(infos));
    for (i = 0; i < n; i++)
        if (IsEqualGUID(&infos[i].ProviderId, &other_layered))
            layered_id = infos[i].dwCatalogEntryId;
    for (i = 0; i < n && made < 2; i++) {
        if (infos[i].iAddressFamily != AF_INET || infos[i].ProtocolChain.ChainLen != BASE_PROTOCOL ||
            (infos[i].iProtocol != IPPROTO_TCP && infos[i].iProtocol != IPPROTO_UDP))
            continue;
        chains[made] = infos[i];
        chains[made].ProtocolChain.ChainLen = 2;
        chains[made].ProtocolChain.ChainEntries[0] = layered_id;
        chains[made].ProtocolChain.ChainEntries[1] = infos[i].dwCatalogEntryId;
        chains[made].dwServiceFlags1 &= ~XP1_IFS_HANDLES;
        swprintf(chains[made].szProtocol, WSAPROTOCOL_LEN, L"Other over %ls", infos[i].szProtocol);
        made++;
    }
    ck_assert_int_eq(made, 2);
    ck_assert_int_eq(WSCInstallProvider64_32((GUID *)&other_chains, path, chains, 2, &error), 0);
    order_first(&other_chains, FALSE);
    order_first(&other_chains, TRUE);
    return layered_id;
}

static int chain_len_headed(const struct cm_views *views, DWORD head, int protocol)
{
    const struct cm_catalog *cat = &views->cat[CM_VIEW_NATIVE];
    DWORD i;

    for (i = 0; i < cat->count; i++) {
        const WSAPROTOCOL_INFOW *info = &cat->entries[i].info;

        if (cm_is_chain(&cat->entries[i]) && info->ProtocolChain.ChainEntries[0] == head &&
            info->iAddressFamily == AF_INET && info->iProtocol == protocol)
            return info->ProtocolChain.ChainLen;
    }
    return 0;
}

int chain_len_over(const struct cm_views *views, const GUID *guid, int protocol)
{
    int at = cm_find_layered(&views->cat[CM_VIEW_NATIVE], guid);

    ck_assert_int_ge(at, 0);
    return chain_len_headed(views, views->cat[CM_VIEW_NATIVE].entries[at].info.dwCatalogEntryId,
                            protocol);
}

int other_chain_len(const struct cm_views *views, DWORD layered_id, int protocol)
{
    return chain_len_headed(views, layered_id, protocol);
}

void reset_catalog(void)
{
    char out[4096];
    int error;

    SetEnvironmentVariableA("LSPINST_FAIL_AFTER_WRITES", NULL);
    SetEnvironmentVariableA("LSPINST_FAIL_WRITE", NULL);
    lspinst("repair", out, sizeof(out));
    lspinst("remove", out, sizeof(out));
    WSCDeinstallProvider((GUID *)&other_chains, &error);
    WSCDeinstallProvider32((GUID *)&other_chains, &error);
    WSCDeinstallProvider((GUID *)&other_layered, &error);
    WSCDeinstallProvider32((GUID *)&other_layered, &error);
}

static void add_case(Suite *s, const TTest *test)
{
    TCase *t = tcase_create(test->name);

    tcase_set_timeout(t, 600);
    tcase_add_checked_fixture(t, NULL, reset_catalog);
    tcase_add_test(t, test);
    suite_add_tcase(s, t);
}

int run_cases(const char *name, const TTest *const *tests, size_t count, int argc, char **argv)
{
    Suite *s = suite_create(name);
    SRunner *runner;
    size_t i;
    int failed;

    for (i = 0; i < count; i++)
        add_case(s, tests[i]);
    if (!prepare())
        return 1;
    runner = srunner_create(s);
    srunner_run(runner, NULL, argc > 1 ? argv[1] : NULL, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? 1 : 0;
}
