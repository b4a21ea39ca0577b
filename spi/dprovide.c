/* SPDX-License-Identifier: MIT */
#include "dprovide.h"
#include "upcall.h"
#include "lspkit/trace.h"
#include "../common/lazy_lock.h"

/* Providers are started under a critical section rather than an SRW lock:
 * a layered provider's WSPStartup calls back into the front end (WSC*,
 * upcalls), possibly on the same thread. */
static struct lazy_lock start_lock;
static struct provider *started;

void provider_addref(struct provider *p)
{
    InterlockedIncrement(&p->refs);
}

void provider_release(struct provider *p)
{
    if (InterlockedDecrement(&p->refs) != 0)
        return;
    FreeLibrary(p->module);
    HeapFree(GetProcessHeap(), 0, p);
}

static BOOL proc_table_complete(const WSPPROC_TABLE *procs)
{
    const FARPROC *entry = (const FARPROC *)procs;
    size_t i;

    for (i = 0; i < sizeof(*procs) / sizeof(FARPROC); i++)
        if (!entry[i])
            return FALSE;
    return TRUE;
}

/* Calls WSPStartup and checks what it hands back. Returns 0 or the error
 * socket creation reports for a broken provider. */
static int start_provider(struct provider *p, LPWSPSTARTUP wsp_startup)
{
    WSPUPCALLTABLE upcalls;
    int error;

    upcall_fill_table(&upcalls);
    error = wsp_startup(MAKEWORD(2, 2), &p->wsp_data, &p->info, upcalls, &p->procs);
    if (error)
        return WSAEPROVIDERFAILEDINIT;
    if (p->wsp_data.wVersion != MAKEWORD(2, 2)) {
        if (p->procs.lpWSPCleanup)
            p->procs.lpWSPCleanup(&error);
        return WSAEINVALIDPROVIDER;
    }
    if (!proc_table_complete(&p->procs)) {
        if (p->procs.lpWSPCleanup)
            p->procs.lpWSPCleanup(&error);
        return WSAEINVALIDPROCTABLE;
    }
    return 0;
}

static struct provider *load_provider(const struct catalog_entry *entry, int *err)
{
    WCHAR path[MAX_PATH];
    LPWSPSTARTUP wsp_startup;
    struct provider *p;

    *err = WSAEPROVIDERFAILEDINIT;
    if (!catalog_expand_path(entry, path)) {
        TRACE("provider of entry %lu: its path cannot be expanded", entry->info.dwCatalogEntryId);
        return NULL;
    }
    p = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*p));
    if (!p) {
        *err = WSAENOBUFS;
        return NULL;
    }
    p->refs = 1;
    p->provider_id = entry->info.ProviderId;
    p->info = entry->info;
    p->module = LoadLibraryW(path);
    if (!p->module)
        TRACE("provider of entry %lu: LoadLibrary(%ls) failed: Win32 error %lu",
              entry->info.dwCatalogEntryId, path, GetLastError());
    wsp_startup = p->module ? (LPWSPSTARTUP)(void *)GetProcAddress(p->module, "WSPStartup") : NULL;
    if (p->module && !wsp_startup)
        TRACE("provider of entry %lu: %ls exports no WSPStartup", entry->info.dwCatalogEntryId,
              path);
    if (wsp_startup) {
        *err = start_provider(p, wsp_startup);
        TRACE("provider of entry %lu: %ls started: error %d (%s)",
              entry->info.dwCatalogEntryId, path, *err,
              *err == WSAEINVALIDPROVIDER ? "version not 2.2" :
              *err == WSAEINVALIDPROCTABLE ? "a hole in its proc table" :
              *err ? "WSPStartup failed" : "ready");
    }
    if (!wsp_startup || *err) {
        if (p->module)
            FreeLibrary(p->module);
        HeapFree(GetProcessHeap(), 0, p);
        return NULL;
    }
    return p;
}

struct provider *provider_get(const struct catalog_entry *entry, int *err)
{
    struct provider *p;

    lazy_lock_enter(&start_lock);
    for (p = started; p; p = p->next)
        if (IsEqualGUID(&p->provider_id, &entry->info.ProviderId))
            break;
    if (!p) {
        p = load_provider(entry, err);
        if (p) {
            p->next = started;
            started = p;
        }
    }
    if (p)
        provider_addref(p);
    lazy_lock_leave(&start_lock);
    return p;
}

void provider_cleanup_all(void)
{
    struct provider *list, *p;
    int error;

    lazy_lock_enter(&start_lock);
    list = started;
    started = NULL;
    lazy_lock_leave(&start_lock);

    while ((p = list)) {
        list = p->next;
        p->procs.lpWSPCleanup(&error);
        provider_release(p);
    }
}
