/* SPDX-License-Identifier: MIT */
/* Streams over a lower provider's socket (stream.h). */
#include "stream.h"

/* Waits until the socket can be written (or its connect failed) or read:
 * 0, WSAETIMEDOUT at the deadline, WSA_OPERATION_ABORTED once the caller
 * cancelled, or the select's error. */
static int wait_lower(const struct lower_stream *st, BOOL write)
{
    fd_set ready, failed;
    int error = 0, n = 0;

    while (n == 0) {
        ULONGLONG now = GetTickCount64();
        ULONGLONG left = st->deadline > now ? st->deadline - now : 0;
        struct timeval tv;

        if (st->cancelled && *st->cancelled)
            return WSA_OPERATION_ABORTED;
        if (left == 0)
            return WSAETIMEDOUT;
        if (st->cancelled && left > CANCEL_POLL_MS)
            left = CANCEL_POLL_MS;
        tv = (struct timeval){ (long)(left / 1000), (long)(left % 1000) * 1000 };
        FD_ZERO(&ready);
        FD_ZERO(&failed);
        FD_SET(st->socket, &ready);
        FD_SET(st->socket, &failed);
        n = st->procs->lpWSPSelect(0, write ? NULL : &ready, write ? &ready : NULL, &failed, &tv,
                                   &error);
        if (n == SOCKET_ERROR)
            return error;
    }
    return 0;
}

/* Starts a call: its deadline, for a stream whose calls each have their
 * own. WSAENOTSOCK once the socket is closed (dial_close_all). */
static int start_call(struct lower_stream *st)
{
    if (st->socket == INVALID_SOCKET)
        return WSAENOTSOCK;
    if (st->call_ms)
        st->deadline = GetTickCount64() + st->call_ms;
    return 0;
}

static int stream_send(struct lspkit_stream *api, const void *buf, int len)
{
    struct lower_stream *st = (struct lower_stream *)api;
    int done = 0, error = start_call(st);

    while (done < len && !error) {
        WSABUF b = { (ULONG)(len - done), (char *)buf + done };
        DWORD n = 0;

        if (!(error = wait_lower(st, TRUE)) &&
            st->procs->lpWSPSend(st->socket, &b, 1, &n, 0, NULL, NULL, NULL, &error) == 0)
            done += (int)n;
        else if (error == WSAEWOULDBLOCK)
            error = 0;
    }
    return error;
}

static int stream_recv(struct lspkit_stream *api, void *buf, int len)
{
    struct lower_stream *st = (struct lower_stream *)api;
    int done = 0, error = start_call(st);

    while (done < len && !error) {
        WSABUF b = { (ULONG)(len - done), (char *)buf + done };
        DWORD n = 0, flags = 0;

        if (!(error = wait_lower(st, FALSE)) &&
            st->procs->lpWSPRecv(st->socket, &b, 1, &n, &flags, NULL, NULL, NULL, &error) == 0)
            error = n ? (done += (int)n, 0) : WSAECONNRESET;
        else if (error == WSAEWOULDBLOCK)
            error = 0;
    }
    return error;
}

void lower_stream_init(struct lower_stream *st, const WSPPROC_TABLE *procs, SOCKET socket,
                       DWORD call_ms, volatile LONG *cancelled)
{
    *st = (struct lower_stream){ { stream_send, stream_recv }, procs, socket, 0, call_ms,
                                 cancelled };
}

int lower_socket_set_non_blocking(const WSPPROC_TABLE *procs, SOCKET socket, u_long non_blocking)
{
    DWORD returned;
    int error = 0;

    if (procs->lpWSPIoctl(socket, FIONBIO, &non_blocking, sizeof(non_blocking), NULL, 0,
                          &returned, NULL, NULL, NULL, &error))
        return error ? error : WSAEINVAL;
    return 0;
}

int lower_stream_connect(struct lower_stream *st, const struct sockaddr *to, int to_len,
                         BOOL *would_block)
{
    int error = 0, so_error = 0, len = sizeof(so_error);

    *would_block = FALSE;
    if (st->procs->lpWSPConnect(st->socket, to, to_len, NULL, NULL, NULL, NULL, &error) == 0)
        return 0;
    if (error != WSAEWOULDBLOCK)
        return error;
    *would_block = TRUE;
    /* The stack gives up on a connect in about 21 s; so do we, a little later. */
    st->deadline = GetTickCount64() + LSPKIT_HANDSHAKE_MS;
    if ((error = wait_lower(st, TRUE)))
        return error;
    if (st->procs->lpWSPGetSockOpt(st->socket, SOL_SOCKET, SO_ERROR, (char *)&so_error, &len,
                                   &error))
        return error;
    return so_error;
}
