/* SPDX-License-Identifier: MIT */
/* The byte counts of the provider's sockets, for the layered tests: the
 * probes of provider/probe.h, linked only into the tests' build of
 * lspkit.dll (test/probes.mk), and its one extra export. */
#include <stdlib.h>
#include "../../provider/lsp.h"
#include "../../provider/context.h"
#include "../../provider/probe.h"
#include "../../common/hash.h"

struct counts {
    ULONGLONG sent, received;
    struct hash_link link;        /* keyed by the context's address */
};

static SRWLOCK lock = SRWLOCK_INIT;
HASH_TABLE(table, 1024);

/* The counts of `ctx`, or NULL; the caller holds the lock. */
static struct counts *find(const struct context *ctx)
{
    struct hash_link *link = hash_first(&table, (ULONG_PTR)ctx);

    return link ? CONTAINING_RECORD(link, struct counts, link) : NULL;
}

/* A failed transfer moved nothing the peer or the caller can see. */
void probe_transfer(const struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error)
{
    struct counts *c;

    if (error || direction == INSPECT_NONE)
        return;
    AcquireSRWLockExclusive(&lock);
    c = find(ctx);
    if (!c && (c = calloc(1, sizeof(*c))))
        hash_add(&table, &c->link, (ULONG_PTR)ctx);
    if (c) {
        if (direction == INSPECT_SENT)
            c->sent += bytes;
        else
            c->received += bytes;
    }
    ReleaseSRWLockExclusive(&lock);
}

void probe_context_gone(const struct context *ctx)
{
    struct counts *gone;

    AcquireSRWLockExclusive(&lock);
    gone = find(ctx);
    if (gone)
        hash_remove(&table, &gone->link);
    ReleaseSRWLockExclusive(&lock);
    free(gone);
}

/* The tests' export: the bytes sent and received so far on provider
 * socket `s`; FALSE when `s` is not one of the provider's sockets. */
__declspec(dllexport) BOOL WINAPI lspkit_inspect_counts(SOCKET s, ULONGLONG *sent,
                                                        ULONGLONG *received)
{
    struct context *ctx;
    struct counts *c;
    int error;

    if (!(ctx = context_get(s, &error)))
        return FALSE;
    AcquireSRWLockShared(&lock);
    c = find(ctx);
    *sent = c ? c->sent : 0;
    *received = c ? c->received : 0;
    ReleaseSRWLockShared(&lock);
    context_release(ctx);
    return TRUE;
}
