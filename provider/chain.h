/* SPDX-License-Identifier: MIT */
/* Our place in the catalog: the chain entries we serve (layers) and the
 * next providers of those chains (lowers), found from the catalog alone.
 *
 * Our link in a chain is the first of its entries that is one of our
 * layered entries (a layered entry whose DLL is this module); the link
 * after it is the next provider. When that is the chain's last link it is
 * a base provider, started with the base entry's protocol info; otherwise
 * it is another layered provider, started with the chain as we were given
 * it, which finds its own place in it the same way. A chain may run
 * through us more than once: the layer a provider below us calls into is
 * the next of ours after the layer the calling thread came down through
 * (chain_descend). One lower is kept per distinct next link, however many
 * of our layers lead to it. Layers and lowers live until the last
 * WSPCleanup (chain_unload_all). */
#ifndef LSPKIT_PROVIDER_CHAIN_H
#define LSPKIT_PROVIDER_CHAIN_H

#include <winsock2.h>
#include <ws2spi.h>

/* The extension functions the provider routes through itself (extension.c);
 * their lower counterparts are cached per lower. */
#include "lspkit/extensions.h"

struct lower {
    struct lower *next;
    WSAPROTOCOL_INFOW info;       /* what its WSPStartup and WSPSocket get */
    DWORD entry_id;               /* the catalog entry of its link */
    GUID provider;                /* that entry's provider */
    BOOL ifs_handles;             /* its sockets are IFS handles */
    HMODULE module;
    WSPPROC_TABLE procs;
    void *volatile ext[EXT_COUNT];  /* its extension functions, fetched on first use */
};

struct layer {
    struct layer *next;
    WSAPROTOCOL_INFOW info;       /* the chain entry, as the catalog has it */
    int from;                     /* where the search for our link started */
    int position;                 /* our link: the index in info.ProtocolChain */
    struct lower *lower;
};

/* Marks a call from `layer` into its lower provider on this thread, so
 * that a provider below that calls us again with the same chain reaches
 * our next link, not this one. On the stack, strictly nested. */
struct chain_descent {
    const struct layer *layer;
    struct chain_descent *outer;
};

/* The layer serving the chain entry `info` describes, resolving the chain
 * and starting the next provider on first use. Returns 0 or a WSA error:
 * WSAEINVAL (not a chain), WSAEINVALIDPROVIDER (we are not in the chain,
 * or the catalog disagrees with it), WSAEPROVIDERFAILEDINIT (the next
 * provider cannot be loaded or started), WSAENOBUFS. */
int chain_layer(const WSAPROTOCOL_INFOW *info, struct layer **out);

/* The layer of the catalog's first TCP chain of `family` that runs
 * through us: where a connection of lspkit's own is made (dial.c). 0, or
 * WSAEAFNOSUPPORT when there is none, or chain_layer's error. */
int chain_stream_layer(int family, struct layer **out);

void chain_descend(struct chain_descent *descent, const struct layer *layer);
void chain_ascend(struct chain_descent *descent);

/* Calls `fn` for every started lower until it returns non-zero; returns that value or 0. */
int chain_for_each_lower(int (*fn)(struct lower *lower, void *arg), void *arg);

/* WSPCleanup for every lower and unloads them; forgets every layer. Only
 * for the last WSPCleanup, when no socket is left. */
void chain_unload_all(void);

#endif
