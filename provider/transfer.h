/* SPDX-License-Identifier: MIT */
/* Which way an operation moves data: what inspect.h records, what an
 * operation (overlapped.h) carries, and what the tests' probe (probe.h)
 * counts - a header of its own so that the probe need not include the
 * inspection hook's. */
#ifndef LSPKIT_PROVIDER_TRANSFER_H
#define LSPKIT_PROVIDER_TRANSFER_H

enum inspect_direction {
    INSPECT_NONE,                 /* not a data transfer (ioctl, connect, MSG_PEEK) */
    INSPECT_SENT,
    INSPECT_RECEIVED,
};

#endif
