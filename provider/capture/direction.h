/* SPDX-License-Identifier: MIT */
/* Which way a captured transfer went, and what a filter changed of it:
 * part of capture.h's interface, and all that the record encoders
 * (flow.c, packets.c, comment.c) need of it. */
#ifndef LSPKIT_CAPTURE_DIRECTION_H
#define LSPKIT_CAPTURE_DIRECTION_H

enum capture_direction {
    CAPTURE_SEND,
    CAPTURE_RECEIVE,
};

/* What a filter (include/lspkit/filter.h) changed of a record, said in its
 * comment. The record itself always holds what the application sent or
 * received, and the addresses it used. */
enum capture_mark {
    CAPTURE_AS_SENT,              /* nothing */
    CAPTURE_REPLACED,             /* a filter sent other bytes in their place */
    CAPTURE_REDIRECTED,           /* the connection goes elsewhere than its remote address */
};

#endif
