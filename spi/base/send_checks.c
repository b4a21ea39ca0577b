/* SPDX-License-Identifier: MIT */
/* Sends where Wine's ws2_32 departs from the documents. The base provider
 * answers as docs/spec/clauses.md says instead of passing Wine's answer
 * through. The common path pays a flag test and a sum of lengths; a socket
 * option is read only on the rare paths (a flag, a datagram near the size
 * limit, an error). */
#include "base.h"
#include <mswsock.h>
#include "send_checks.h"
#include "../../common/memcheck.h"

/* The flags a send may carry. */
#define SEND_FLAGS (MSG_OOB | MSG_DONTROUTE | MSG_PARTIAL)
/* No UDP datagram up to this size is too large, IPv4 or IPv6. */
#define UDP_SMALLEST_LIMIT 65507

static BOOL int_option(SOCKET s, int name, int *value)
{
    int len = sizeof(*value);

    *value = 0;
    return sys.getsockopt(s, SOL_SOCKET, name, (char *)value, &len) == 0;
}

/* Wine hands flags it does not know, MSG_PARTIAL, and MSG_OOB on a socket
 * that cannot send urgent data to Linux, which ignores them: the call
 * succeeds and the data goes out. B04: an unknown flag, or MSG_OOB with
 * SO_OOBINLINE, is WSAEINVAL. S21: MSG_PARTIAL (no protocol here supports
 * partial messages), and MSG_OOB on anything but a stream socket (Wine
 * sends it on UDP over IPv6), are WSAEOPNOTSUPP. */
static int flags_error(SOCKET s, DWORD flags)
{
    int type, oob_inline;

    if (flags & ~(DWORD)SEND_FLAGS)
        return WSAEINVAL;
    if (flags & MSG_PARTIAL)
        return WSAEOPNOTSUPP;
    if (!(flags & MSG_OOB) || !int_option(s, SO_TYPE, &type))
        return 0;
    if (type != SOCK_STREAM)
        return WSAEOPNOTSUPP;
    if (int_option(s, SO_OOBINLINE, &oob_inline) && oob_inline)
        return WSAEINVAL;
    return 0;
}

/* S11: Wine gives SO_MAX_MSG_SIZE 65507 for UDP over IPv6 too, yet sends
 * larger datagrams (Linux's IPv6 limit is higher). A datagram over the
 * socket's own SO_MAX_MSG_SIZE is WSAEMSGSIZE and is not sent. An array
 * that cannot be read is left to the system to refuse (S25). */
static int size_error(SOCKET s, const WSABUF *bufs, DWORD count)
{
    ULONGLONG total = 0;
    int type, limit;
    DWORD i;

    if (!count || !mem_readable(bufs, count * sizeof(*bufs)))
        return 0;
    for (i = 0; i < count; i++)
        total += bufs[i].len;
    if (total <= UDP_SMALLEST_LIMIT || !int_option(s, SO_TYPE, &type) || type != SOCK_DGRAM)
        return 0;
    if (!int_option(s, SO_MAX_MSG_SIZE, &limit) || total <= (ULONGLONG)(unsigned)limit)
        return 0;
    return WSAEMSGSIZE;
}

int send_refused(SOCKET s, const WSABUF *bufs, DWORD count, DWORD flags)
{
    int error = flags_error(s, flags);

    return error ? error : size_error(s, bufs, count);
}

/* S23: Wine answers WSAECONNRESET for a send on a stream socket that was
 * never connected. SO_CONNECT_TIME is 0xFFFFFFFF for a socket not
 * connected; a reset one (S28) keeps WSAECONNRESET. */
int send_error(SOCKET s, int error)
{
    DWORD seconds;
    int len = sizeof(seconds);

    if (error == WSAECONNRESET &&
        sys.getsockopt(s, SOL_SOCKET, SO_CONNECT_TIME, (char *)&seconds, &len) == 0 &&
        seconds == 0xFFFFFFFF)
        return WSAENOTCONN;
    return error;
}
