/* SPDX-License-Identifier: MIT */
/* Hand-made catalogs for the catalog model's unit tests (see the header). */
#include "model_util.h"

#include <check.h>
#include <string.h>
#include <wchar.h>

/* {E70F1AA0-AB8B-11CF-8CA3-00805F48A192} */
const GUID msafd_guid = { 0xe70f1aa0, 0xab8b, 0x11cf,
                          { 0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92 } };
const GUID other_guid = { 0x11111111, 0x2222, 0x3333,
                          { 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 } };
const GUID third_guid = { 0x99999999, 0x8888, 0x7777,
                          { 0x66, 0x66, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 } };

void add_base(struct cm_catalog *cat, DWORD id, int af, int type, int protocol, const WCHAR *name)
{
    struct cm_entry e;

    memset(&e, 0, sizeof(e));
    wcscpy(e.path, L"%SystemRoot%\\system32\\mswsock.dll");
    e.info.dwServiceFlags1 = XP1_IFS_HANDLES | XP1_GUARANTEED_DELIVERY;
    e.info.ProviderId = msafd_guid;
    e.info.dwCatalogEntryId = id;
    e.info.ProtocolChain.ChainLen = BASE_PROTOCOL;
    e.info.ProtocolChain.ChainEntries[0] = id;
    e.info.iVersion = 2;
    e.info.iAddressFamily = af;
    e.info.iSocketType = type;
    e.info.iProtocol = protocol;
    wcscpy(e.info.szProtocol, name);
    ck_assert_int_eq(cm_append(cat, &e), 0);
}

void make_windows(struct cm_catalog *cat)
{
    add_base(cat, 1001, AF_INET, SOCK_STREAM, IPPROTO_TCP, L"MSAFD Tcpip [TCP/IP]");
    add_base(cat, 1002, AF_INET, SOCK_DGRAM, IPPROTO_UDP, L"MSAFD Tcpip [UDP/IP]");
    add_base(cat, 1003, AF_INET, SOCK_RAW, 0, L"MSAFD Tcpip [RAW/IP]");
    add_base(cat, 1004, AF_INET6, SOCK_STREAM, IPPROTO_TCP, L"MSAFD Tcpip [TCP/IPv6]");
    add_base(cat, 1005, AF_INET6, SOCK_DGRAM, IPPROTO_UDP, L"MSAFD Tcpip [UDP/IPv6]");
    add_base(cat, 1006, AF_INET6, SOCK_RAW, 0, L"MSAFD Tcpip [RAW/IPv6]");
    add_base(cat, 1007, 34, SOCK_STREAM, 1, L"Hyper-V RAW");
}

void add_layered(struct cm_catalog *cat, DWORD id, const GUID *guid, const WCHAR *name,
                 const WCHAR *path)
{
    struct cm_entry e;

    memset(&e, 0, sizeof(e));
    wcscpy(e.path, path);
    e.info.ProviderId = *guid;
    e.info.dwCatalogEntryId = id;
    e.info.dwProviderFlags = PFL_HIDDEN;
    e.info.iAddressFamily = AF_INET;
    wcscpy(e.info.szProtocol, name);
    ck_assert_int_eq(cm_append(cat, &e), 0);
}

void insert_chain(struct cm_catalog *cat, DWORD index, DWORD id, const GUID *guid,
                  const DWORD *chain, int len, const WCHAR *name, const WCHAR *path)
{
    struct cm_entry e = cat->entries[index_of(cat, chain[len - 1])];

    memset(e.path, 0, sizeof(e.path));
    wcscpy(e.path, path);
    e.info.ProviderId = *guid;
    e.info.dwCatalogEntryId = id;
    memset(&e.info.ProtocolChain, 0, sizeof(e.info.ProtocolChain));
    e.info.ProtocolChain.ChainLen = len;
    memcpy(e.info.ProtocolChain.ChainEntries, chain, len * sizeof(DWORD));
    e.info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    wcscpy(e.info.szProtocol, name);
    ck_assert_int_eq(cm_insert(cat, index, &e), 0);
}

void add_other_lsp(struct cm_catalog *cat)
{
    static const DWORD tcp[] = { 2001, 1001 }, udp[] = { 2001, 1002 };

    add_layered(cat, 2001, &other_guid, L"Other LSP", L"C:\\other\\other.dll");
    insert_chain(cat, 0, 2002, &other_guid, tcp, 2, L"Other over TCP", L"C:\\other\\other.dll");
    insert_chain(cat, 1, 2003, &other_guid, udp, 2, L"Other over UDP", L"C:\\other\\other.dll");
}

DWORD realize(struct cm_catalog *cat, DWORD next)
{
    DWORD i;

    for (i = 0; i < cat->count; i++)
        if (CM_IS_NEW_ID(cat->entries[i].info.dwCatalogEntryId))
            cm_rename_id(cat, cat->entries[i].info.dwCatalogEntryId, next++);
    return next;
}

int index_of(const struct cm_catalog *cat, DWORD id)
{
    int at = cm_find_id(cat, id);

    ck_assert_msg(at >= 0, "no entry %lu", (unsigned long)id);
    return at;
}

const char *fake_dll_problem(const WCHAR *path, enum cm_view view, BOOL ours, void *ctx)
{
    (void)view;
    (void)ours;
    (void)ctx;
    return wcsstr(path, L"missing") ? "does not exist" : NULL;
}

BOOL same_catalog(const struct cm_catalog *a, const struct cm_catalog *b)
{
    return a->count == b->count &&
           (!a->count || !memcmp(a->entries, b->entries, a->count * sizeof(*a->entries)));
}
