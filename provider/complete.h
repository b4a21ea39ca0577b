/* SPDX-License-Identifier: MIT */
/* Telling the application that its operation completed: through its
 * routine, its event or its completion port (complete.c). */
#ifndef LSPKIT_PROVIDER_COMPLETE_H
#define LSPKIT_PROVIDER_COMPLETE_H

#include "overlapped.h"

/* Tells the caller (routine, event, port). `at_once` when the operation
 * completed inside the call. */
void complete_deliver(struct op *op, BOOL at_once);

#endif
