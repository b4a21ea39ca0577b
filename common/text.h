/* SPDX-License-Identifier: MIT */
/* Wide text made narrow, for messages, logs and narrow Winsock fields: the
 * one conversion the DLLs and tools share. */
#ifndef LSPKIT_COMMON_TEXT_H
#define LSPKIT_COMMON_TEXT_H

#include <stddef.h>
#include <windows.h>

/* Writes to `out` (`size` bytes, at least 1) the longest prefix of the
 * first `length` characters of `text` (all of it, to its terminator, when
 * `length` is -1) whose form in `code_page` fits, always terminated, and
 * returns `out`. A character or a surrogate pair is never cut in half, so
 * a long path loses its end, not all of it. */
char *text_narrow(UINT code_page, const WCHAR *text, int length, char *out, size_t size);

/* text_narrow in UTF-8, to the terminator. */
char *text_utf8(const WCHAR *text, char *out, size_t size);

#endif
