/* SPDX-License-Identifier: MIT */
/* Pointer checks from VirtualQuery (memcheck.h). */
#include <stdint.h>
#include "memcheck.h"

#define WRITABLE (PAGE_READWRITE | PAGE_WRITECOPY | PAGE_EXECUTE_READWRITE | \
                  PAGE_EXECUTE_WRITECOPY)
#define READABLE (WRITABLE | PAGE_READONLY | PAGE_EXECUTE_READ)

static BOOL region_allows(const MEMORY_BASIC_INFORMATION *region, DWORD wanted)
{
    return region->State == MEM_COMMIT && !(region->Protect & (PAGE_GUARD | PAGE_NOACCESS)) &&
           (region->Protect & wanted);
}

/* One VirtualQuery per region the range crosses: a buffer is one or two. */
static BOOL range_allows(const void *p, size_t size, DWORD wanted)
{
    uintptr_t at = (uintptr_t)p, end = at + size;
    MEMORY_BASIC_INFORMATION region;

    if (!size)
        return TRUE;
    if (!p || end < at)
        return FALSE;
    while (at < end) {
        if (!VirtualQuery((const void *)at, &region, sizeof(region)) ||
            !region_allows(&region, wanted))
            return FALSE;
        at = (uintptr_t)region.BaseAddress + region.RegionSize;
    }
    return TRUE;
}

BOOL mem_readable(const void *p, size_t size)
{
    return range_allows(p, size, READABLE);
}

BOOL mem_writable(void *p, size_t size)
{
    return range_allows(p, size, WRITABLE);
}
