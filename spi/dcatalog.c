/* SPDX-License-Identifier: MIT */
/* The registry catalog store (layout in dcatalog.h).
 *
 * Every read-modify-write runs under one named mutex, so two processes that
 * seed or install at once take turns. Nothing is cached between calls: each
 * call opens the keys afresh, so the next catalog_read of any process sees a
 * change. Only a catalog never written is seeded (a machine's first start,
 * or a key deleted on purpose); one that was is read as it stands, whatever
 * it holds, and never rewritten by a read. */
#include "dcatalog.h"
#include "../catalog/packed.h"
#include "lspkit/trace.h"
#include "sysws2.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define MUTEX_NAME       L"Global\\lspkit-catalog"
#define BASE_DLL_PATH    "%SystemRoot%\\system32\\lspkit_base.dll"
#define FIRST_CATALOG_ID 1001   /* where Windows starts handing out ids */
#define RAW_PROTOCOLS    255    /* a raw entry serves IP protocols 0..255 */

#define V_PACKED     L"PackedCatalogItem"
#define V_COUNT      L"Num_Catalog_Entries"
#define V_NEXT_ID    L"Next_Catalog_Entry_ID"
#define V_SERIAL     L"Serial_Access_Num"
#define V_CATEGORIES L"LspCategories"

_Static_assert(sizeof(struct catalog_entry) == CM_PACKED_SIZE,
               "a PackedCatalogItem is CHAR[MAX_PATH] followed by WSAPROTOCOL_INFOW");

/* The catalogs this build keeps: on x86 the native catalog is the 32-bit one. */
#ifdef _WIN64
static const enum catalog_view all_views[] = { CATALOG_NATIVE, CATALOG_32 };
#else
static const enum catalog_view all_views[] = { CATALOG_NATIVE };
#endif
#define ALL_VIEWS (sizeof(all_views) / sizeof(all_views[0]))

struct key_ref {
    ULONGLONG index;
    WCHAR name[CM_ENTRY_NAME_LEN + 1];
};

struct saved_category {
    DWORD id;
    DWORD categories;
};

/* ---- lock ---- */

static INIT_ONCE mutex_once = INIT_ONCE_STATIC_INIT;
static HANDLE catalog_mutex;   /* lives as long as the process */

static BOOL CALLBACK create_mutex(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    catalog_mutex = CreateMutexW(NULL, FALSE, MUTEX_NAME);
    return catalog_mutex != NULL;
}

int catalog_lock(void)
{
    if (!InitOnceExecuteOnce(&mutex_once, create_mutex, NULL, NULL))
        return WSANO_RECOVERY;
    switch (WaitForSingleObject(catalog_mutex, INFINITE)) {
    case WAIT_OBJECT_0:
    case WAIT_ABANDONED:   /* the holder died; what it left is what catalog_read tolerates */
        return 0;
    default:
        return WSANO_RECOVERY;
    }
}

void catalog_unlock(void)
{
    ReleaseMutex(catalog_mutex);
}

/* ---- registry helpers ---- */

/* Both bitnesses must see one store, so every key is opened in the 64-bit view. */
static LSTATUS open_key(HKEY parent, const WCHAR *name, BOOL create, REGSAM access, HKEY *out)
{
    access |= KEY_WOW64_64KEY;
    if (create)
        return RegCreateKeyExW(parent, name, 0, NULL, 0, access, NULL, out, NULL);
    return RegOpenKeyExW(parent, name, 0, access, out);
}

static const WCHAR *view_key_name(enum catalog_view view)
{
#ifdef _WIN64
    if (view == CATALOG_NATIVE)
        return L"Catalog_Entries64";
#else
    (void)view;
#endif
    return L"Catalog_Entries";
}

/* Windows also counts each catalog's entries in Protocol_Catalog9 itself. */
static const WCHAR *root_count_name(enum catalog_view view)
{
#ifdef _WIN64
    if (view == CATALOG_NATIVE)
        return L"Num_Catalog_Entries64";
#else
    (void)view;
#endif
    return V_COUNT;
}

