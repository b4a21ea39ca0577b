/* SPDX-License-Identifier: MIT */
/* Packet comments (comment.h). */
#include <stdio.h>
#include "comment.h"
#include "direction.h"

/* The errors a send or receive commonly ends with, by name. */
static const char *error_name(int error)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        { WSAEINTR, "WSAEINTR" },           { WSAEFAULT, "WSAEFAULT" },
        { WSAEINVAL, "WSAEINVAL" },         { WSAEWOULDBLOCK, "WSAEWOULDBLOCK" },
        { WSAEINPROGRESS, "WSAEINPROGRESS" }, { WSAENOTSOCK, "WSAENOTSOCK" },
        { WSAEMSGSIZE, "WSAEMSGSIZE" },     { WSAEOPNOTSUPP, "WSAEOPNOTSUPP" },
        { WSAEACCES, "WSAEACCES" },         { WSAENETDOWN, "WSAENETDOWN" },
        { WSAENETUNREACH, "WSAENETUNREACH" }, { WSAENETRESET, "WSAENETRESET" },
        { WSAECONNABORTED, "WSAECONNABORTED" }, { WSAECONNRESET, "WSAECONNRESET" },
        { WSAENOBUFS, "WSAENOBUFS" },       { WSAENOTCONN, "WSAENOTCONN" },
        { WSAESHUTDOWN, "WSAESHUTDOWN" },   { WSAETIMEDOUT, "WSAETIMEDOUT" },
        { WSAEHOSTUNREACH, "WSAEHOSTUNREACH" }, { WSAEDISCON, "WSAEDISCON" },
        { WSANOTINITIALISED, "WSANOTINITIALISED" },
        { WSA_OPERATION_ABORTED, "WSA_OPERATION_ABORTED" },
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].code == error)
            return names[i].name;
    return "?";
}

void comment_record(char *out, size_t size, const struct capture_identity *id,
                    const struct record *r, DWORD part, DWORD parts)
{
    const char *call = r->kind == RECORD_CLOSE           ? "close"
                       : r->direction == CAPTURE_SEND ? "send"
                                                         : "recv";
    int n = snprintf(out, size, "%s by pid %lu (%s) tid %lu on socket 0x%llx: ", call, id->pid,
                     id->image_utf8, r->thread_id, (unsigned long long)r->socket);

    if (n < 0 || (size_t)n >= size)
        return;
    if (r->kind == RECORD_CLOSE)
        snprintf(out + n, size - n, "socket closed (synthetic FIN)");
    else if (r->error)
        snprintf(out + n, size - n, "failed, error %d (%s), flags 0x%lx", r->error,
                 error_name(r->error), r->flags);
    else if (parts > 1)
        n += snprintf(out + n, size - n, "%lu bytes, flags 0x%lx, segment %lu of %lu", r->bytes,
                      r->flags, part, parts);
    else
        n += snprintf(out + n, size - n, "%lu bytes%s, flags 0x%lx", r->bytes,
                      r->kind == RECORD_PEER_FIN ? " (the peer closed: FIN)" : "", r->flags);
    if (n > 0 && (size_t)n < size && r->filter_mark != CAPTURE_AS_SENT)
        snprintf(out + n, size - n, "; %s",
                 r->filter_mark == CAPTURE_REPLACED ? "a filter sent other bytes in their place"
                                             : "a filter redirected the connection");
}

void comment_handshake(char *out, size_t size, const struct record *r)
{
    snprintf(out, size, "synthetic handshake: socket 0x%llx first seen",
             (unsigned long long)r->socket);
}
