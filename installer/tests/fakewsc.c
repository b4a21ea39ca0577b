/* SPDX-License-Identifier: MIT */
/* An in-memory Winsock catalog behind the WSC* function table (see the header). */
#include "fakewsc.h"

#include <string.h>
#include <wchar.h>

static struct {
    struct cm_catalog cat[CM_VIEWS];
    BOOL present[CM_VIEWS];
    DWORD next_id;
} fake;

void fake_reset(const struct cm_catalog *native, const struct cm_catalog *wow, DWORD next_id)
{
    int v;

    for (v = 0; v < CM_VIEWS; v++) {
        cm_free(&fake.cat[v]);
        fake.present[v] = FALSE;
    }
    cm_copy(&fake.cat[CM_VIEW_NATIVE], native);
    fake.present[CM_VIEW_NATIVE] = TRUE;
    if (wow) {
        cm_copy(&fake.cat[CM_VIEW_32], wow);
        fake.present[CM_VIEW_32] = TRUE;
    }
    fake.next_id = next_id;
}

const struct cm_catalog *fake_catalog(enum cm_view view)
{
    return &fake.cat[view];
}

static int fail(LPINT err, int code)
{
    *err = code;
    return SOCKET_ERROR;
}

static BOOL has_guid(const struct cm_catalog *cat, const GUID *g)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, g))
            return TRUE;
    return FALSE;
}

/* A chain naming an entry that does not exist is refused. */
static BOOL chain_ok(const struct cm_catalog *cat, const WSAPROTOCOL_INFOW *info)
{
    int i, len = info->ProtocolChain.ChainLen;

    if (len < 0 || len > MAX_PROTOCOL_CHAIN)
        return FALSE;
    for (i = 0; len > BASE_PROTOCOL && i < len; i++)
        if (cm_find_id(cat, info->ProtocolChain.ChainEntries[i]) < 0)
            return FALSE;
    return TRUE;
}

static void make_entry(struct cm_entry *e, const WCHAR *path, const WSAPROTOCOL_INFOW *info,
                       const GUID *g, DWORD id)
{
    memset(e, 0, sizeof(*e));
    wcsncpy(e->path, path, MAX_PATH - 1);
    e->info = *info;
    e->info.ProviderId = *g;
    e->info.dwCatalogEntryId = id;
    if (info->ProtocolChain.ChainLen == BASE_PROTOCOL)
        e->info.ProtocolChain.ChainEntries[0] = id;
}

static int install_views(const enum cm_view *views, int nviews, LPGUID g, const WCHAR *path,
                         const LPWSAPROTOCOL_INFOW list, DWORD n, LPINT err)
{
    struct cm_entry e;
    DWORD i, first = fake.next_id;
    int v;

    for (v = 0; v < nviews; v++) {
        if (has_guid(&fake.cat[views[v]], g))
            return fail(err, WSANO_RECOVERY);
        for (i = 0; i < n; i++)
            if (!chain_ok(&fake.cat[views[v]], &list[i]))
                return fail(err, WSAEINVAL);
    }
    for (v = 0; v < nviews; v++)
        for (i = 0; i < n; i++) {
            make_entry(&e, path, &list[i], g, first + i);
            cm_append(&fake.cat[views[v]], &e);
        }
    fake.next_id += n;
    return 0;
}

static int WSPAPI install(LPGUID g, const WCHAR *path, const LPWSAPROTOCOL_INFOW list, DWORD n,
                          LPINT err)
{
    static const enum cm_view native[] = { CM_VIEW_NATIVE };

    return install_views(native, 1, g, path, list, n, err);
}

static int WSPAPI install64_32(LPGUID g, const WCHAR *path, const LPWSAPROTOCOL_INFOW list,
                               DWORD n, LPINT err)
{
    static const enum cm_view both[] = { CM_VIEW_NATIVE, CM_VIEW_32 };

    return install_views(both, 2, g, path, list, n, err);
}

