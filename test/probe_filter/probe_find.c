/* SPDX-License-Identifier: MIT */
/* probe_find.c: see probe_find.h. */
#include <check.h>
#include <winsock2.h>
#include "probe_find.h"
#include "../filter_registry.h"

static struct probe_filter probe;

const struct probe_filter *probe_filter_find(void)
{
    HMODULE filter;
    SOCKET s;

    if (probe.policy)
        return &probe;
    filter_register(L"probe", L"lspkit_probe_filter.dll", 10, NULL);
    /* A name longer than 63 characters (lspinst takes up to 255), listed
     * before "probe": it must not keep the filters after it from loading. */
    filter_register(L"a_filter_whose_name_is_longer_than_sixty_three_characters_as_lspinst_allows",
                    L"..\\lspkit_bytecount.dll", 20, NULL);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ck_assert_msg(s != INVALID_SOCKET, "socket: %d", WSAGetLastError());
    closesocket(s);
    filter = GetModuleHandleW(L"lspkit_probe_filter.dll");
    ck_assert_msg(filter, "lspkit.dll did not load the filter (see lspkit.log)");
    probe.policy = (probe_filter_policy_fn)(void *)GetProcAddress(filter, "probe_filter_policy");
    probe.totals = (probe_filter_totals_fn)(void *)GetProcAddress(filter, "probe_filter_totals");
    probe.events = (probe_filter_events_fn)(void *)GetProcAddress(filter, "probe_filter_events");
    probe.dial = (probe_filter_dial_fn)(void *)GetProcAddress(filter, "probe_filter_dial");
    ck_assert(probe.policy && probe.totals && probe.events && probe.dial);
    return &probe;
}
