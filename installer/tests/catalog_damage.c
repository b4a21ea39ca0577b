/* SPDX-License-Identifier: MIT */
/* catalog_damage.exe: damaged catalogs (arrangement "frontend"): a program
 * started on one changes nothing in the registry, and verify sees them.
 *
 * With lspkit installed, the native catalog is damaged in one of the shapes
 * a fuzz run met: Num_Catalog_Entries 0, every entry garbage, or the
 * TCP/IPv4 base entry garbled. Then a program starts (this program again,
 * with --child: WSAStartup and a TCP socket). Windows never rewrites the
 * catalog on a read, and neither may the front end: the catalog keys must
 * be byte-identical afterwards, Serial_Access_Num and Next_Catalog_Entry_ID
 * included, and the program must end with a Winsock error of its own, not
 * a crash or a hang. Then `lspinst verify` must see the damage, and after
 * `lspinst repair` verify may be clean only if the program gets its socket.
 * One case per run: zero_count_start, all_garbage_start, garbled_base_start;
 * verify_store: what verify finds that the WSC* API does not show;
 * verify_identity: lspkit.dll that is another provider's DLL;
 * count_hides_repair: repair takes back what a count set too low hides;
 * repair_sets_aside: a transaction record repair cannot go back to; and
 * fuzz1..fuzz4, a bounded fuzz of six trials each (seeds 1..4): random
 * damage (mutate()), then a program start, verify, repair, verify, and a
 * program start again when verify is clean. It counts crashes, hangs,
 * starts that changed the catalog, "verify clean but sockets fail" and
 * entries repair lost; every count must be zero. */
#include <winsock2.h>
#include <ws2spi.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "../../catalog/check.h"
#include "../../catalog/pack.h"
#include "../../catalog/packed.h"

#define CHILD_ARG   "--child"
#define ROOT_KEY    L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"
#define NATIVE_KEY  ROOT_KEY L"\\Catalog_Entries64"
#define WSA_FIRST   10000   /* Winsock error codes: WSABASEERR and up */
#define WSA_LAST    11999

struct packed {
    CHAR path[MAX_PATH];
    WSAPROTOCOL_INFOW info;
};

static char out[1 << 16];

/* The program started on the damaged catalog: its exit code is 0 when it
 * got a TCP socket, else the Winsock error it met. */
static int child_main(void)
{
    WSADATA data;
    SOCKET s;
    int error = WSAStartup(MAKEWORD(2, 2), &data);

    if (error) {
        printf("child: WSAStartup failed: %d\n", error);
        return error;
    }
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
    printf("child: socket: %s %d\n", error ? "error" : "ok", error);
    if (!error)
        closesocket(s);
    WSACleanup();
    return error;
}

static HKEY open_native(REGSAM access)
{
    HKEY key;

    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, NATIVE_KEY, 0, access, &key), 0);
    return key;
}

static void set_packed(HKEY view, const WCHAR *name, const void *data, DWORD size)
{
    HKEY key;

    ck_assert_int_eq(RegOpenKeyExW(view, name, 0, KEY_SET_VALUE, &key), 0);
    ck_assert_int_eq(RegSetValueExW(key, L"PackedCatalogItem", 0, REG_BINARY, data, size), 0);
    RegCloseKey(key);
}

static BOOL get_packed(HKEY view, const WCHAR *name, struct packed *p)
{
    DWORD size = sizeof(*p);
    HKEY key;
    LSTATUS status;

    if (RegOpenKeyExW(view, name, 0, KEY_QUERY_VALUE, &key))
        return FALSE;
    status = RegQueryValueExW(key, L"PackedCatalogItem", NULL, NULL, (BYTE *)p, &size);
    RegCloseKey(key);
    return !status && size == sizeof(*p);
}

/* Damage: the count hides every entry past the first `count`; every entry
 * key stays. */
static void set_count(DWORD count)
{
    HKEY view = open_native(KEY_SET_VALUE);

    ck_assert_int_eq(RegSetValueExW(view, L"Num_Catalog_Entries", 0, REG_DWORD,
                                    (const BYTE *)&count, sizeof(count)), 0);
    RegCloseKey(view);
}