static DWORD query_dword(HKEY key, const WCHAR *name, DWORD fallback)
{
    DWORD type, value, size = sizeof(value);

    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)&value, &size) != ERROR_SUCCESS ||
        type != REG_DWORD || size != sizeof(value))
        return fallback;
    return value;
}

static BOOL set_dword(HKEY key, const WCHAR *name, DWORD value)
{
    return RegSetValueExW(key, name, 0, REG_DWORD, (const BYTE *)&value, sizeof(value)) ==
           ERROR_SUCCESS;
}

static BOOL bump_serial(HKEY root)
{
    DWORD serial = query_dword(root, V_SERIAL, 0) + 1;

    return set_dword(root, V_SERIAL, serial ? serial : 1);   /* 0 means "no store" */
}

/* ---- entry keys ---- */

static int compare_refs(const void *a, const void *b)
{
    ULONGLONG x = ((const struct key_ref *)a)->index, y = ((const struct key_ref *)b)->index;

    return x < y ? -1 : x > y;
}

/* The entry keys under a catalog key, in catalog order. Keys whose names
 * are not twelve digits are not entries and are left out. */
static int list_entry_keys(HKEY view, struct key_ref **out, DWORD *count)
{
    DWORD subkeys, n = 0, i, len;
    struct key_ref *refs;
    WCHAR name[64];
    LSTATUS status;

    *out = NULL;
    *count = 0;
    if (RegQueryInfoKeyW(view, NULL, NULL, NULL, &subkeys, NULL, NULL, NULL, NULL, NULL, NULL,
                         NULL) != ERROR_SUCCESS)
        return WSANO_RECOVERY;
    refs = malloc((subkeys ? subkeys : 1) * sizeof(*refs));
    if (!refs)
        return WSA_NOT_ENOUGH_MEMORY;
    for (i = 0; n < subkeys; i++) {
        len = sizeof(name) / sizeof(name[0]);
        status = RegEnumKeyExW(view, i, name, &len, NULL, NULL, NULL, NULL);
        if (status == ERROR_NO_MORE_ITEMS)
            break;
        if (status == ERROR_MORE_DATA)
            continue;   /* a long name is no entry of ours */
        if (status != ERROR_SUCCESS) {
            free(refs);
            return WSANO_RECOVERY;
        }
        refs[n].index = cm_entry_index(name);
        if (!refs[n].index)
            continue;
        memcpy(refs[n].name, name, sizeof(refs[n].name));
        n++;
    }
    qsort(refs, n, sizeof(*refs), compare_refs);
    *out = refs;
    *count = n;
    return 0;
}

BOOL catalog_entry_valid(const struct catalog_entry *entry)
{
    return cm_packed_valid(entry->dll_path, &entry->info);
}

/* Reads one entry key; FALSE when it is missing, truncated or garbage. */
static BOOL read_entry(HKEY view, const WCHAR *name, struct catalog_entry *out)
{
    DWORD type, size = sizeof(*out);
    LSTATUS status;
    HKEY key;

    if (open_key(view, name, FALSE, KEY_QUERY_VALUE, &key) != ERROR_SUCCESS)
        return FALSE;
    status = RegQueryValueExW(key, V_PACKED, NULL, &type, (BYTE *)out, &size);
    RegCloseKey(key);
    return status == ERROR_SUCCESS && type == REG_BINARY && size == sizeof(*out) &&
           catalog_entry_valid(out);
}

/* The keys that hold entries: those up to Num_Catalog_Entries. Keys past it
 * are surplus that an interrupted catalog_write had no time to delete. */
static DWORD live_refs(HKEY view, const struct key_ref *refs, DWORD count)
{
    DWORD limit = query_dword(view, V_COUNT, MAXDWORD), n = 0;

    while (n < count && refs[n].index <= limit)
        n++;
    return n;
}

/* ---- reading ---- */