static int enum_view(enum cm_view v, LPWSAPROTOCOL_INFOW buf, LPDWORD size, LPINT err)
{
    DWORD i, need = fake.cat[v].count * sizeof(WSAPROTOCOL_INFOW);

    if (!buf || *size < need) {
        *size = need;
        return fail(err, WSAENOBUFS);
    }
    for (i = 0; i < fake.cat[v].count; i++)
        buf[i] = fake.cat[v].entries[i].info;
    return (int)fake.cat[v].count;
}

static int WSPAPI enum_native(LPINT protocols, LPWSAPROTOCOL_INFOW buf, LPDWORD size, LPINT err)
{
    (void)protocols;
    return enum_view(CM_VIEW_NATIVE, buf, size, err);
}

static int WSPAPI enum_32(LPINT protocols, LPWSAPROTOCOL_INFOW buf, LPDWORD size, LPINT err)
{
    (void)protocols;
    return enum_view(CM_VIEW_32, buf, size, err);
}

static int path_view(enum cm_view v, LPGUID g, WCHAR *path, LPINT len, LPINT err)
{
    DWORD i;

    for (i = 0; i < fake.cat[v].count; i++)
        if (IsEqualGUID(&fake.cat[v].entries[i].info.ProviderId, g)) {
            if (*len < (int)wcslen(fake.cat[v].entries[i].path) + 1)
                return fail(err, WSAEFAULT);
            wcscpy(path, fake.cat[v].entries[i].path);
            return 0;
        }
    return fail(err, WSAEINVAL);
}

static int WSPAPI path_native(LPGUID g, WCHAR *path, LPINT len, LPINT err)
{
    return path_view(CM_VIEW_NATIVE, g, path, len, err);
}

static int WSPAPI path_32(LPGUID g, WCHAR *path, LPINT len, LPINT err)
{
    return path_view(CM_VIEW_32, g, path, len, err);
}

static int update_view(enum cm_view v, LPGUID g, const WCHAR *path,
                       const LPWSAPROTOCOL_INFOW list, DWORD n, LPINT err)
{
    struct cm_catalog *cat = &fake.cat[v];
    DWORD i;
    int at;

    for (i = 0; i < n; i++) {
        at = cm_find_id(cat, list[i].dwCatalogEntryId);
        if (at < 0 || !IsEqualGUID(&cat->entries[at].info.ProviderId, g) || !chain_ok(cat, &list[i]))
            return fail(err, WSAEINVAL);
    }
    for (i = 0; i < n; i++) {
        at = cm_find_id(cat, list[i].dwCatalogEntryId);
        DWORD categories = cat->entries[at].categories;

        make_entry(&cat->entries[at], path, &list[i], g, list[i].dwCatalogEntryId);
        cat->entries[at].categories = categories;
    }
    return 0;
}

static int WSPAPI update_native(LPGUID g, const WCHAR *path, const LPWSAPROTOCOL_INFOW list,
                                DWORD n, LPINT err)
{
    return update_view(CM_VIEW_NATIVE, g, path, list, n, err);
}

static int WSPAPI update_32(LPGUID g, const WCHAR *path, const LPWSAPROTOCOL_INFOW list, DWORD n,
                            LPINT err)
{
    return update_view(CM_VIEW_32, g, path, list, n, err);
}

static int deinstall_view(enum cm_view v, LPGUID g, LPINT err)
{
    struct cm_catalog *cat = &fake.cat[v];
    DWORD i, before = cat->count;

    for (i = cat->count; i-- > 0;)
        if (IsEqualGUID(&cat->entries[i].info.ProviderId, g))
            cm_remove_at(cat, i);
    return cat->count == before ? fail(err, WSAEINVAL) : 0;
}

static int WSPAPI deinstall_native(LPGUID g, LPINT err)
{
    return deinstall_view(CM_VIEW_NATIVE, g, err);
}

static int WSPAPI deinstall_32(LPGUID g, LPINT err)
{
    return deinstall_view(CM_VIEW_32, g, err);
}

