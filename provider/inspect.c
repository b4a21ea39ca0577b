/* The inspection hook and its byte counters. */
#include "lsp.h"
#include "inspect.h"
#include "context.h"

void inspect_record(struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error)
{
    /* A failed transfer moved nothing the peer or the caller can see. */
    if (error)
        return;
    if (direction == INSPECT_SENT)
        InterlockedAdd64(&ctx->bytes_sent, bytes);
    else if (direction == INSPECT_RECEIVED)
        InterlockedAdd64(&ctx->bytes_received, bytes);
}

void inspect_result(struct context *ctx, enum inspect_direction direction, int result,
                    const DWORD *bytes, int error)
{
    if (result == 0 && bytes)
        inspect_record(ctx, direction, *bytes, 0);
    else if (result == SOCKET_ERROR && error != WSA_IO_PENDING)
        inspect_record(ctx, direction, 0, error);
}

BOOL WINAPI lspkit_inspect_counts(SOCKET s, ULONGLONG *sent, ULONGLONG *received)
{
    int error;
    struct context *ctx = context_get(s, &error);

    if (!ctx)
        return FALSE;
    *sent = (ULONGLONG)InterlockedCompareExchange64(&ctx->bytes_sent, 0, 0);
    *received = (ULONGLONG)InterlockedCompareExchange64(&ctx->bytes_received, 0, 0);
    context_release(ctx);
    return TRUE;
}
