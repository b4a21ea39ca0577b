/* SPDX-License-Identifier: MIT */
/* The tests' side of the tests' filter (probe_filter.h): registering it
 * and finding its exports once lspkit.dll has loaded it. */
#ifndef LSPKIT_TEST_PROBE_FIND_H
#define LSPKIT_TEST_PROBE_FIND_H

#include "probe_filter.h"

struct probe_filter {
    probe_filter_policy_fn policy;
    probe_filter_totals_fn totals;
    probe_filter_events_fn events;
    probe_filter_dial_fn dial;
};

/* The filter's exports. lspkit.dll loads the filters at the first socket
 * a process makes through it, so the first call registers the filter (and
 * one with a long name, listed before it, which must not keep it from
 * loading) and makes that socket. The test fails when it is not loaded. */
const struct probe_filter *probe_filter_find(void);

#endif
