/* SPDX-License-Identifier: MIT */
/* The Winsock catalog as plain data, for the installer to plan with.
 *
 * A catalog is what WSCEnumProtocols reports, in catalog order, plus what
 * the enumeration leaves out: each entry's provider DLL path and its LSP
 * categories. Nothing here calls Winsock, so planning, checking and
 * diffing can be unit-tested on hand-made catalogs.
 *
 * Vocabulary (ws2spi.h): a layered entry has ChainLen LAYERED_PROTOCOL (0)
 * and stands for an LSP; a base entry has ChainLen BASE_PROTOCOL (1); a
 * chain has ChainLen >= 2 and lists catalog ids from the top layer down to
 * a base entry. A chain "covers" the entries it is built on: those its
 * ChainEntries name below the head, and the chains whose own chain is a
 * proper tail of it. Applications pick the first matching entry, so a
 * chain takes effect only when it comes before everything it covers. */
#ifndef LSPKIT_CATALOG_MODEL_H
#define LSPKIT_CATALOG_MODEL_H

#include <winsock2.h>
#include <ws2spi.h>

/* The two catalogs of 64-bit Windows: the native one and the one 32-bit
 * processes use. A 32-bit Windows has only the first. */
enum cm_view { CM_VIEW_NATIVE, CM_VIEW_32, CM_VIEWS };

struct cm_entry {
    WCHAR path[MAX_PATH];         /* provider DLL, environment strings unexpanded */
    WSAPROTOCOL_INFOW info;
    DWORD categories;             /* ProviderInfoLspCategories, 0 when unset */
};

/* Entries in catalog order. */
struct cm_catalog {
    struct cm_entry *entries;
    DWORD count;
    DWORD capacity;
};

/* Both catalogs; `present[CM_VIEW_32]` is FALSE where there is no second one. */
struct cm_views {
    struct cm_catalog cat[CM_VIEWS];
    BOOL present[CM_VIEWS];
};

/* Catalog ids at or above this mark are placeholders for entries a plan
 * adds: the real id exists only once the entry is installed. Real ids are
 * small counters (1001 and up on Windows). */
#define CM_NEW_ID_BASE 0xFFF00000u
#define CM_IS_NEW_ID(id) ((DWORD)(id) >= CM_NEW_ID_BASE)

/* What went wrong in a planning step, as one sentence for the user. */
struct cm_error {
    char text[512];
};

/* lspkit's provider GUID: its layered entry carries it, so the installer
 * finds an earlier installation by it. */
extern const GUID cm_lspkit_guid;

void cm_init(struct cm_catalog *cat);
void cm_free(struct cm_catalog *cat);
void cm_views_init(struct cm_views *views);
void cm_views_free(struct cm_views *views);

/* Appends a copy of `entry`. Returns 0, or -1 when out of memory. */
int cm_append(struct cm_catalog *cat, const struct cm_entry *entry);
/* Inserts a copy of `entry` before position `index` (<= count). */
int cm_insert(struct cm_catalog *cat, DWORD index, const struct cm_entry *entry);
/* Replaces `dst` (initialised) with a copy of `src`. */
int cm_copy(struct cm_catalog *dst, const struct cm_catalog *src);
int cm_views_copy(struct cm_views *dst, const struct cm_views *src);
void cm_remove_at(struct cm_catalog *cat, DWORD index);
/* Moves the entry at `from` so that it sits at position `to`. */
void cm_move(struct cm_catalog *cat, DWORD from, DWORD to);

/* Index of the entry with catalog id `id`, or -1. */
int cm_find_id(const struct cm_catalog *cat, DWORD id);
/* Index of the layered entry of provider `guid`, or -1. */
int cm_find_layered(const struct cm_catalog *cat, const GUID *guid);

static inline BOOL cm_is_layered(const struct cm_entry *e)
{
    return e->info.ProtocolChain.ChainLen == LAYERED_PROTOCOL;
}

static inline BOOL cm_is_base(const struct cm_entry *e)
{
    return e->info.ProtocolChain.ChainLen == BASE_PROTOCOL;
}

/* A chain: more than one link, and (read from a damaged catalog or a
 * backup, ChainLen may be anything) no more than the array holds, so that
 * every loop bounded by ChainLen stays inside it. */
static inline BOOL cm_is_chain(const struct cm_entry *e)
{
    return e->info.ProtocolChain.ChainLen > BASE_PROTOCOL &&
           e->info.ProtocolChain.ChainLen <= MAX_PROTOCOL_CHAIN;
}

/* The chain's bottom entry (its base provider's id). */
static inline DWORD cm_chain_bottom(const struct cm_entry *e)
{
    return e->info.ProtocolChain.ChainEntries[e->info.ProtocolChain.ChainLen - 1];
}

/* TRUE when chain `e` names `id` anywhere in its ChainEntries. */
BOOL cm_chain_names(const struct cm_entry *e, DWORD id);
/* TRUE when chain `upper` covers `lower` (see the top of this file). */
BOOL cm_covers(const struct cm_entry *upper, const struct cm_entry *lower);
/* TRUE when `e` belongs to the LSP whose layered entry has id `layered_id`:
 * the layered entry itself or a chain headed by it. */
BOOL cm_belongs_to(const struct cm_entry *e, DWORD layered_id);

/* Replaces every occurrence of catalog id `from` (the entry's own id and
 * ChainEntries) by `to` across the catalog. */
void cm_rename_id(struct cm_catalog *cat, DWORD from, DWORD to);

/* Removes `id` from chain `e` (not its head); returns FALSE when that
 * would leave it without a layer above its base. */
BOOL cm_chain_drop(struct cm_entry *e, DWORD id);

/* `szProtocol` as UTF-8 for messages. */
void cm_name_utf8(const struct cm_entry *e, char *out, size_t size);
/* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" into a 39-byte buffer. */
void cm_guid_format(const GUID *guid, char out[39]);

/* The DLL check: NULL when `path` (unexpanded, as stored) names a provider
 * DLL that catalog `view`'s processes can load (and, when `ours`, lspkit's
 * own), else why not, as a predicate: "does not exist", "is not a DLL".
 * The installer passes one that reads the file as data; tests pass fakes. */
typedef const char *(*cm_dll_problem_fn)(const WCHAR *path, enum cm_view view, BOOL ours,
                                         void *ctx);

#endif
