/* SPDX-License-Identifier: MIT */
/* A DLL for the machine that is no filter (installer/tests/filter.c): its
 * one export only begins like lspkit_filter_open, so that a check that
 * matched a prefix, or the first export, would take it. */
#include <windows.h>

__declspec(dllexport) int lspkit_filter_open_later(void)
{
    return 0;
}
