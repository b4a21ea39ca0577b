/* SPDX-License-Identifier: MIT */
/* The capturing process's identity (ident.h). */
#include <string.h>
#include "ident.h"
#include "clock.h"
#include "../../common/text.h"
#include "../../common/image.h"

void ident_read(struct capture_identity *id)
{
    FILETIME created, exited, kernel, user;

    id->pid = GetCurrentProcessId();
    image_name(id->image, MAX_PATH);
    if (!id->image[0])
        lstrcpyW(id->image, L"unknown");
    text_utf8(id->image, id->image_utf8, sizeof(id->image_utf8));
    if (GetProcessTimes(GetCurrentProcess(), &created, &exited, &kernel, &user))
        id->start = clock_from_filetime(&created);
    else
        id->start = clock_now();
}
