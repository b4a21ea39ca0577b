/* SPDX-License-Identifier: MIT */
/* Which way a captured transfer went: part of capture.h's interface, and
 * all that the record encoders (flow.c, packets.c, comment.c) need of it. */
#ifndef LSPKIT_CAPTURE_DIRECTION_H
#define LSPKIT_CAPTURE_DIRECTION_H

enum capture_direction {
    CAPTURE_SEND,
    CAPTURE_RECEIVE,
};

#endif
