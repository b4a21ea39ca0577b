/* SPDX-License-Identifier: MIT */
/* The extension functions handed out by SIO_GET_EXTENSION_FUNCTION_POINTER
 * (L06): ours, which take our sockets, translate them and call the lower
 * provider's function, running overlapped calls as ops. */
#ifndef LSPKIT_PROVIDER_EXTENSION_H
#define LSPKIT_PROVIDER_EXTENSION_H

#include "context.h"

/* The lower provider has just answered SIO_GET_EXTENSION_FUNCTION_POINTER
 * for `guid` on ctx's lower socket with `*pointer`: remembers it and puts
 * our function for that GUID in its place. Returns 0, or WSAEOPNOTSUPP
 * (clearing *pointer) for a function we cannot route. */
int extension_replace(struct context *ctx, const GUID *guid, void **pointer);

#endif