static void zero_count(void)
{
    set_count(0);
}

/* Damage: every entry's PackedCatalogItem is a few bytes of garbage. The
 * garbled base entry: an impossible ChainLen and a path without its NUL. */
static void garble(BOOL all)
{
    static const BYTE garbage[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01 };
    HKEY view = open_native(KEY_READ | KEY_SET_VALUE);
    WCHAR name[64];
    struct packed p;
    DWORD i, len, hit = 0;

    for (i = 0; len = 64, !RegEnumKeyExW(view, i, name, &len, NULL, NULL, NULL, NULL); i++) {
        if (all) {
            set_packed(view, name, garbage, sizeof(garbage));
            hit++;
        } else if (get_packed(view, name, &p) && p.info.ProtocolChain.ChainLen == BASE_PROTOCOL &&
                   p.info.iAddressFamily == AF_INET && p.info.iSocketType == SOCK_STREAM) {
            p.info.ProtocolChain.ChainLen = 0x5555;
            memset(p.path, 'x', sizeof(p.path));
            set_packed(view, name, &p, sizeof(p));
            hit++;
            break;
        }
    }
    RegCloseKey(view);
    ck_assert_msg(hit > 0, "no entry to garble");
}

static void all_garbage(void) { garble(TRUE); }
static void garbled_base(void) { garble(FALSE); }

/* The store deleted and seeded afresh (this process's WSCEnumProtocols,
 * through the front end), then lspkit installed over it. */
static void fresh_installation(void)
{
    WSAPROTOCOL_INFOW infos[64];
    DWORD size = sizeof(infos);
    int error;

    RegDeleteTreeW(HKEY_LOCAL_MACHINE, ROOT_KEY);
    RegDeleteKeyW(HKEY_LOCAL_MACHINE, ROOT_KEY);
    ck_assert_int_gt(WSCEnumProtocols(NULL, infos, &size, &error), 0);
    ck_assert_msg(lspinst("install --dll32 %SystemRoot%\\SysWOW64\\lspkit.dll", out,
                          sizeof(out)) == 0, "install:\n%s", out);
}

/* Next_Catalog_Entry_ID as it stands. */
static DWORD next_id_value(void)
{
    DWORD value = 0, size = sizeof(value);

    ck_assert_int_eq(RegGetValueW(HKEY_LOCAL_MACHINE, ROOT_KEY, L"Next_Catalog_Entry_ID",
                                  RRF_RT_REG_DWORD, NULL, &value, &size), 0);
    return value;
}

static void assert_clean(void)
{
    int rc = lspinst("verify", out, sizeof(out));

    ck_assert_msg(rc == 0, "verify exited %d:\n%s", rc, out);
}

/* The program started again, its exit code. */
static int start_program(void)
{
    WCHAR self[MAX_PATH];
    struct run child;

    GetModuleFileNameW(NULL, self, MAX_PATH);
    run_start(&child, self, CHILD_ARG);
    return run_finish(&child, out, sizeof(out));
}

/* verify sees the damage; repair ends (it may leave what it cannot fix);
 * then verify is clean only if sockets work. */
static void after_repair(const char *shape)
{
    int rc = lspinst("verify", out, sizeof(out));

    ck_assert_msg(rc == 1, "%s: verify exited %d:\n%s", shape, rc, out);
    rc = lspinst("repair", out, sizeof(out));
    ck_assert_msg(rc == 0 || rc == 1, "%s: repair exited %d:\n%s", shape, rc, out);
    rc = lspinst("verify", out, sizeof(out));
    printf("%s: after repair, verify exited %d: %s", shape, rc, out);
    if (rc == 0) {
        rc = start_program();
        ck_assert_msg(rc == 0, "%s: verify is clean after repair, but the program exited %d:\n%s",
                      shape, rc, out);
    }
}

