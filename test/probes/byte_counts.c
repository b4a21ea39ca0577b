/* SPDX-License-Identifier: MIT */
/* The byte counts of the provider's sockets, for the layered tests: the
 * probes of provider/probe.h, linked only into the tests' build of
 * lspkit.dll (test/probes.mk), and its one extra export. */
#include <stdlib.h>
#include "../../provider/lsp.h"
#include "../../provider/context.h"
#include "../../provider/probe.h"

#define BUCKETS 1024

struct counts {
    const struct context *ctx;
    ULONGLONG sent, received;
    struct counts *next;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct counts *table[BUCKETS];

static struct counts **bucket(const struct context *ctx)
{
    return &table[((ULONG_PTR)ctx >> 4) % BUCKETS];
}

/* The entry of `ctx` in its bucket; the caller holds the lock. */
static struct counts **find(const struct context *ctx)
{
    struct counts **p = bucket(ctx);

    while (*p && (*p)->ctx != ctx)
        p = &(*p)->next;
    return p;
}

/* A failed transfer moved nothing the peer or the caller can see. */
void probe_transfer(const struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error)
{
    struct counts **p, *c;

    if (error || direction == INSPECT_NONE)
        return;
    AcquireSRWLockExclusive(&lock);
    p = find(ctx);
    if (!*p && (c = calloc(1, sizeof(*c)))) {
        c->ctx = ctx;
        *p = c;
    }
    if (*p) {
        if (direction == INSPECT_SENT)
            (*p)->sent += bytes;
        else
            (*p)->received += bytes;
    }
    ReleaseSRWLockExclusive(&lock);
}

void probe_context_gone(const struct context *ctx)
{
    struct counts **p, *gone;

    AcquireSRWLockExclusive(&lock);
    p = find(ctx);
    gone = *p;
    if (gone)
        *p = gone->next;
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
    c = *find(ctx);
    *sent = c ? c->sent : 0;
    *received = c ? c->received : 0;
    ReleaseSRWLockShared(&lock);
    context_release(ctx);
    return TRUE;
}
