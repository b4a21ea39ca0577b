/* SPDX-License-Identifier: MIT */
/* The one trace facility of the front end, the base provider, lspkit.dll
 * and lspinst (trace/trace.c; docs/troubleshooting.md).
 *
 * Off by default: a trace point then costs one test of trace_state, a
 * branch predicted not taken. It is switched on without rebuilding, by the
 * environment variable LSPKIT_TRACE=1 (one process and its children) or
 * the DWORD value Trace=1 under HKLM\SOFTWARE\lspkit (every process).
 * Lines go to OutputDebugString (Wine shows them with
 * WINEDEBUG=+debugstr, Windows in DebugView) and, when LSPKIT_TRACE_FILE
 * or the string value TraceFile names a file, are appended to it. */
#ifndef LSPKIT_TRACE_H
#define LSPKIT_TRACE_H

#include <windows.h>

#define TRACE_OFF 0
#define TRACE_ON 1
#define TRACE_UNREAD 2            /* the settings are read at the first trace point */

extern volatile LONG trace_state;

/* One line: the module and thread it comes from, then the message. */
__attribute__((format(printf, 1, 2)))
void trace_line(const char *format, ...);

#define TRACE(...) do {                                          \
        if (__builtin_expect(trace_state != TRACE_OFF, 0))       \
            trace_line(__VA_ARGS__);                             \
    } while (0)

#endif
