/* SPDX-License-Identifier: MIT */
/* start.c: the check before every clause of the layered arrangement. A
 * provider that does not start fails every clause for that one reason, and
 * the clause tests would blame it for each; so the runner first has a child
 * open one socket through each chain entry of the provider (each family
 * and type it claims), and ends the run with that one reason when any
 * fails (main.c). */
#include "sc.h"
#include "spicheck.h"

#include <stdio.h>
#include <stdlib.h>

static void t_start(void)
{
    int n, tried = 0;
    WSAPROTOCOL_INFOW *all = sc_read_catalog(&n);
    DWORD layered;

    sc_check(all != NULL, "WSCEnumProtocols failed");
    layered = sc_provider_layered_id(all, n);
    for (int i = 0; i < n; i++) {
        const WSAPROTOCOL_INFOW *entry = &all[i];
        SOCKET s;
        int err;

        if (!sc_is_provider_chain(entry, layered))
            continue;
        tried++;
        s = WSASocketW(entry->iAddressFamily, entry->iSocketType, entry->iProtocol,
                       (WSAPROTOCOL_INFOW *)entry, 0, WSA_FLAG_OVERLAPPED);
        err = WSAGetLastError();
        if (s == INVALID_SOCKET) {
            /* The runner's line: "provider did not start: " and this. */
            printf("FAIL error %d (%s): WSASocket through its %s %s chain entry %lu\n", err,
                   sc_error_name(err), sc_family_name(entry->iAddressFamily),
                   entry->iSocketType == SOCK_DGRAM ? "datagram" : "stream",
                   (unsigned long)entry->dwCatalogEntryId);
            sc_end(SC_EXIT_FAIL);
        }
        closesocket(s);
    }
    free(all);
    sc_check(tried > 0, "no chain entry of the provider is in the catalog");
}

const struct sc_test sc_start_test = {
    "start", "the provider starts: a socket through each of its chain entries", t_start,
    20000, 0
};