/* TRUE when a catalog was ever written: its key exists and holds a value
 * or a key, however empty or damaged they are. Only a catalog never
 * written is seeded: a key that is absent, or empty as Wine's setup
 * creates Catalog_Entries, has nothing to lose. */
static BOOL view_written(enum catalog_view view)
{
    DWORD subkeys = 0, values = 0;
    HKEY root, key;
    LSTATUS status;

    if (open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, FALSE, KEY_READ, &root) != ERROR_SUCCESS)
        return FALSE;
    status = open_key(root, view_key_name(view), FALSE, KEY_READ, &key);
    RegCloseKey(root);
    if (status != ERROR_SUCCESS)
        return FALSE;
    status = RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, &values, NULL, NULL,
                              NULL, NULL);
    RegCloseKey(key);
    /* A key that cannot be queried is not known to be empty: left alone. */
    return status != ERROR_SUCCESS || subkeys || values;
}

/* Reads a catalog as it stands, without seeding: absent keys read as empty.
 * What cannot be read is skipped and left where it is: only
 * `lspinst repair` rewrites a damaged catalog. */
static int read_view(enum catalog_view view, struct catalog *out)
{
    struct key_ref *refs;
    DWORD nkeys = 0, nrefs = 0, i;
    HKEY root, key;
    LSTATUS status;
    int error;

    memset(out, 0, sizeof(*out));
    if (open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, FALSE, KEY_READ, &root) != ERROR_SUCCESS)
        return 0;
    out->serial = query_dword(root, V_SERIAL, 0);
    status = open_key(root, view_key_name(view), FALSE, KEY_READ, &key);
    RegCloseKey(root);
    if (status != ERROR_SUCCESS)
        return 0;
    error = list_entry_keys(key, &refs, &nkeys);
    if (!error)
        nrefs = live_refs(key, refs, nkeys);
    if (!error && nrefs) {
        out->entries = malloc(nrefs * sizeof(*out->entries));
        if (!out->entries)
            error = WSA_NOT_ENOUGH_MEMORY;
    }
    for (i = 0; !error && i < nrefs; i++) {
        struct catalog_entry *entry = &out->entries[out->count];

        /* An id seen before makes the later entry garbage: ids name entries. */
        if (read_entry(key, refs[i].name, entry) &&
            !catalog_find_id(out, entry->info.dwCatalogEntryId))
            out->count++;
    }
    if (!error && (out->count < nrefs || nrefs < nkeys))
        TRACE("catalog read (%s catalog): %lu entries; %lu unreadable, %lu past "
              "Num_Catalog_Entries, left as they are ('lspinst verify', 'lspinst repair')",
              view == CATALOG_32 ? "32-bit" : "native", out->count, nrefs - out->count,
              nkeys - nrefs);
    free(refs);
    RegCloseKey(key);
    if (error)
        catalog_free(out);
    return error;
}

/* The highest id in any catalog of the store, 0 when they are empty. */
static int highest_id(DWORD *highest)
{
    struct catalog cat;
    DWORD v, i;
    int error;

    *highest = 0;
    for (v = 0; v < ALL_VIEWS; v++) {
        error = read_view(all_views[v], &cat);
        if (error)
            return error;
        for (i = 0; i < cat.count; i++)
            if (cat.entries[i].info.dwCatalogEntryId > *highest)
                *highest = cat.entries[i].info.dwCatalogEntryId;
        catalog_free(&cat);
    }
    return 0;
}

int catalog_next_id(DWORD *id)
{
    DWORD next, highest;
    HKEY root;
    int error;

    if (!id)
        return WSAEFAULT;
    error = catalog_lock();
    if (error)
        return error;
    error = highest_id(&highest);
    if (!error && open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, TRUE, KEY_READ | KEY_WRITE,
                           &root) != ERROR_SUCCESS)
        error = WSANO_RECOVERY;
    if (!error) {
        /* The counter alone is not trusted: a value lost or rewritten must
         * still never hand out an id that an entry already has. */
        next = query_dword(root, V_NEXT_ID, FIRST_CATALOG_ID);
        if (next < FIRST_CATALOG_ID)
            next = FIRST_CATALOG_ID;
        if (next <= highest)
            next = highest + 1;
        if (next == 0 || next == MAXDWORD || !set_dword(root, V_NEXT_ID, next + 1))
            error = WSANO_RECOVERY;
        else
            *id = next;
        RegCloseKey(root);
    }
    catalog_unlock();
    return error;
}

