/* SPDX-License-Identifier: MIT */
/* The capturing process's identity (ident.h). */
#include <string.h>
#include "ident.h"
#include "clock.h"
#include "../../common/text.h"

void ident_read(struct capture_identity *id)
{
    WCHAR module[MAX_PATH], *name = module;
    FILETIME created, exited, kernel, user;
    DWORD n = GetModuleFileNameW(NULL, module, MAX_PATH);

    module[n < MAX_PATH ? n : MAX_PATH - 1] = 0;
    for (WCHAR *p = module; *p; p++)
        if (*p == L'\\' || *p == L'/')
            name = p + 1;
    id->pid = GetCurrentProcessId();
    lstrcpynW(id->image, *name ? name : L"unknown", MAX_PATH);
    text_utf8(id->image, id->image_utf8, sizeof(id->image_utf8));
    if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        id->start = clock_from_filetime(&created);
    else
        id->start = clock_now();
}
