/* SPDX-License-Identifier: MIT */
/* This process's image file name (image.h). */
#include "image.h"

void image_name(WCHAR *out, size_t size)
{
    WCHAR module[MAX_PATH], *name = module;
    DWORD n = GetModuleFileNameW(NULL, module, MAX_PATH);

    module[n < MAX_PATH ? n : MAX_PATH - 1] = 0;
    for (WCHAR *p = module; *p; p++)
        if (*p == L'\\' || *p == L'/')
            name = p + 1;
    lstrcpynW(out, name, (int)size);
}