DWORD catalog_serial(void)
{
    DWORD serial = 0;
    HKEY root;

    if (open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, FALSE, KEY_QUERY_VALUE, &root) ==
        ERROR_SUCCESS) {
        serial = query_dword(root, V_SERIAL, 0);
        RegCloseKey(root);
    }
    return serial;
}

/* ---- writing ---- */

/* The LspCategories values of the entries now in a catalog, by id, so that
 * they follow their entries to new keys. */
static int save_categories(HKEY view, const struct key_ref *refs, DWORD nrefs,
                           struct saved_category **out, DWORD *count)
{
    struct catalog_entry entry;
    DWORD i, categories;
    HKEY key;

    *count = 0;
    *out = malloc((nrefs ? nrefs : 1) * sizeof(**out));
    if (!*out)
        return WSA_NOT_ENOUGH_MEMORY;
    for (i = 0; i < nrefs; i++) {
        if (!read_entry(view, refs[i].name, &entry))
            continue;
        if (open_key(view, refs[i].name, FALSE, KEY_QUERY_VALUE, &key) != ERROR_SUCCESS)
            continue;
        categories = query_dword(key, V_CATEGORIES, 0);
        RegCloseKey(key);
        if (categories) {
            (*out)[*count].id = entry.info.dwCatalogEntryId;
            (*out)[(*count)++].categories = categories;
        }
    }
    return 0;
}

static DWORD saved_categories_of(const struct saved_category *saved, DWORD count, DWORD id)
{
    DWORD i;

    for (i = 0; i < count; i++)
        if (saved[i].id == id)
            return saved[i].categories;
    return 0;
}

static int write_entry(HKEY view, DWORD index, const struct catalog_entry *entry,
                       DWORD categories)
{
    WCHAR name[CM_ENTRY_NAME_LEN + 1];
    BOOL ok;
    HKEY key;

    swprintf(name, CM_ENTRY_NAME_LEN + 1, L"%012lu", (unsigned long)index);
    if (open_key(view, name, TRUE, KEY_READ | KEY_WRITE, &key) != ERROR_SUCCESS)
        return WSANO_RECOVERY;
    ok = RegSetValueExW(key, V_PACKED, 0, REG_BINARY, (const BYTE *)entry, sizeof(*entry)) ==
         ERROR_SUCCESS;
    if (ok && categories)
        ok = set_dword(key, V_CATEGORIES, categories);
    else if (ok)
        RegDeleteValueW(key, V_CATEGORIES);   /* absent already is as good */
    RegCloseKey(key);
    return ok ? 0 : WSANO_RECOVERY;
}

/* Deleting is the last step: until then an interrupted write leaves only
 * keys past Num_Catalog_Entries, which readers ignore. A key that cannot be
 * deleted stays ignored for the same reason. */
static void delete_surplus(HKEY view, const struct key_ref *refs, DWORD nrefs, DWORD count)
{
    DWORD i;

    for (i = 0; i < nrefs; i++)
        if (refs[i].index > count)
            RegDeleteTreeW(view, refs[i].name);
}

