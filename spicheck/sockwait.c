/* SPDX-License-Identifier: MIT */
#include "sockwait.h"

static int wait_for(SOCKET s, int write, DWORD timeout_ms)
{
    fd_set set;
    struct timeval tv = { (long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000 };

    FD_ZERO(&set);
    FD_SET(s, &set);
    return select(0, write ? NULL : &set, write ? &set : NULL, NULL, &tv);
}

int sock_wait_readable(SOCKET s, DWORD timeout_ms)
{
    return wait_for(s, 0, timeout_ms);
}

int sock_wait_writable(SOCKET s, DWORD timeout_ms)
{
    return wait_for(s, 1, timeout_ms);
}

size_t sock_recv_exact(SOCKET s, void *buf, size_t len, DWORD timeout_ms)
{
    size_t got = 0;

    while (got < len) {
        if (wait_for(s, 0, timeout_ms) != 1)
            break;
        size_t want = len - got;
        /* At most 1 MiB a call, so a huge LEN never overflows recv's int. */
        int n = recv(s, (char *)buf + got, want > (1u << 20) ? (1 << 20) : (int)want, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

size_t sock_recv_available(SOCKET s)
{
    char sink[16384];
    size_t got = 0;

    while (wait_for(s, 0, 0) == 1) {
        int n = recv(s, sink, sizeof(sink), 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}
