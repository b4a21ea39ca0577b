/* SPDX-License-Identifier: MIT */
/* Hand-made catalogs for the catalog model's unit tests: no Winsock. */
#ifndef LSPKIT_CATALOG_TESTS_MODEL_UTIL_H
#define LSPKIT_CATALOG_TESTS_MODEL_UTIL_H

#include "../model.h"

/* The GUID Windows gives its MSAFD Tcpip base entries, and two made-up LSPs. */
extern const GUID msafd_guid, other_guid, third_guid;

/* Appends a base entry `id`. */
void add_base(struct cm_catalog *cat, DWORD id, int af, int type, int protocol, const WCHAR *name);

/* Windows' six TCP/UDP/RAW over IPv4/IPv6 base entries, ids 1001..1006,
 * plus a Hyper-V-like base entry of another family (1007). */
void make_windows(struct cm_catalog *cat);

/* Appends a layered entry `id` of provider `guid`. */
void add_layered(struct cm_catalog *cat, DWORD id, const GUID *guid, const WCHAR *name,
                 const WCHAR *path);

/* Inserts at `index` a chain `id` of provider `guid`: `chain` lists `len`
 * ids from the top; the protocol is copied from the bottom entry. */
void insert_chain(struct cm_catalog *cat, DWORD index, DWORD id, const GUID *guid,
                  const DWORD *chain, int len, const WCHAR *name, const WCHAR *path);

/* Another LSP ("Other LSP", layered 2001) with chains 2002 over TCP/IPv4
 * (1001) and 2003 over UDP/IPv4 (1002), ordered first. */
void add_other_lsp(struct cm_catalog *cat);

/* Gives the placeholder entries of `cat` real ids from `next` on, as an
 * installation would, and returns the next free id. */
DWORD realize(struct cm_catalog *cat, DWORD next);

/* Index of entry `id`; fails the test when absent. */
int index_of(const struct cm_catalog *cat, DWORD id);

/* A cm_dll_problem_fn: every path is a provider except those containing
 * "missing". */
const char *fake_dll_problem(const WCHAR *path, enum cm_view view, BOOL ours, void *ctx);

/* TRUE when two catalogs are equal entry by entry (ids included). */
BOOL same_catalog(const struct cm_catalog *a, const struct cm_catalog *b);

#endif
