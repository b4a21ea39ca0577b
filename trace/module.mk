# SPDX-License-Identifier: MIT
# trace/: the trace facility (include/lspkit/trace.h), compiled into the
# front end, the base provider, lspkit.dll and lspinst. It reads its
# settings with advapi32, which each of them links.
TRACE_SRCS := trace/trace.c
CFLAGS_trace :=
