/* SPDX-License-Identifier: MIT */
/* Who is capturing: the process id, its image file name and start time,
 * read once at capture_init for the file name, the comments and the
 * Include/Exclude lists. */
#ifndef LSPKIT_CAPTURE_IDENT_H
#define LSPKIT_CAPTURE_IDENT_H

#include <windows.h>

struct capture_identity {
    DWORD pid;
    WCHAR image[MAX_PATH];        /* e.g. curl.exe */
    char image_utf8[MAX_PATH * 3];
    ULONGLONG start;              /* the process's creation, 100 ns since 1970 */
};

void ident_read(struct capture_identity *id);

#endif
