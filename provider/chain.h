/* SPDX-License-Identifier: MIT */
/* Our place in the catalog: the chain entries we serve (layers) and the
 * next providers of those chains (lowers), found from the catalog alone.
 *
 * A chain entry's ProtocolChain names our own layered entry at [0] and the
 * next link at [1]. When the chain has two links the next one is a base
 * provider, started with the base entry's protocol info; when it is longer,
 * the next one is another layered provider, started with our chain shifted
 * by one link. One lower is kept per distinct next entry, however many of
 * our chain entries lead to it. Layers and lowers live until the last
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
    HMODULE module;
    WSPPROC_TABLE procs;
    void *volatile ext[EXT_COUNT];  /* its extension functions, fetched on first use */
};

struct layer {
    struct layer *next;
    WSAPROTOCOL_INFOW info;       /* our chain entry, as the catalog has it */
    struct lower *lower;
};

/* The layer serving the chain entry `info` describes (a catalog entry, or
 * one a layer above us built by shifting its chain), resolving the chain
 * and starting the next provider on first use. Returns 0 or a WSA error:
 * WSAEINVAL (not one of our chains), WSAEINVALIDPROVIDER (the catalog
 * disagrees with the chain), WSAEPROVIDERFAILEDINIT (the next provider
 * cannot be loaded or started), WSAENOBUFS. */
int chain_layer(const WSAPROTOCOL_INFOW *info, struct layer **out);

/* Calls `fn` for every started lower until it returns non-zero; returns that value or 0. */
int chain_for_each_lower(int (*fn)(struct lower *lower, void *arg), void *arg);

/* WSPCleanup for every lower and unloads them; forgets every layer. Only
 * for the last WSPCleanup, when no socket is left. */
void chain_unload_all(void);

#endif
