/* SPDX-License-Identifier: MIT */
/* WSPDuplicateSocket and its import on the other side. */
#include "lsp.h"
#include "context.h"
#include "duplicate.h"
#include "../common/memcheck.h"

/* A mapping holding `lower_info`, duplicated into process `pid` (and
 * closed here). Returns the handle valid in `pid`, or NULL. */
static HANDLE export_info(const WSAPROTOCOL_INFOW *lower_info, DWORD pid)
{
    HANDLE mapping, target, remote = NULL;
    void *view;

    mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, NULL, PAGE_READWRITE, 0,
                                 sizeof(*lower_info), NULL);
    if (!mapping)
        return NULL;
    view = MapViewOfFile(mapping, FILE_MAP_WRITE, 0, 0, sizeof(*lower_info));
    target = view ? OpenProcess(PROCESS_DUP_HANDLE, FALSE, pid) : NULL;
    if (view) {
        CopyMemory(view, lower_info, sizeof(*lower_info));
        UnmapViewOfFile(view);
    }
    if (target) {
        if (!DuplicateHandle(GetCurrentProcess(), mapping, target, &remote, FILE_MAP_READ,
                             FALSE, 0))
            remote = NULL;
        CloseHandle(target);
    }
    CloseHandle(mapping);
    return remote;
}

int WSPAPI WSPDuplicateSocket(SOCKET s, DWORD dwProcessId, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                              LPINT lpErrno)
{
    struct context *ctx = context_get(s, lpErrno);
    WSAPROTOCOL_INFOW lower_info;
    HANDLE remote;
    int result;

    if (!ctx)
        return SOCKET_ERROR;
    if (!mem_writable(lpProtocolInfo, sizeof(*lpProtocolInfo)))
        result = lsp_fail(lpErrno, WSAEFAULT);
    else
        result = LOWER(ctx)->lpWSPDuplicateSocket(ctx->lower, dwProcessId, &lower_info, lpErrno);
    if (result == 0) {
        remote = export_info(&lower_info, dwProcessId);
        if (remote) {
            *lpProtocolInfo = ctx->layer->info;
            /* A DWORD: handles keep 32 significant bits on 64-bit Windows. */
            lpProtocolInfo->dwProviderReserved = (DWORD)HandleToLong(remote);
        } else {
            result = lsp_fail(lpErrno, WSAEINVAL);
        }
    }
    context_release(ctx);
    return result;
}

BOOL duplicate_is_import(const WSAPROTOCOL_INFOW *info)
{
    /* Catalog entries leave dwProviderReserved 0 (the installer's duty). */
    return info->dwProviderReserved != 0;
}

int duplicate_import(const WSAPROTOCOL_INFOW *info, WSAPROTOCOL_INFOW *lower_info)
{
    HANDLE mapping = LongToHandle((LONG)info->dwProviderReserved);
    void *view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, sizeof(*lower_info));

    if (!view)
        return WSAEINVAL;
    CopyMemory(lower_info, view, sizeof(*lower_info));
    UnmapViewOfFile(view);
    CloseHandle(mapping);
    return 0;
}
