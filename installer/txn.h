/* SPDX-License-Identifier: MIT */
/* Commands that change the catalog run as transactions.
 *
 * Before its first catalog write a command records the catalogs as they
 * were, and its own name, under HKLM\SOFTWARE\lspkit\Installer (values
 * Before and Command). On failure it goes back to that record and deletes
 * it; on success it deletes it. A record still there afterwards means the
 * command was killed half-way: `verify` reports it and `repair` goes back. */
#ifndef LSPKIT_INSTALLER_TXN_H
#define LSPKIT_INSTALLER_TXN_H

#include "wsc.h"

#define INSTALLER_KEY L"SOFTWARE\\lspkit\\Installer"

/* Records `before` as the state to return to. */
int txn_begin(const char *command, const struct cm_views *before, struct cm_error *err);

/* Deletes the record: the command is done. */
int txn_commit(struct cm_error *err);

/* Brings the catalogs back to the record, with fault injection off, and
 * deletes it. Returns 0, or -1 with `err` set (the record then stays). */
int txn_rollback(const struct wsc_api *api, struct cm_error *err);

/* Moves the record, as it is, to INSTALLER_KEY\Abandoned (the last one
 * only), so that a record repair cannot go back to (or cannot read) never
 * blocks every later command. Returns 0, or -1 with `err` set. */
int txn_set_aside(struct cm_error *err);

/* The record of an unfinished command: 1 with `command` and `before`
 * filled, 0 when there is none, -1 with `err` when it cannot be read. */
int txn_pending(char *command, size_t size, struct cm_views *before, struct cm_error *err);

/* Brings the catalogs to `saved` (a backup or the record): entries still
 * there stay, the others are installed again. */
int restore_views(const struct wsc_api *api, const struct cm_views *saved, struct cm_error *err);

#endif