static void start_on(const char *shape, void (*damage)(void))
{
    struct dump before, after;
    int rc;

    fresh_installation();
    damage();
    dump_catalog_keys(&before, TRUE);
    rc = start_program();
    printf("%s: the program exited %d: %s", shape, rc, out);
    ck_assert_msg(rc >= WSA_FIRST && rc <= WSA_LAST,
                  "%s: the program exited %d (0x%x), not with a Winsock error:\n%s", shape, rc,
                  (unsigned)rc, out);
    dump_catalog_keys(&after, TRUE);
    ck_assert_msg(same_dump(&before, &after), "%s: a program start changed the catalog", shape);
    free_dump(&before);
    free_dump(&after);
    after_repair(shape);
}

static void set_next_id(DWORD value)
{
    HKEY root;

    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, ROOT_KEY, 0, KEY_SET_VALUE, &root), 0);
    ck_assert_int_eq(RegSetValueExW(root, L"Next_Catalog_Entry_ID", 0, REG_DWORD,
                                    (const BYTE *)&value, sizeof(value)), 0);
    RegCloseKey(root);
}

/* Points the native chain over TCP/IPv4 at a DLL that does not exist; the
 * provider's other entries keep the path WSCGetProviderPath shows. */
static void chain_points_nowhere(void)
{
    HKEY view = open_native(KEY_READ | KEY_SET_VALUE);
    WCHAR name[64];
    struct packed p;
    DWORD i, len;
    BOOL hit = FALSE;

    for (i = 0; !hit && (len = 64, !RegEnumKeyExW(view, i, name, &len, NULL, NULL, NULL, NULL));
         i++) {
        if (get_packed(view, name, &p) && p.info.ProtocolChain.ChainLen > BASE_PROTOCOL &&
            p.info.iAddressFamily == AF_INET && p.info.iSocketType == SOCK_STREAM) {
            memset(p.path, 0, sizeof(p.path));
            strcpy(p.path, "C:\\nowhere\\lspkit.dll");
            set_packed(view, name, &p, sizeof(p));
            hit = TRUE;
        }
    }
    RegCloseKey(view);
    ck_assert_msg(hit, "no chain over TCP/IPv4");
}

/* What the API does not show, verify still finds: an id counter that is
 * used up, and an entry whose own DLL is missing (programs fail on it). */
START_TEST(verify_store)
{
    DWORD next;
    int rc;

    fresh_installation();
    next = next_id_value();
    set_next_id(MAXDWORD);
    rc = lspinst("verify", out, sizeof(out));
    ck_assert_msg(rc == 1 && strstr(out, "Next_Catalog_Entry_ID"), "verify exited %d:\n%s", rc,
                  out);
    set_next_id(next);
    assert_clean();

    chain_points_nowhere();
    rc = start_program();
    ck_assert_msg(rc >= WSA_FIRST && rc <= WSA_LAST, "the program exited %d:\n%s", rc, out);
    rc = lspinst("verify", out, sizeof(out));
    ck_assert_msg(rc == 1 && strstr(out, "C:\\nowhere\\lspkit.dll"), "verify exited %d:\n%s",
                  rc, out);
}
END_TEST

/* lspkit.dll replaced by another provider DLL: every socket through the
 * chains would fail, and verify says whose DLL it is not. (This run's
 * prefix is its own, and bin/lspkit-wine put the file there for it.) */
START_TEST(verify_identity)
{
    WCHAR lspkit[MAX_PATH], base[MAX_PATH];
    int rc;

    fresh_installation();
    assert_clean();
    ExpandEnvironmentStringsW(L"%SystemRoot%\\system32\\lspkit.dll", lspkit, MAX_PATH);
    ExpandEnvironmentStringsW(L"%SystemRoot%\\system32\\lspkit_base.dll", base, MAX_PATH);
    ck_assert(CopyFileW(base, lspkit, FALSE));
    rc = lspinst("verify", out, sizeof(out));
    ck_assert_msg(rc == 1 && strstr(out, "not lspkit's"), "verify exited %d:\n%s", rc, out);
}
END_TEST

/* What identifies the native catalog's entries apart from their ids, in
 * catalog order, as the front end shows it now. */
