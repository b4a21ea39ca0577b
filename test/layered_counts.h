/* SPDX-License-Identifier: MIT */
/* layered_counts.h: what lspkit.dll counted on a socket, as the layered
 * tests read it (test/layered_counts.c). */
#ifndef LSPKIT_TEST_LAYERED_COUNTS_H
#define LSPKIT_TEST_LAYERED_COUNTS_H

#include <winsock2.h>

/* lspkit.dll's byte counts of its socket `s`, from the export
 * lspkit_inspect_counts of the tests' build (test/probes.mk). FALSE when
 * lspkit.dll is not loaded, is the release build, or `s` is not one of its
 * sockets. */
BOOL layered_inspect_counts(SOCKET s, ULONGLONG *sent, ULONGLONG *received);

#endif
