/* SPDX-License-Identifier: MIT */
/* Registry values from command-line text (see lspinst.h). */
#include "lspinst.h"

#include <stdlib.h>
#include <wchar.h>

LSTATUS reg_change_apply(HKEY key, const struct reg_change *c)
{
    LSTATUS status;

    if (c->data)
        return RegSetValueExW(key, c->name, 0, c->type, c->data, c->size);
    status = RegDeleteValueW(key, c->name);
    return status == ERROR_FILE_NOT_FOUND ? 0 : status;
}

BOOL parse_number(const WCHAR *text, DWORD max, DWORD *out)
{
    WCHAR *end;
    unsigned long n;

    if (!iswdigit(text[0]))
        return FALSE;
    n = wcstoul(text, &end, 10);
    if (*end || n > max)
        return FALSE;
    *out = (DWORD)n;
    return TRUE;
}

BOOL parse_list(const WCHAR *list, BOOL (*valid)(const WCHAR *), BYTE **data, DWORD *size)
{
    size_t n = wcslen(list), start = 0, i;
    WCHAR *multi;

    *data = NULL;
    if (!n)
        return TRUE;
    multi = calloc(n + 2, sizeof(WCHAR));
    if (!multi)
        return FALSE;
    wcscpy(multi, list);
    for (i = 0; i <= n; i++) {
        if (multi[i] != L',' && multi[i] != L';' && multi[i])
            continue;
        multi[i] = 0;
        if (!valid(multi + start)) {      /* empty items included */
            free(multi);
            return FALSE;
        }
        start = i + 1;
    }
    *data = (BYTE *)multi;
    *size = (DWORD)((n + 2) * sizeof(WCHAR));
    return TRUE;
}
