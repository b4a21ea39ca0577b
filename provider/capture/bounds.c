/* SPDX-License-Identifier: MIT */
/* Capture's bounds on disk (limits.h). */
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>
#include "bounds.h"

BOOL limits_space_left(const WCHAR *dir, ULONGLONG min_free, ULONGLONG *free_bytes)
{
    ULARGE_INTEGER available;

    *free_bytes = 0;
    if (!GetDiskFreeSpaceExW(dir, &available, NULL, NULL))
        return TRUE;
    *free_bytes = available.QuadPart;
    return available.QuadPart >= min_free;
}

struct capture_file {
    WCHAR name[MAX_PATH];
    ULONGLONG size;
    ULONGLONG written;            /* last write time */
};

static int oldest_first(const void *a, const void *b)
{
    const struct capture_file *x = a, *y = b;

    return x->written < y->written ? -1 : x->written > y->written;
}

/* The folder's capture files, sizes added up in *total. */
static struct capture_file *list_files(const WCHAR *dir, size_t *count, ULONGLONG *total)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW found;
    struct capture_file *files = NULL, *grown;
    size_t capacity = 0;
    HANDLE find;

    *count = 0;
    *total = 0;
    if (_snwprintf(pattern, MAX_PATH, L"%ls\\*.pcapng", dir) >= MAX_PATH)
        return NULL;
    find = FindFirstFileW(pattern, &found);
    if (find == INVALID_HANDLE_VALUE)
        return NULL;
    do {
        if (found.dwFileAttributes & (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT))
            continue;
        if (*count == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            grown = realloc(files, capacity * sizeof(*files));
            if (!grown)
                break;
            files = grown;
        }
        lstrcpynW(files[*count].name, found.cFileName, MAX_PATH);
        files[*count].size = ((ULONGLONG)found.nFileSizeHigh << 32) | found.nFileSizeLow;
        files[*count].written = ((ULONGLONG)found.ftLastWriteTime.dwHighDateTime << 32) |
                                found.ftLastWriteTime.dwLowDateTime;
        *total += files[*count].size;
        (*count)++;
    } while (FindNextFileW(find, &found));
    FindClose(find);
    return files;
}

int limits_prune(const WCHAR *dir, ULONGLONG max_total, const WCHAR *current)
{
    WCHAR path[MAX_PATH];
    struct capture_file *files;
    ULONGLONG total;
    size_t count, i;
    int deleted = 0;

    files = list_files(dir, &count, &total);
    if (!files)
        return 0;
    qsort(files, count, sizeof(*files), oldest_first);
    for (i = 0; i < count && total > max_total; i++) {
        if (_snwprintf(path, MAX_PATH, L"%ls\\%ls", dir, files[i].name) >= MAX_PATH ||
            !_wcsicmp(path, current))
            continue;
        /* A file another writer has open cannot be deleted: it stays. */
        if (DeleteFileW(path)) {
            total -= files[i].size;
            deleted++;
        }
    }
    free(files);
    return deleted;
}
