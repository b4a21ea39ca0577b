/* SPDX-License-Identifier: MIT */
/* lspinst list [--json]: the catalog(s) in order, much like
 * `netsh winsock show catalog`. */
#include "lspinst.h"
#include "../catalog/check.h"

#include <stdio.h>

static const char *kind(const struct cm_entry *e)
{
    return cm_is_layered(e) ? "layered" : cm_is_base(e) ? "base" : "chain";
}

/* "1042>1001" for a chain, "-" otherwise. */
static const char *chain_text(const struct cm_entry *e, char *buf, size_t size)
{
    const WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    size_t used = 0;
    int i;

    if (!cm_is_chain(e))
        return "-";
    buf[0] = 0;
    for (i = 0; i < chain->ChainLen && i < MAX_PROTOCOL_CHAIN && used < size; i++)
        used += snprintf(buf + used, size - used, "%s%lu", i ? ">" : "",
                         (unsigned long)chain->ChainEntries[i]);
    return buf;
}

static void list_text(const struct cm_views *views)
{
    char guid[39], chain[96], name[WSAPROTOCOL_LEN * 3 + 1];
    DWORD i;
    int v;

    for (v = 0; v < CM_VIEWS; v++) {
        const struct cm_catalog *cat = &views->cat[v];

        if (!views->present[v])
            continue;
        say("%s%s, %lu entries", v ? "\n" : "",
            views->present[CM_VIEW_32] ? (v ? "32-bit catalog" : "64-bit catalog") : "catalog",
            (unsigned long)cat->count);
        say("%5s %6s %-7s %-26s %-38s %-48s %s", "order", "id", "kind", "chain", "guid", "name",
            "dll");
        for (i = 0; i < cat->count; i++) {
            const struct cm_entry *e = &cat->entries[i];

            cm_guid_format(&e->info.ProviderId, guid);
            cm_name_utf8(e, name, sizeof(name));
            say("%5lu %6lu %-7s %-26s %-38s %-48s %s", (unsigned long)i + 1,
                (unsigned long)e->info.dwCatalogEntryId, kind(e), chain_text(e, chain, sizeof(chain)),
                guid, name, u8(0, e->path));
        }
    }
}

/* Writes `text` (UTF-8) as a JSON string. */
static void json_string(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;

    putchar('"');
    for (; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void json_entry(const struct cm_entry *e, DWORD order)
{
    const WSAPROTOCOLCHAIN *chain = &e->info.ProtocolChain;
    char guid[39], name[WSAPROTOCOL_LEN * 3 + 1];
    int i;

    cm_guid_format(&e->info.ProviderId, guid);
    cm_name_utf8(e, name, sizeof(name));
    printf("{\"order\":%lu,\"id\":%lu,\"kind\":\"%s\",\"name\":", (unsigned long)order,
           (unsigned long)e->info.dwCatalogEntryId, kind(e));
    json_string(name);
    printf(",\"guid\":\"%s\",\"dll\":", guid);
    json_string(u8(0, e->path));
    printf(",\"chain\":[");
    for (i = 0; cm_is_chain(e) && i < chain->ChainLen && i < MAX_PROTOCOL_CHAIN; i++)
        printf("%s%lu", i ? "," : "", (unsigned long)chain->ChainEntries[i]);
    printf("],\"chain_len\":%d,\"address_family\":%d,\"socket_type\":%d,\"protocol\":%d,"
           "\"service_flags1\":%lu,\"provider_flags\":%lu,\"hidden\":%s,\"categories\":%lu}",
           chain->ChainLen, e->info.iAddressFamily, e->info.iSocketType, e->info.iProtocol,
           (unsigned long)e->info.dwServiceFlags1, (unsigned long)e->info.dwProviderFlags,
           e->info.dwProviderFlags & PFL_HIDDEN ? "true" : "false", (unsigned long)e->categories);
}

static void list_json(const struct cm_views *views)
{
    DWORD i;
    int v, first = 1;

    printf("{\"catalogs\":[");
    for (v = 0; v < CM_VIEWS; v++) {
        if (!views->present[v])
            continue;
        printf("%s{\"catalog\":\"%s\",\"entries\":[", first ? "" : ",",
               v == CM_VIEW_32 ? "32-bit" : "native");
        first = 0;
        for (i = 0; i < views->cat[v].count; i++) {
            if (i)
                putchar(',');
            json_entry(&views->cat[v].entries[i], i + 1);
        }
        printf("]}");
    }
    printf("]}\n");
    fflush(stdout);
}

int cmd_list(struct lspinst *ctx, int argc, WCHAR **argv)
{
    struct cm_views views;
    struct args a;
    BOOL json = FALSE;
    int ret;

    args_init(&a, argc, argv);
    while (args_next(&a)) {
        if (args_flag(&a, L"--json"))
            json = TRUE;
        else
            return args_unknown(&a, "list");
    }
    cm_views_init(&views);
    ret = read_or_complain(ctx, &views);
    if (!ret && json)
        list_json(&views);
    else if (!ret)
        list_text(&views);
    cm_views_free(&views);
    return ret;
}
