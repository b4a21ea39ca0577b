/* SPDX-License-Identifier: MIT */
/* WSPAsyncSelect (L07). The lower provider posts its notifications to a
 * hidden window of ours, naming the lower socket; we post them on to the
 * caller's window naming the caller's socket. */
#ifndef LSPKIT_PROVIDER_ASYNCSEL_H
#define LSPKIT_PROVIDER_ASYNCSEL_H

#include "context.h"

/* WSPAccept's bracket around the lower accept of `listener`. A socket
 * accepted from a listener with WSPAsyncSelect inherits its window and
 * message, and the lower provider may post for it at once: our window
 * must not look for it before it is registered. asyncsel_accept_begin
 * returns TRUE, holding the registry, when `listener` is registered;
 * asyncsel_accept_end then registers `accepted` (when not NULL) with the
 * listener's target and lets the registry go. */
BOOL asyncsel_accept_begin(struct context *listener);
void asyncsel_accept_end(struct context *listener, struct context *accepted, BOOL held);

/* Forgets a closed socket's registration (WSPCloseSocket). */
void asyncsel_forget(struct context *ctx);

/* Destroys the window and forgets every registration (the last
 * WSPCleanup, after every socket closed). */
void asyncsel_stop(void);

#endif
