/* SPDX-License-Identifier: MIT */
/* Capture settings' checks (validate.h). */
#include <wchar.h>
#include "validate.h"
#include "storage.h"

/* A decimal port 1..65535 spanning the whole of [text, end). */
static BOOL parse_port(const WCHAR *text, const WCHAR *end, DWORD *port)
{
    DWORD v = 0;

    if (text == end || end - text > 5)
        return FALSE;
    for (; text < end; text++) {
        if (*text < L'0' || *text > L'9')
            return FALSE;
        v = v * 10 + (DWORD)(*text - L'0');
    }
    *port = v;
    return v >= 1 && v <= 65535;
}

BOOL validate_port_range(const WCHAR *item, DWORD *first, DWORD *last)
{
    const WCHAR *dash = wcschr(item, L'-'), *end = item + wcslen(item);

    if (!dash) {
        if (!parse_port(item, end, first))
            return FALSE;
        *last = *first;
        return TRUE;
    }
    return parse_port(item, dash, first) && parse_port(dash + 1, end, last) && *first <= *last;
}

BOOL validate_image_name(const WCHAR *item)
{
    return item[0] && wcslen(item) < MAX_PATH && !wcspbrk(item, L"\\/:");
}

const char *validate_directory(const WCHAR *value, BOOL expand, WCHAR *out)
{
    WCHAR expanded[MAX_PATH];
    const WCHAR *dir = value;
    size_t len;

    /* Only names whose values come from the system: the environment is the
     * user's who started the process (storage.h). */
    if (expand) {
        if (!storage_expand(value, expanded, MAX_PATH))
            return "names a variable other than %ProgramData%, %SystemRoot%, %windir%, "
                   "%SystemDrive%, or expands to too long a path";
        dir = expanded;
    }
    len = wcslen(dir);
    while (len > 3 && dir[len - 1] == L'\\')
        len--;
    if (len >= CAPTURE_DIRECTORY_MAX)
        return "is longer than the 195 characters a capture folder may have";
    /* A relative path would depend on each process's current directory. */
    if (!(len >= 3 && dir[1] == L':' && dir[2] == L'\\') &&
        !(len >= 3 && dir[0] == L'\\' && dir[1] == L'\\'))
        return "is not an absolute path";
    wmemcpy(out, dir, len);
    out[len] = 0;
    return NULL;
}