static int layout_of(WCHAR *text, size_t size)
{
    WSAPROTOCOL_INFOW infos[64];
    DWORD bytes = sizeof(infos);
    int n, i, error;
    size_t used = 0;

    n = WSCEnumProtocols(NULL, infos, &bytes, &error);
    ck_assert_msg(n > 0, "WSCEnumProtocols: %d, error %d", n, error);
    for (i = 0; i < n; i++)
        used += (size_t)swprintf(text + used, size - used, L"%ls/%d/%08lx\n",
                                 infos[i].szProtocol, infos[i].ProtocolChain.ChainLen,
                                 infos[i].ProviderId.Data1);
    return n;
}

/* A count set too low hides entries programs then lack (here every base
 * provider and lspkit's layered entry): repair takes them back, in their
 * order, instead of deleting them, and sockets work again. */
START_TEST(count_hides_repair)
{
    static WCHAR before[8192], after[8192];
    int rc;

    fresh_installation();
    layout_of(before, 8192);
    set_count(1);
    rc = start_program();
    ck_assert_msg(rc >= WSA_FIRST && rc <= WSA_LAST, "the program exited %d:\n%s", rc, out);
    rc = lspinst("repair", out, sizeof(out));
    ck_assert_msg(rc == 0 && strstr(out, "took back 10 entries"), "repair exited %d:\n%s", rc,
                  out);
    assert_clean();
    layout_of(after, 8192);
    ck_assert_msg(!wcscmp(before, after), "before:\n%ls\nafter repair:\n%ls", before, after);
    rc = start_program();
    ck_assert_msg(rc == 0, "the program exited %d after repair:\n%s", rc, out);
}
END_TEST

/* A transaction record repair cannot go back to: it names base entries
 * this system lacks (as after a Winsock reset). Written as a killed
 * `lspinst install` leaves it. */
static void plant_unusable_record(void)
{
    static const char command[] = "install";
    struct cm_views views;
    unsigned char *data;
    size_t size;
    DWORD i;
    HKEY key;
    int v;

    read_backup(&views);
    for (v = 0; v < CM_VIEWS; v++)
        for (i = 0; i < views.cat[v].count; i++)
            if (cm_is_base(&views.cat[v].entries[i]))
                views.cat[v].entries[i].info.ProviderId.Data1 ^= 0x5a5a5a5a;
    ck_assert_int_eq(cm_pack(&views, &data, &size), 0);
    cm_views_free(&views);
    ck_assert_int_eq(RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\lspkit\\Installer", 0, NULL,
                                     0, KEY_SET_VALUE, NULL, &key, NULL), 0);
    ck_assert_int_eq(RegSetValueExW(key, L"Before", 0, REG_BINARY, data, (DWORD)size), 0);
    ck_assert_int_eq(RegSetValueExA(key, "Command", 0, REG_SZ, (const BYTE *)command,
                                    sizeof(command)), 0);
    RegCloseKey(key);
    free(data);
}

/* Repair always makes progress: a record it cannot go back to is set
 * aside (Installer\Abandoned), reported, and blocks nothing after it. */
START_TEST(repair_sets_aside)
{
    char kept[16] = "";
    DWORD size = sizeof(kept);
    int rc;

    fresh_installation();
    plant_unusable_record();
    rc = lspinst("install --dll32 %SystemRoot%\\SysWOW64\\lspkit.dll", out, sizeof(out));
    ck_assert_msg(rc == 2 && strstr(out, "repair"), "install exited %d:\n%s", rc, out);
    rc = lspinst("repair", out, sizeof(out));
    ck_assert_msg(rc == 1 && strstr(out, "Abandoned"), "repair exited %d:\n%s", rc, out);
    ck_assert_int_eq(RegGetValueA(HKEY_LOCAL_MACHINE, "SOFTWARE\\lspkit\\Installer\\Abandoned",
                                  "Command", RRF_RT_REG_SZ, NULL, kept, &size), 0);
    ck_assert_str_eq(kept, "install");
    rc = lspinst("repair", out, sizeof(out));
    ck_assert_msg(rc == 0, "a second repair exited %d:\n%s", rc, out);
    assert_clean();
    rc = lspinst("install --dll32 %SystemRoot%\\SysWOW64\\lspkit.dll", out, sizeof(out));
    ck_assert_msg(rc == 0, "install after repair exited %d:\n%s", rc, out);
    ck_assert_int_eq(start_program(), 0);
}
END_TEST

