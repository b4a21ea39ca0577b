/* SPDX-License-Identifier: MIT */
/* What lspkit.dll counted on a socket (layered_counts.h). */
#include "layered_counts.h"

typedef BOOL (WINAPI *inspect_counts_fn)(SOCKET, ULONGLONG *, ULONGLONG *);

BOOL layered_inspect_counts(SOCKET s, ULONGLONG *sent, ULONGLONG *received)
{
    HMODULE lsp = GetModuleHandleW(L"lspkit.dll");
    inspect_counts_fn counts;

    if (!lsp)
        return FALSE;
    counts = (inspect_counts_fn)(void *)GetProcAddress(lsp, "lspkit_inspect_counts");
    return counts && counts(s, sent, received);
}