static int write_view(enum catalog_view view, const struct catalog_entry *entries, DWORD count)
{
    struct saved_category *saved = NULL;
    struct key_ref *refs = NULL;
    DWORD nrefs = 0, nsaved = 0, i;
    HKEY root, key;
    int error;

    if (open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, TRUE, KEY_READ | KEY_WRITE, &root) !=
        ERROR_SUCCESS)
        return WSANO_RECOVERY;
    if (open_key(root, view_key_name(view), TRUE, KEY_READ | KEY_WRITE, &key) != ERROR_SUCCESS) {
        RegCloseKey(root);
        return WSANO_RECOVERY;
    }
    error = list_entry_keys(key, &refs, &nrefs);
    if (!error)
        error = save_categories(key, refs, nrefs, &saved, &nsaved);
    for (i = 0; !error && i < count; i++)
        error = write_entry(key, i + 1, &entries[i],
                            saved_categories_of(saved, nsaved, entries[i].info.dwCatalogEntryId));
    if (!error && (!set_dword(key, V_COUNT, count) || !set_dword(root, root_count_name(view), count)))
        error = WSANO_RECOVERY;
    if (!error)
        delete_surplus(key, refs, nrefs, count);
    /* Even a failed write may have changed keys: readers must look again. */
    if (!bump_serial(root) && !error)
        error = WSANO_RECOVERY;
    free(saved);
    free(refs);
    RegCloseKey(key);
    RegCloseKey(root);
    return error;
}

int catalog_write(enum catalog_view view, const struct catalog_entry *entries, DWORD count)
{
    DWORD i, j;
    int error;

    if (count && !entries)
        return WSAEFAULT;
    for (i = 0; i < count; i++) {
        if (!catalog_entry_valid(&entries[i]))
            return WSAEINVAL;
        for (j = 0; j < i; j++)
            if (entries[j].info.dwCatalogEntryId == entries[i].info.dwCatalogEntryId)
                return WSAEINVAL;
    }
    error = catalog_lock();
    if (error)
        return error;
    error = write_view(view, entries, count);
    catalog_unlock();
    TRACE("catalog write (%s catalog): %lu entries, error %d",
          view == CATALOG_32 ? "32-bit" : "native", count, error);
    return error;
}

/* ---- seeding ---- */

typedef int (WSAAPI *startup_fn)(WORD, LPWSADATA);
typedef int (WSAAPI *cleanup_fn)(void);
typedef int (WSAAPI *enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD);
typedef int (WSAAPI *error_fn)(void);

/* What the system's ws2_32 reports. The front end is itself named ws2_32,
 * so the system copy is reached through sysws2, with its own WSAStartup. */
static int system_protocols(WSAPROTOCOL_INFOW **out, DWORD *count)
{
    startup_fn startup = (startup_fn)sysws2_proc("WSAStartup");
    cleanup_fn cleanup = (cleanup_fn)sysws2_proc("WSACleanup");
    enum_fn enum_protocols = (enum_fn)sysws2_proc("WSAEnumProtocolsW");
    error_fn last_error = (error_fn)sysws2_proc("WSAGetLastError");
    WSAPROTOCOL_INFOW *buffer = NULL, *bigger;
    int n = SOCKET_ERROR, attempt, error = WSANO_RECOVERY;
    DWORD len = 0;
    WSADATA data;

    *out = NULL;
    *count = 0;
    if (!startup || !cleanup || !enum_protocols || !last_error)
        return WSANO_RECOVERY;
    if (startup(MAKEWORD(2, 2), &data) != 0)
        return WSANO_RECOVERY;
    /* The first call only sizes the buffer; retry in case the list grows. */
    for (attempt = 0; attempt < 3; attempt++) {
        n = enum_protocols(NULL, buffer, &len);
        if (n != SOCKET_ERROR || last_error() != WSAENOBUFS)
            break;
        bigger = realloc(buffer, len ? len : 1);
        if (!bigger) {
            error = WSA_NOT_ENOUGH_MEMORY;
            break;
        }
        buffer = bigger;
    }
    cleanup();
    if (n == SOCKET_ERROR) {
        free(buffer);
        return error;
    }
    *out = buffer;
    *count = (DWORD)n;
    return 0;
}

/* The first entry the system lists for (af, type, protocol); protocol -1
 * takes any. */
static const WSAPROTOCOL_INFOW *find_system(const WSAPROTOCOL_INFOW *sys, DWORD n, int af,
                                            int type, int protocol)
{
    DWORD i;

    for (i = 0; i < n; i++)
        if (sys[i].iAddressFamily == af && sys[i].iSocketType == type &&
            (protocol < 0 || sys[i].iProtocol == protocol))
            return &sys[i];
    return NULL;
}