START_TEST(zero_count_start)
{
    start_on("Num_Catalog_Entries 0", zero_count);
}
END_TEST

START_TEST(all_garbage_start)
{
    start_on("every entry garbage", all_garbage);
}
END_TEST

START_TEST(garbled_base_start)
{
    start_on("TCP/IPv4 base entry garbled", garbled_base);
}
END_TEST

/* ---- the bounded fuzz ---- */

#define FUZZ_TRIALS  6         /* per case: each trial runs seven programs */
#define FUZZ_WAIT_MS 60000     /* a program start that takes longer hangs */
#define GOOD_KEY     L"SOFTWARE\\lspkit-test-good-catalog"

struct fuzz_counts {
    int crashes, hangs, changed, clean_but_failing, lost;
};

static unsigned fuzz_state;

static unsigned fuzz_next(unsigned below)
{
    fuzz_state = fuzz_state * 1103515245u + 12345u;
    return (fuzz_state >> 16) % below;
}

static void copy_tree(const WCHAR *from, const WCHAR *to)
{
    HKEY src, dst;

    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, from, 0, KEY_READ, &src), 0);
    ck_assert_int_eq(RegCreateKeyExW(HKEY_LOCAL_MACHINE, to, 0, NULL, 0, KEY_ALL_ACCESS, NULL,
                                     &dst, NULL), 0);
    ck_assert_int_eq(RegCopyTreeW(src, NULL, dst), 0);
    RegCloseKey(dst);
    RegCloseKey(src);
}

static void delete_tree(const WCHAR *path)
{
    RegDeleteTreeW(HKEY_LOCAL_MACHINE, path);
    RegDeleteKeyW(HKEY_LOCAL_MACHINE, path);
}

/* The entry key names of a catalog. */
static DWORD entry_keys(HKEY view, WCHAR names[][64], DWORD max)
{
    DWORD n = 0, len;

    while (n < max && (len = 64, !RegEnumKeyExW(view, n, names[n], &len, NULL, NULL, NULL, NULL)))
        n++;
    return n;
}

/* One random change of the kinds a damaged store shows: garbage, a
 * truncated or deleted entry, a wrong count, a wrong id counter, an entry
 * whose own DLL is missing, one hidden or shown, one for another protocol,
 * one whose id changed. */
static void mutate(void)
{
    static const DWORD next_ids[] = { 0, 1, 1005, MAXDWORD };
    WCHAR names[64][64], path[300];
    BYTE bytes[CM_PACKED_SIZE];
    struct packed p;
    DWORD n, k, value, size;
    HKEY view;

    swprintf(path, 300, L"%ls\\%ls", ROOT_KEY,
             fuzz_next(5) ? L"Catalog_Entries64" : L"Catalog_Entries");
    ck_assert_int_eq(RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_ALL_ACCESS, &view), 0);
    n = entry_keys(view, names, 64);
    k = n ? fuzz_next(n) : 0;
    switch (n ? fuzz_next(9) : 3) {
    case 0:   /* garbage of any length up to an item's */
        size = fuzz_next(sizeof(bytes) + 1);
        for (value = 0; value < size; value++)
            bytes[value] = (BYTE)fuzz_next(256);
        set_packed(view, names[k], bytes, size);
        break;
    case 1:   /* truncated */
        if (get_packed(view, names[k], &p))
            set_packed(view, names[k], &p, fuzz_next(sizeof(p)));
        break;
    case 2:
        RegDeleteTreeW(view, names[k]);
        RegDeleteKeyW(view, names[k]);
        break;
    case 3:
        value = fuzz_next(n + 3);
        RegSetValueExW(view, L"Num_Catalog_Entries", 0, REG_DWORD, (const BYTE *)&value,
                       sizeof(value));
        break;
    case 4:
        set_next_id(next_ids[fuzz_next(4)]);
        break;
    case 5:   /* its own DLL missing */
        if (get_packed(view, names[k], &p)) {
            memset(p.path, 0, sizeof(p.path));
            strcpy(p.path, "C:\\nowhere\\provider.dll");
            set_packed(view, names[k], &p, sizeof(p));
        }
        break;
    case 6:   /* hidden from programs, or shown */
        if (get_packed(view, names[k], &p)) {
            p.info.dwProviderFlags ^= PFL_HIDDEN;
            set_packed(view, names[k], &p, sizeof(p));
        }
        break;
    case 7:   /* for another protocol */
        if (get_packed(view, names[k], &p)) {
            p.info.iProtocol = (int)fuzz_next(20);
            set_packed(view, names[k], &p, sizeof(p));
        }
        break;
    default:  /* another id: chains naming the old one lose it */
        if (get_packed(view, names[k], &p)) {
            p.info.dwCatalogEntryId = 1 + fuzz_next(2000);
            set_packed(view, names[k], &p, sizeof(p));
        }
        break;
    }
    RegCloseKey(view);
}

