/* SPDX-License-Identifier: MIT */
/* probe.h: what the layered tests observe inside the provider.
 *
 * As with the fault points (fault.h), a probe is one line beside the
 * provider's real code. lspkit.dll is built without LSPKIT_PROBES, and
 * every PROBE line compiles to nothing. The tests' build of it
 * (test/probes.mk: build/x64/tests/providers/lspkit.dll, which
 * scripts/run-tests.sh has bin/lspkit-wine install) defines LSPKIT_PROBES
 * and links test/probes/byte_counts.c, which counts each socket's bytes
 * and exports them to the tests as lspkit_inspect_counts. */
#ifndef LSPKIT_PROVIDER_PROBE_H
#define LSPKIT_PROVIDER_PROBE_H

#ifdef LSPKIT_PROBES
#include <winsock2.h>
#include "transfer.h"

struct context;

#define PROBE(hook) (hook)

/* A transfer on `ctx` ended: `bytes` moved in `direction`, with `error` 0
 * or the WSA error it ended with (inspect_record's arguments). */
void probe_transfer(const struct context *ctx, enum inspect_direction direction, DWORD bytes,
                    int error);

/* `ctx` is about to be freed: its address may be reused. */
void probe_context_gone(const struct context *ctx);
#else
#define PROBE(hook) ((void)0)
#endif

#endif
