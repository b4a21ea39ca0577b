/* SPDX-License-Identifier: MIT */
/* Reading the catalogs through the WSC* API (see read.h). */
#include "read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wsa_error_name(int error, char *buf, size_t size)
{
    static const struct { int code; const char *name; } names[] = {
        { WSAEFAULT, "WSAEFAULT" }, { WSAEINVAL, "WSAEINVAL" },
        { WSAENOBUFS, "WSAENOBUFS" }, { WSANO_RECOVERY, "WSANO_RECOVERY" },
        { WSAEACCES, "WSAEACCES" }, { WSAEPROVIDERFAILEDINIT, "WSAEPROVIDERFAILEDINIT" },
        { WSA_NOT_ENOUGH_MEMORY, "WSA_NOT_ENOUGH_MEMORY" },
        { ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED" },
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].code == error) {
            snprintf(buf, size, "%s (%d)", names[i].name, error);
            return buf;
        }
    snprintf(buf, size, "error %d", error);
    return buf;
}

static int fail(struct cm_error *err, const char *call, enum cm_view v, int error)
{
    char name[64];

    snprintf(err->text, sizeof(err->text), "%s%s failed: %s", call,
             v == CM_VIEW_32 ? "32" : "", wsa_error_name(error, name, sizeof(name)));
    return -1;
}

/* The whole enumeration of view `v`, grown until it fits. */
static int enumerate(const struct wsc_api *api, enum cm_view v, WSAPROTOCOL_INFOW **out,
                     int *count, struct cm_error *err)
{
    WSAPROTOCOL_INFOW *buf = NULL, *grown;
    DWORD size = 0;
    int error = 0, n, tries;

    for (tries = 0; tries < 8; tries++) {
        n = api->enum_protocols[v](NULL, buf, &size, &error);
        if (n != SOCKET_ERROR) {
            *out = buf;
            *count = n;
            return 0;
        }
        /* The catalog may grow between two calls: ask again. */
        if (error != WSAENOBUFS || !(grown = realloc(buf, size ? size : 1)))
            break;
        buf = grown;
    }
    free(buf);
    return fail(err, "WSCEnumProtocols", v, error == WSAENOBUFS ? WSA_NOT_ENOUGH_MEMORY : error);
}

static int entry_path(const struct wsc_api *api, enum cm_view v, struct cm_entry *e,
                      struct cm_error *err)
{
    int len = MAX_PATH, error = 0;

    if (api->get_path[v](&e->info.ProviderId, e->path, &len, &error) == SOCKET_ERROR)
        return fail(err, "WSCGetProviderPath", v, error);
    e->path[MAX_PATH - 1] = 0;
    return 0;
}

/* An entry without categories, or a ws2_32 without the call, counts as 0. */
static DWORD entry_categories(const struct wsc_api *api, enum cm_view v, struct cm_entry *e)
{
    DWORD categories = 0;
    size_t size = sizeof(categories);
    int error = 0;

    if (!api->get_info[v] ||
        api->get_info[v](&e->info.ProviderId, ProviderInfoLspCategories, (PBYTE)&categories, &size,
                         0, &error) == SOCKET_ERROR)
        return 0;
    return categories;
}

static int read_view(const struct wsc_api *api, enum cm_view v, struct cm_catalog *cat,
                     struct cm_error *err)
{
    WSAPROTOCOL_INFOW *infos;
    struct cm_entry e;
    int count, i, ret = 0;

    if (enumerate(api, v, &infos, &count, err))
        return -1;
    for (i = 0; i < count && !ret; i++) {
        memset(&e, 0, sizeof(e));
        e.info = infos[i];
        ret = entry_path(api, v, &e, err);
        e.categories = entry_categories(api, v, &e);
        if (!ret && cm_append(cat, &e)) {
            snprintf(err->text, sizeof(err->text), "out of memory");
            ret = -1;
        }
    }
    free(infos);
    return ret;
}

int read_views(const struct wsc_api *api, struct cm_views *out, struct cm_error *err)
{
    int v;

    cm_views_free(out);
    for (v = 0; v < CM_VIEWS; v++) {
        out->present[v] = v == CM_VIEW_NATIVE || wsc_has_view32(api);
        if (out->present[v] && read_view(api, (enum cm_view)v, &out->cat[v], err))
            return -1;
    }
    return 0;
}