/* A program start, counted as crash or hang; its exit code otherwise. */
static int counted_start(struct fuzz_counts *c)
{
    WCHAR self[MAX_PATH];
    struct run child;
    DWORD code;

    GetModuleFileNameW(NULL, self, MAX_PATH);
    run_start(&child, self, CHILD_ARG);
    if (WaitForSingleObject(child.process, FUZZ_WAIT_MS) != WAIT_OBJECT_0) {
        c->hangs++;
        TerminateProcess(child.process, 1);
    }
    code = (DWORD)run_finish(&child, out, sizeof(out));
    if (code >= 0xC0000000u)
        c->crashes++;
    return (int)code;
}

/* Whether an entry's DLL exists (lspinst also reads it as a PE file, which
 * the fuzz never damages): enough to tell which entries verify names. */
static const char *dll_missing(const WCHAR *path, enum cm_view view, BOOL ours, void *ctx)
{
    WCHAR expanded[MAX_PATH];
    DWORD n, attributes;

    (void)view;
    (void)ours;
    (void)ctx;
    n = ExpandEnvironmentStringsW(path, expanded, MAX_PATH);
    attributes = n && n <= MAX_PATH ? GetFileAttributesW(expanded) : INVALID_FILE_ATTRIBUTES;
    return attributes == INVALID_FILE_ATTRIBUTES || (attributes & FILE_ATTRIBUTE_DIRECTORY)
               ? "does not exist" : NULL;
}

/* TRUE when `after` holds entry `e`: by its id, or under a new one (repair
 * installs entries it takes back, and the rest of their provider, again):
 * the same provider, kind, protocol and name. */
static int kind_of(const WSAPROTOCOL_INFOW *info)
{
    return info->ProtocolChain.ChainLen > BASE_PROTOCOL ? 2 : info->ProtocolChain.ChainLen;
}

static BOOL still_there(const struct cm_catalog *after, const struct cm_entry *e)
{
    DWORD i;

    if (cm_find_id(after, e->info.dwCatalogEntryId) >= 0)
        return TRUE;
    for (i = 0; i < after->count; i++) {
        const WSAPROTOCOL_INFOW *a = &after->entries[i].info;

        if (IsEqualGUID(&a->ProviderId, &e->info.ProviderId) &&
            kind_of(a) == kind_of(&e->info) &&
            a->iAddressFamily == e->info.iAddressFamily &&
            a->iSocketType == e->info.iSocketType && a->iProtocol == e->info.iProtocol &&
            !wcscmp(a->szProtocol, e->info.szProtocol))
            return TRUE;
    }
    return FALSE;
}

/* Entries readable before repair, neither lspkit's when verify called its
 * installation damaged (repair takes it out as a whole) nor named by a
 * problem of their own, must be there after repair. */
