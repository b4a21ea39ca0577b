/* SPDX-License-Identifier: MIT */
/* WSPIoctl. Most codes go to the lower socket: straight when the call is
 * not overlapped, as an op when it is. A few are answered with the lower
 * provider's answer for the lower socket, after a synchronous lower call,
 * and our own completion of the caller's overlapped:
 *  - SIO_GET_EXTENSION_FUNCTION_POINTER, whose answer becomes our function (L06);
 *  - SIO_BASE_HANDLE and SIO_BSP_HANDLE_SELECT: the handle beneath ours is
 *    the one beneath the lower socket (Windows bypasses LSPs in select).
 * SIO_BSP_HANDLE and SIO_BSP_HANDLE_POLL name our own socket, so that
 * WSASendMsg and WSAPoll come to us as SIO_EXT_SENDMSG and SIO_EXT_POLL,
 * and we see what is sent. SIO_LSPKIT_CANCEL, the front end's word that
 * the application cancelled an operation, is ours alone (op_cancel). */
#include <string.h>
#include <mswsock.h>
#include "lsp.h"
#include "finish.h"
#include "extension.h"
#include "sendmsg.h"
#include "poll.h"
#include "lspkit/cancel.h"
#include "../common/memcheck.h"

/* Not in mingw-w64's headers: _WSAIORW(IOC_WS2, 36). Its functions (the
 * registered I/O table) would take our handles to the lower provider
 * unrouted, so we do not hand them out. */
#define LSP_SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER _WSAIORW(IOC_WS2, 36)

static BOOL answered_here(DWORD code)
{
    return code == SIO_GET_EXTENSION_FUNCTION_POINTER || code == SIO_BASE_HANDLE ||
           code == SIO_BSP_HANDLE_SELECT;
}

static int answer_here(struct context *ctx, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                       DWORD out_size, LPDWORD returned, LPWSAOVERLAPPED lpOverlapped,
                       LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                       LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId, INSPECT_NONE,
                              NULL, 0 };
    BOOL ours = op_wanted(ctx, lpOverlapped);
    DWORD count = 0;
    int result, error;

    /* An overlapped caller need not ask for the count; a synchronous one
     * gets the lower provider's verdict on its pointer. */
    result = LOWER(ctx)->lpWSPIoctl(ctx->lower, code, in, in_size, out, out_size,
                                    returned || !ours ? returned : &count,
                                    ours ? NULL : lpOverlapped,
                                    ours ? NULL : lpCompletionRoutine, lpThreadId, lpErrno);
    if (result)
        return result;
    if (returned)
        count = *returned;
    if (code == SIO_GET_EXTENSION_FUNCTION_POINTER && in_size >= sizeof(GUID) &&
        out_size >= sizeof(void *) && (error = extension_replace(ctx, in, out)))
        return lsp_fail(lpErrno, error);
    if (ours && (error = finish_at_once(ctx, &start, count)))
        return lsp_fail(lpErrno, error);
    return 0;
}

static int answer_own_socket(struct context *ctx, LPVOID out, DWORD out_size, LPDWORD returned,
                             LPWSAOVERLAPPED lpOverlapped,
                             LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                             LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId, INSPECT_NONE,
                              NULL, 0 };
    int error;

    if (!out || out_size < sizeof(SOCKET) || !mem_writable(out, sizeof(SOCKET)) ||
        (!returned && !lpOverlapped))
        return lsp_fail(lpErrno, WSAEFAULT);
    *(SOCKET *)out = ctx->app;
    if (returned)
        *returned = sizeof(SOCKET);
    if (lpOverlapped && (error = finish_at_once(ctx, &start, sizeof(SOCKET))))
        return lsp_fail(lpErrno, error);
    return 0;
}

/* SIO_EXT_SENDMSG: WSASendMsg's arguments in, its error also in the output
 * buffer, where Windows' callers read it. */
static int ext_sendmsg(struct context *ctx, LPVOID in, DWORD in_size, LPVOID out,
                       DWORD out_size, LPWSATHREADID thread, LPINT lpErrno)
{
    WSASENDMSG args;
    int error;

    if (in_size < sizeof(args) || !mem_readable(in, sizeof(args)))
        return lsp_fail(lpErrno, WSAEFAULT);
    memcpy(&args, in, sizeof(args));
    error = sendmsg_through(ctx, &args, thread);
    if (out && out_size >= sizeof(DWORD) && mem_writable(out, sizeof(DWORD)))
        *(DWORD *)out = (DWORD)error;
    return error ? lsp_fail(lpErrno, error) : 0;
}