static int order_view(enum cm_view v, LPDWORD ids, DWORD n)
{
    struct cm_catalog *cat = &fake.cat[v], ordered;
    DWORD i;
    int at;

    if (n != cat->count)
        return WSAEINVAL;
    cm_init(&ordered);
    for (i = 0; i < n; i++) {
        at = cm_find_id(cat, ids[i]);
        if (at < 0 || cm_find_id(&ordered, ids[i]) >= 0) {
            cm_free(&ordered);
            return WSAEINVAL;
        }
        cm_append(&ordered, &cat->entries[at]);
    }
    cm_free(cat);
    *cat = ordered;
    return 0;
}

static int WSPAPI order_native(LPDWORD ids, DWORD n)
{
    return order_view(CM_VIEW_NATIVE, ids, n);
}

static int WSPAPI order_32(LPDWORD ids, DWORD n)
{
    return order_view(CM_VIEW_32, ids, n);
}

static int get_info_view(enum cm_view v, LPGUID g, PBYTE info, size_t *size, LPINT err)
{
    DWORD i;

    for (i = 0; i < fake.cat[v].count; i++)
        if (IsEqualGUID(&fake.cat[v].entries[i].info.ProviderId, g)) {
            if (*size < sizeof(DWORD))
                return fail(err, WSAEINVAL);
            memcpy(info, &fake.cat[v].entries[i].categories, sizeof(DWORD));
            *size = sizeof(DWORD);
            return 0;
        }
    return fail(err, WSAEINVALIDPROVIDER);
}

static int WSPAPI get_info_native(LPGUID g, WSC_PROVIDER_INFO_TYPE type, PBYTE info,
                                  size_t *size, DWORD flags, LPINT err)
{
    (void)type;
    (void)flags;
    return get_info_view(CM_VIEW_NATIVE, g, info, size, err);
}

static int WSPAPI get_info_32(LPGUID g, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t *size,
                              DWORD flags, LPINT err)
{
    (void)type;
    (void)flags;
    return get_info_view(CM_VIEW_32, g, info, size, err);
}

static int set_info_view(enum cm_view v, LPGUID g, PBYTE info, LPINT err)
{
    DWORD i, categories, hits = 0;

    memcpy(&categories, info, sizeof(categories));
    for (i = 0; i < fake.cat[v].count; i++)
        if (IsEqualGUID(&fake.cat[v].entries[i].info.ProviderId, g)) {
            fake.cat[v].entries[i].categories = categories;
            hits++;
        }
    return hits ? 0 : fail(err, WSAEINVALIDPROVIDER);
}

static int WSPAPI set_info_native(LPGUID g, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t size,
                                  DWORD flags, LPINT err)
{
    (void)type;
    (void)size;
    (void)flags;
    return set_info_view(CM_VIEW_NATIVE, g, info, err);
}

static int WSPAPI set_info_32(LPGUID g, WSC_PROVIDER_INFO_TYPE type, PBYTE info, size_t size,
                              DWORD flags, LPINT err)
{
    (void)type;
    (void)size;
    (void)flags;
    return set_info_view(CM_VIEW_32, g, info, err);
}

static BOOL same_protocol(const WSAPROTOCOL_INFOW *a, const WSAPROTOCOL_INFOW *b)
{
    return a->iAddressFamily == b->iAddressFamily && a->iSocketType == b->iSocketType &&
           a->iProtocol == b->iProtocol;
}

/* The dummy entry, then a chain over the top-most visible entry of each
 * protocol asked for, chains first; all under the LSP's GUID. */