/* Wine's ws2_32 lists no raw entries although it creates raw sockets, so a
 * missing one is derived from the family's UDP entry the way Windows
 * describes raw IP: connectionless and message-oriented like UDP, protocol
 * 0 with an offset range of 255 so that any IP protocol number selects it. */
static void derive_raw(const WSAPROTOCOL_INFOW *udp, WSAPROTOCOL_INFOW *raw)
{
    WCHAR *udp_name;

    *raw = *udp;
    raw->iSocketType = SOCK_RAW;
    raw->iProtocol = IPPROTO_IP;
    raw->iProtocolMaxOffset = RAW_PROTOCOLS;
    udp_name = wcsstr(raw->szProtocol, L"UDP");
    if (udp_name)
        memcpy(udp_name, L"RAW", 3 * sizeof(WCHAR));   /* "UDP/IPv6" -> "RAW/IPv6" */
    else
        wcscpy(raw->szProtocol, udp->iAddressFamily == AF_INET6 ? L"RAW/IPv6" : L"RAW/IP");
}

/* The base entries lspkit_base.dll serves, TCP, UDP and RAW over IPv4 and
 * IPv6, described as the system describes them; ids are not yet assigned. */
static int base_entries(struct catalog_entry **out, DWORD *count)
{
    static const int families[] = { AF_INET, AF_INET6 };
    const WSAPROTOCOL_INFOW *tcp, *udp, *raw;
    WSAPROTOCOL_INFOW *sys;
    struct catalog_entry *base;
    DWORD nsys, n = 0, f;
    int error;

    *out = NULL;
    *count = 0;
    error = system_protocols(&sys, &nsys);
    if (error)
        return error;
    base = calloc(3 * sizeof(families) / sizeof(families[0]), sizeof(*base));
    if (!base) {
        free(sys);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    for (f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
        tcp = find_system(sys, nsys, families[f], SOCK_STREAM, IPPROTO_TCP);
        udp = find_system(sys, nsys, families[f], SOCK_DGRAM, IPPROTO_UDP);
        raw = find_system(sys, nsys, families[f], SOCK_RAW, -1);
        if (tcp)
            base[n++].info = *tcp;
        if (udp)
            base[n++].info = *udp;
        if (raw)
            base[n++].info = *raw;
        else if (udp)
            derive_raw(udp, &base[n++].info);
    }
    free(sys);
    if (!n) {
        free(base);
        return WSANO_RECOVERY;   /* a system without TCP/IP leaves nothing to serve */
    }
    *out = base;
    *count = n;
    return 0;
}

/* Seeds every catalog never written (view_written): a machine's first
 * start. A catalog that was written is never seeded, however empty or damaged: that
 * would delete what other providers installed. Called with the lock held,
 * so a second process starting at the same time finds the work done. The
 * same base entry gets the same id in every catalog seeded together. */
static int seed_absent_views(void)
{
    BOOL absent[ALL_VIEWS];
    struct catalog_entry *base;
    DWORD nbase, v, i, id;
    BOOL any = FALSE;
    int error;

    for (v = 0; v < ALL_VIEWS; v++) {
        absent[v] = !view_written(all_views[v]);
        any |= absent[v];
    }
    if (!any)
        return 0;
    error = base_entries(&base, &nbase);
    if (error)
        return error;
    for (i = 0; i < nbase; i++) {
        WSAPROTOCOL_INFOW *info = &base[i].info;

        error = catalog_next_id(&id);
        if (error)
            break;
        strcpy(base[i].dll_path, BASE_DLL_PATH);
        info->dwCatalogEntryId = id;
        memset(&info->ProtocolChain, 0, sizeof(info->ProtocolChain));
        info->ProtocolChain.ChainLen = BASE_PROTOCOL;
        info->ProtocolChain.ChainEntries[0] = id;
    }
    for (v = 0; !error && v < ALL_VIEWS; v++)
        if (absent[v])
            error = write_view(all_views[v], base, nbase);
    free(base);
    TRACE("catalog seeded with %lu base entries, error %d", nbase, error);
    return error;
}

int catalog_read(enum catalog_view view, struct catalog *out)
{
    int error;

    if (!out)
        return WSAEFAULT;
    memset(out, 0, sizeof(*out));
    error = catalog_lock();
    if (error)
        return error;
    if (!view_written(view))
        error = seed_absent_views();
    if (!error)
        error = read_view(view, out);
    catalog_unlock();
    return error;
}

void catalog_free(struct catalog *cat)
{
    free(cat->entries);
    cat->entries = NULL;
    cat->count = 0;
}

const struct catalog_entry *catalog_find_id(const struct catalog *cat, DWORD id)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (cat->entries[i].info.dwCatalogEntryId == id)
            return &cat->entries[i];
    return NULL;
}

