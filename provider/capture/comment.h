/* SPDX-License-Identifier: MIT */
/* The packet comments (EPB opt_comment) that say which process, thread
 * and call a packet stands for, and how the call ended. */
#ifndef LSPKIT_CAPTURE_COMMENT_H
#define LSPKIT_CAPTURE_COMMENT_H

#include <stddef.h>
#include "ident.h"
#include "record.h"

#define COMMENT_MAX 256

/* The comment of record `r`'s packets; `part`/`parts` (1-based) when its
 * data spans several segments, 0/0 otherwise. */
void comment_record(char *out, size_t size, const struct capture_identity *id,
                    const struct record *r, DWORD part, DWORD parts);

/* The comment of the synthetic handshake before a flow's first record. */
void comment_handshake(char *out, size_t size, const struct record *r);

#endif
