/* SPDX-License-Identifier: MIT */
/* This process's image file name (curl.exe): how the capture names a
 * process, the log's lines begin, and the scope lists select one. */
#ifndef LSPKIT_COMMON_IMAGE_H
#define LSPKIT_COMMON_IMAGE_H

#include <windows.h>

/* The last part of the process's module path, in OUT (SIZE characters,
 * always terminated); "" when the system gives no path. */
void image_name(WCHAR *out, size_t size);

#endif
