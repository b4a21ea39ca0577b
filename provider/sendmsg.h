/* SPDX-License-Identifier: MIT */
/* WSASendMsg through the provider (sendmsg.c). */
#ifndef LSPKIT_PROVIDER_SENDMSG_H
#define LSPKIT_PROVIDER_SENDMSG_H

#include <mswsock.h>
#include "context.h"

/* Sends args->lpMsg on ctx's socket, overlapped as args asks; `thread` is
 * the caller's (NULL: the calling thread). Returns 0 or the error
 * (WSA_IO_PENDING when the send completes later). */
int sendmsg_through(struct context *ctx, const WSASENDMSG *args, LPWSATHREADID thread);

#endif
