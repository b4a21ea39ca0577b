/* SPDX-License-Identifier: MIT */
/* Bounds on what capture keeps on disk (bounds.c): the size of one file
 * (a process's capture goes on in -0001, -0002... files), the total of the
 * capture folder (the oldest files go), and the free space left on its
 * volume (below it, capture stops). */
#ifndef LSPKIT_CAPTURE_BOUNDS_H
#define LSPKIT_CAPTURE_BOUNDS_H

#include <windows.h>

#define MIB (1024ull * 1024ull)

struct capture_limits {
    ULONGLONG max_file;           /* MaxFileMiB */
    ULONGLONG max_total;          /* MaxTotalMiB */
    ULONGLONG min_free;           /* MinFreeMiB */
};

/* Whether the volume of `dir` has `min_free` bytes free; *free_bytes gets
 * what it has (or 0 when that cannot be told, which counts as enough). */
BOOL limits_space_left(const WCHAR *dir, ULONGLONG min_free, ULONGLONG *free_bytes);

/* Deletes the oldest capture files (*.pcapng) of `dir` until they hold at
 * most `max_total` bytes. `current` is never deleted, nor a file that
 * another process has open. Returns how many were deleted. */
int limits_prune(const WCHAR *dir, ULONGLONG max_total, const WCHAR *current);

#endif