static void chains_into(enum cm_view v, LPGUID g, const WCHAR *path, const WCHAR *name,
                        DWORD flags, const WSAPROTOCOL_INFOW *list, DWORD n, DWORD dummy_id)
{
    struct cm_catalog *cat = &fake.cat[v];
    struct cm_entry dummy, chain;
    DWORD i, j, made = 0, id = dummy_id + 1;

    for (i = 0; i < n; i++)
        for (j = 0; j < cat->count; j++) {
            const struct cm_entry *lower = &cat->entries[j];
            const WSAPROTOCOLCHAIN *below = &lower->info.ProtocolChain;

            if (below->ChainLen < BASE_PROTOCOL || (lower->info.dwProviderFlags & PFL_HIDDEN) ||
                !same_protocol(&lower->info, &list[i]) || IsEqualGUID(&lower->info.ProviderId, g))
                continue;
            make_entry(&chain, path, &lower->info, g, id++);
            memset(&chain.info.ProtocolChain, 0, sizeof(chain.info.ProtocolChain));
            chain.info.ProtocolChain.ChainEntries[0] = dummy_id;
            if (below->ChainLen == BASE_PROTOCOL)
                chain.info.ProtocolChain.ChainEntries[1] = lower->info.dwCatalogEntryId;
            else
                memcpy(&chain.info.ProtocolChain.ChainEntries[1], below->ChainEntries,
                       below->ChainLen * sizeof(DWORD));
            chain.info.ProtocolChain.ChainLen = below->ChainLen + 1;
            if (!(flags & XP1_IFS_HANDLES))
                chain.info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
            _snwprintf(chain.info.szProtocol, WSAPROTOCOL_LEN, L"%ls over [%ls]", name,
                       lower->info.szProtocol);
            cm_insert(cat, made++, &chain);
            break;
        }
    make_entry(&dummy, path, &cat->entries[made].info, g, dummy_id);
    memset(&dummy.info.ProtocolChain, 0, sizeof(dummy.info.ProtocolChain));
    wcsncpy(dummy.info.szProtocol, name, WSAPROTOCOL_LEN);
    dummy.info.dwServiceFlags1 = flags;
    dummy.info.dwProviderFlags = PFL_HIDDEN;
    cm_append(cat, &dummy);
}

static int chains_views(int nviews, LPGUID g, const WCHAR *path, const WCHAR *path32,
                        const WCHAR *name, DWORD flags, LPWSAPROTOCOL_INFOW list, DWORD n,
                        LPDWORD id, LPINT err)
{
    int v;

    for (v = 0; v < nviews; v++)
        if (has_guid(&fake.cat[v], g))
            return fail(err, WSAEINVAL);
    for (v = 0; v < nviews; v++)
        chains_into((enum cm_view)v, g, v ? path32 : path, name, flags, list, n, fake.next_id);
    if (id)
        *id = fake.next_id;
    fake.next_id += n + 1;
    return 0;
}

static int WSPAPI chains_native(LPGUID g, const LPWSTR path, const LPWSTR name, DWORD flags,
                                LPWSAPROTOCOL_INFOW list, DWORD n, LPDWORD id, LPINT err)
{
    return chains_views(1, g, path, path, name, flags, list, n, id, err);
}

static int WSPAPI chains_64_32(LPGUID g, const LPWSTR path, const LPWSTR path32, const LPWSTR name,
                               DWORD flags, LPWSAPROTOCOL_INFOW list, DWORD n, LPDWORD id,
                               LPINT err)
{
    return chains_views(2, g, path, path32, name, flags, list, n, id, err);
}

void fake_api(struct wsc_api *api, BOOL with_chains)
{
    BOOL both = fake.present[CM_VIEW_32];

    memset(api, 0, sizeof(*api));
    api->enum_protocols[CM_VIEW_NATIVE] = enum_native;
    api->get_path[CM_VIEW_NATIVE] = path_native;
    api->update[CM_VIEW_NATIVE] = update_native;
    api->deinstall[CM_VIEW_NATIVE] = deinstall_native;
    api->write_order[CM_VIEW_NATIVE] = order_native;
    api->get_info[CM_VIEW_NATIVE] = get_info_native;
    api->set_info[CM_VIEW_NATIVE] = set_info_native;
    api->install = install;
    if (with_chains && !both)
        api->install_chains = chains_native;
    if (!both)
        return;
    api->enum_protocols[CM_VIEW_32] = enum_32;
    api->get_path[CM_VIEW_32] = path_32;
    api->update[CM_VIEW_32] = update_32;
    api->deinstall[CM_VIEW_32] = deinstall_32;
    api->write_order[CM_VIEW_32] = order_32;
    api->get_info[CM_VIEW_32] = get_info_32;
    api->set_info[CM_VIEW_32] = set_info_32;
    api->install64_32 = install64_32;
    if (with_chains)
        api->install_chains64_32 = chains_64_32;
}
