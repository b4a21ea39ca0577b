/* SPDX-License-Identifier: MIT */
/* Extension functions on non-IFS sockets, run through the front end
 * (extension.c). */
#ifndef LSPKIT_SPI_EXTENSION_H
#define LSPKIT_SPI_EXTENSION_H

#include <winsock2.h>
#include "dsocket.h"

/* The provider's own extension function `guid` for socket `ds`; NULL with
 * *error set. */
void *extension_provider_function(struct dsocket *ds, const GUID *guid, int *error);

/* After the provider answered SIO_GET_EXTENSION_FUNCTION_POINTER on `ds`
 * with its function in `out`: puts the front end's in its place when `ds`
 * is a non-IFS socket and the function one whose operations it pends. */
void extension_wrap(struct dsocket *ds, const void *in, DWORD in_size, void *out,
                    DWORD out_size);

#endif
