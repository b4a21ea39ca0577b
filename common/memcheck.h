/* SPDX-License-Identifier: MIT */
/* Whether a caller's pointer may be read or written, asked of the address
 * space's own description (VirtualQuery) instead of by touching the
 * memory, as IsBadReadPtr and IsBadWritePtr do. Those catch the access
 * fault they cause: they consume a guard page (so a thread's stack can no
 * longer grow past it), and they race with another thread that changes
 * the memory meanwhile. Microsoft documents them as not to be used. This
 * check changes nothing; like them it can only say what is true now. */
#ifndef LSPKIT_COMMON_MEMCHECK_H
#define LSPKIT_COMMON_MEMCHECK_H

#include <windows.h>

/* TRUE when every byte of [p, p + size) lies in committed memory that
 * allows reading (mem_readable) or writing (mem_writable), and is not a
 * guard page. An empty range is always accessible, as for IsBad*Ptr. */
BOOL mem_readable(const void *p, size_t size);
BOOL mem_writable(void *p, size_t size);

#endif
