/* SPDX-License-Identifier: MIT */
/* The checks of the capture settings (validate.c), shared by the provider
 * (config.c) and lspinst config, so that a value the installer saves is
 * one the provider uses, and one the provider would refuse is refused when
 * it is given. */
#ifndef LSPKIT_CAPTURE_VALIDATE_H
#define LSPKIT_CAPTURE_VALIDATE_H

#include <windows.h>

/* The longest capture folder, leaving room for the file name. */
#define CAPTURE_DIRECTORY_MAX (MAX_PATH - 64)

/* A Ports item: "N" or "N-M", 1 <= N <= M <= 65535. */
BOOL validate_port_range(const WCHAR *item, DWORD *first, DWORD *last);

/* An IncludeProcesses / ExcludeProcesses item: an image file name
 * ("curl.exe"), not a path. */
BOOL validate_image_name(const WCHAR *item);

/* A Directory value (expanded first when `expand`: REG_EXPAND_SZ) as the
 * provider will use it, in `out` (CAPTURE_DIRECTORY_MAX characters), without
 * trailing backslashes. NULL when usable, else why not. */
const char *validate_directory(const WCHAR *value, BOOL expand, WCHAR *out);

#endif
