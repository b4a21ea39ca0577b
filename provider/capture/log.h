/* SPDX-License-Identifier: MIT */
/* lspkit.log: one line per problem the user should know about, appended to
 * %ProgramData%\lspkit\lspkit.log (docs/capture.md). Never called on the
 * send path: only at capture_init and from the writer thread. */
#ifndef LSPKIT_CAPTURE_LOG_H
#define LSPKIT_CAPTURE_LOG_H

#include <windows.h>

/* Appends "TIME IMAGE[PID] TEXT" with TEXT made by printf from `format`
 * (UTF-8), as one write, so that lines of concurrent processes never mix.
 * A log that cannot be written is given up silently: there is nowhere
 * else to tell. */
void log_line(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