static int cancel_operation(struct context *ctx, LPVOID in, DWORD in_size,
                            LPWSATHREADID thread, LPINT lpErrno)
{
    LPWSAOVERLAPPED app;
    int error;

    if (in_size != sizeof(app) || !mem_readable(in, sizeof(app)))
        return lsp_fail(lpErrno, WSAEFAULT);
    memcpy(&app, in, sizeof(app));
    error = op_cancel(ctx, app, thread);
    return error ? lsp_fail(lpErrno, error) : 0;
}

/* FIONBIO went through: the application's socket is blocking or not as
 * it asked (context.h, known_blocking). */
static void note_mode(struct context *ctx, const void *in, DWORD in_size)
{
    u_long non_blocking;

    if (in_size < sizeof(non_blocking) || !mem_readable(in, sizeof(non_blocking)))
        return;
    memcpy(&non_blocking, in, sizeof(non_blocking));
    ctx->known_blocking = !non_blocking;
}

int WSPAPI WSPIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer,
                    LPVOID lpvOutBuffer, DWORD cbOutBuffer, LPDWORD lpcbBytesReturned,
                    LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine,
                    LPWSATHREADID lpThreadId, LPINT lpErrno)
{
    struct op_start start = { lpOverlapped, lpCompletionRoutine, lpThreadId, INSPECT_NONE,
                              NULL, 0 };
    struct context *ctx = context_get(s, lpErrno);
    struct op *op;
    int result, error = 0;

    if (!ctx)
        return SOCKET_ERROR;
    if (dwIoControlCode == SIO_LSPKIT_CANCEL) {
        result = cancel_operation(ctx, lpvInBuffer, cbInBuffer, lpThreadId, lpErrno);
    } else if (dwIoControlCode == LSP_SIO_GET_MULTIPLE_EXTENSION_FUNCTION_POINTER) {
        result = lsp_fail(lpErrno, WSAEOPNOTSUPP);
    } else if (dwIoControlCode == SIO_BSP_HANDLE || dwIoControlCode == SIO_BSP_HANDLE_POLL) {
        result = answer_own_socket(ctx, lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                                   lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    } else if (dwIoControlCode == SIO_EXT_SENDMSG) {
        result = ext_sendmsg(ctx, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                             lpThreadId, lpErrno);
    } else if (dwIoControlCode == SIO_EXT_POLL) {
        error = poll_through(lpvInBuffer, cbInBuffer, cbOutBuffer, lpcbBytesReturned,
                             lpThreadId);
        result = error ? lsp_fail(lpErrno, error) : 0;
    } else if (answered_here(dwIoControlCode)) {
        result = answer_here(ctx, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer,
                             cbOutBuffer, lpcbBytesReturned, lpOverlapped, lpCompletionRoutine,
                             lpThreadId, lpErrno);
    } else if (!op_wanted(ctx, lpOverlapped)) {
        result = LOWER(ctx)->lpWSPIoctl(ctx->lower, dwIoControlCode, lpvInBuffer, cbInBuffer,
                                        lpvOutBuffer, cbOutBuffer, lpcbBytesReturned,
                                        lpOverlapped, lpCompletionRoutine, lpThreadId, lpErrno);
    } else {
        op = op_begin(ctx, &start, &error);
        if (op) {
            result = LOWER(ctx)->lpWSPIoctl(ctx->lower, dwIoControlCode, lpvInBuffer,
                                            cbInBuffer, lpvOutBuffer, cbOutBuffer,
                                            &op->lower_bytes, &op->ov, NULL, lpThreadId,
                                            &error);
            error = finish_issued(op, result, error, lpcbBytesReturned, NULL);
        }
        result = error ? lsp_fail(lpErrno, error) : 0;
    }
    if (result == 0 && dwIoControlCode == FIONBIO)
        note_mode(ctx, lpvInBuffer, cbInBuffer);
    context_release(ctx);
    return result;
}