BOOL catalog_expand_path(const struct catalog_entry *entry, WCHAR *out)
{
    WCHAR raw[MAX_PATH];
    DWORD len;

    if (!MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, entry->dll_path, -1, raw, MAX_PATH))
        return FALSE;
    len = ExpandEnvironmentStringsW(raw, out, MAX_PATH);
    return len != 0 && len <= MAX_PATH;
}

/* ---- LSP categories ---- */

/* Opens the key of the entry with `id`; WSAEINVAL when no entry has it. */
static int open_entry_by_id(enum catalog_view view, DWORD id, REGSAM access, HKEY *out)
{
    struct catalog_entry entry;
    struct key_ref *refs;
    DWORD nrefs, i;
    HKEY root, key;
    LSTATUS status;
    int error = WSAEINVAL;

    if (open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, FALSE, KEY_READ, &root) != ERROR_SUCCESS)
        return WSAEINVAL;
    status = open_key(root, view_key_name(view), FALSE, KEY_READ, &key);
    RegCloseKey(root);
    if (status != ERROR_SUCCESS)
        return WSAEINVAL;
    if (list_entry_keys(key, &refs, &nrefs)) {
        RegCloseKey(key);
        return WSANO_RECOVERY;
    }
    nrefs = live_refs(key, refs, nrefs);
    for (i = 0; i < nrefs; i++) {
        if (read_entry(key, refs[i].name, &entry) && entry.info.dwCatalogEntryId == id) {
            error = open_key(key, refs[i].name, FALSE, access, out) == ERROR_SUCCESS
                        ? 0 : WSANO_RECOVERY;
            break;
        }
    }
    free(refs);
    RegCloseKey(key);
    return error;
}

int catalog_get_categories(enum catalog_view view, DWORD id, DWORD *categories)
{
    HKEY key;
    int error;

    if (!categories)
        return WSAEFAULT;
    error = catalog_lock();
    if (error)
        return error;
    error = open_entry_by_id(view, id, KEY_QUERY_VALUE, &key);
    if (!error) {
        *categories = query_dword(key, V_CATEGORIES, 0);
        RegCloseKey(key);
    }
    catalog_unlock();
    return error;
}

int catalog_set_categories(enum catalog_view view, DWORD id, DWORD categories)
{
    HKEY key, root;
    int error;

    error = catalog_lock();
    if (error)
        return error;
    error = open_entry_by_id(view, id, KEY_SET_VALUE, &key);
    if (!error) {
        if (!set_dword(key, V_CATEGORIES, categories))
            error = WSANO_RECOVERY;
        RegCloseKey(key);
    }
    if (!error) {
        if (open_key(HKEY_LOCAL_MACHINE, CATALOG_ROOT_KEY, FALSE, KEY_READ | KEY_WRITE, &root) ==
            ERROR_SUCCESS) {
            if (!bump_serial(root))
                error = WSANO_RECOVERY;
            RegCloseKey(root);
        } else {
            error = WSANO_RECOVERY;
        }
    }
    catalog_unlock();
    return error;
}