static int entries_lost(const struct cm_views *before, const struct cm_views *after)
{
    struct cm_problems problems;
    BOOL ours_damaged = FALSE;
    DWORD i, j;
    int v, lost = 0;

    cm_problems_init(&problems);
    ck_assert_int_eq(cm_check(before, &cm_lspkit_guid, dll_missing, NULL, &problems), 0);
    for (i = 0; i < problems.count; i++)
        ours_damaged |= problems.items[i].ours;
    for (v = 0; v < CM_VIEWS; v++) {
        const struct cm_catalog *cat = &before->cat[v];

        for (i = 0; i < cat->count; i++) {
            const struct cm_entry *e = &cat->entries[i];
            BOOL named = FALSE;

            for (j = 0; j < problems.count; j++)
                named |= problems.items[j].view == (enum cm_view)v &&
                         problems.items[j].id == e->info.dwCatalogEntryId;
            if (named || (ours_damaged && cm_is_ours(cat, e, &cm_lspkit_guid)) ||
                still_there(&after->cat[v], e))
                continue;
            printf("fuzz: entry %lu of view %d lost by repair\n",
                   (unsigned long)e->info.dwCatalogEntryId, v);
            lost++;
        }
    }
    cm_problems_free(&problems);
    return lost;
}

static void fuzz_trial(int trial, struct fuzz_counts *c)
{
    struct cm_views before, after;
    struct dump d1, d2;
    int i, rc;

    delete_tree(ROOT_KEY);
    copy_tree(GOOD_KEY, ROOT_KEY);
    for (i = 1 + (int)fuzz_next(3); i > 0; i--)
        mutate();
    dump_catalog_keys(&d1, TRUE);
    counted_start(c);
    dump_catalog_keys(&d2, TRUE);
    if (!same_dump(&d1, &d2))
        c->changed++;
    free_dump(&d1);
    free_dump(&d2);
    read_backup(&before);
    lspinst("verify", out, sizeof(out));
    rc = lspinst("repair", out, sizeof(out));
    printf("fuzz trial %d: repair exited %d\n", trial, rc);
    if (lspinst("verify", out, sizeof(out)) == 0 && (rc = counted_start(c)) != 0) {
        printf("fuzz trial %d: verify clean after repair, the program exited %d: %s", trial, rc,
               out);
        c->clean_but_failing++;
    }
    read_backup(&after);
    c->lost += entries_lost(&before, &after);
    cm_views_free(&before);
    cm_views_free(&after);
}

static void fuzz(unsigned seed)
{
    struct fuzz_counts c = { 0 };
    int trial;

    fuzz_state = seed;
    fresh_installation();
    delete_tree(GOOD_KEY);
    copy_tree(ROOT_KEY, GOOD_KEY);
    for (trial = 0; trial < FUZZ_TRIALS; trial++)
        fuzz_trial(trial, &c);
    delete_tree(ROOT_KEY);
    copy_tree(GOOD_KEY, ROOT_KEY);
    delete_tree(GOOD_KEY);
    printf("catalog fuzz, seed %u, %d trials: crashes %d, hangs %d, starts that changed the "
           "catalog %d, verify clean but sockets fail %d, entries lost %d\n", seed, FUZZ_TRIALS,
           c.crashes, c.hangs, c.changed, c.clean_but_failing, c.lost);
    ck_assert(!c.crashes && !c.hangs && !c.changed && !c.clean_but_failing && !c.lost);
}

START_TEST(fuzz1) { fuzz(1); }
END_TEST
START_TEST(fuzz2) { fuzz(2); }
END_TEST
START_TEST(fuzz3) { fuzz(3); }
END_TEST
START_TEST(fuzz4) { fuzz(4); }
END_TEST

int main(int argc, char **argv)
{
    const TTest *tests[] = { zero_count_start, all_garbage_start, garbled_base_start, verify_store,
                             verify_identity, count_hides_repair, repair_sets_aside,
                             fuzz1, fuzz2, fuzz3, fuzz4 };

    if (argc > 1 && !strcmp(argv[1], CHILD_ARG))
        return child_main();
    return run_cases("catalog_damage", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
