/* SPDX-License-Identifier: MIT */
/* WSAPoll through the provider (poll.c). */
#ifndef LSPKIT_PROVIDER_POLL_H
#define LSPKIT_PROVIDER_POLL_H

#include <mswsock.h>
#include "context.h"

/* SIO_EXT_POLL: `data` is both the input (in_size bytes) and the output
 * (out_size) buffer. Polls it and sets data->result and the revents.
 * Returns 0 or the error. */
int poll_through(WSAPOLLDATA *data, DWORD in_size, DWORD out_size, LPDWORD returned,
                 LPWSATHREADID thread);

#endif
