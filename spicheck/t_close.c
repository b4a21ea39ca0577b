/* SPDX-License-Identifier: MIT */
/* t_close.c: what becomes of pending sends when their socket closes or
 * their thread exits (S29 S30), and the clause no test can see (S33). */
#include "sc.h"

#include <stdlib.h>
#include <string.h>

#define BIG (4u << 20)

/* NTSTATUS values of Internal (winnt.h has STATUS_PENDING only). */
#define SC_STATUS_SUCCESS 0
#define SC_STATUS_CANCELLED 0xC0000120

/* The errors an aborted send may end with: aborted, or the transport's
 * own reset or abort codes. */
static int is_close_error(DWORD error)
{
    return error == WSA_OPERATION_ABORTED || error == WSAECONNABORTED ||
           error == WSAECONNRESET || error == ERROR_OPERATION_ABORTED ||
           error == ERROR_NETNAME_DELETED || error == ERROR_CONNECTION_ABORTED;
}

/* The NTSTATUS values of an aborted or reset operation. */
static int is_close_status(ULONG_PTR status)
{
    return status == 0xC0000120 /* STATUS_CANCELLED */ ||
           status == 0xC000020D /* STATUS_CONNECTION_RESET */ ||
           status == 0xC0000241 /* STATUS_CONNECTION_ABORTED */ ||
           status == 0xC000013B /* STATUS_LOCAL_DISCONNECT */ ||
           status == 0xC000013C /* STATUS_REMOTE_DISCONNECT */;
}

/* S29: sends pending when the socket is closed each complete once, with
 * an error: two with events (signalled once, failed status), one with a
 * routine (called once with an abort or reset code), one on a completion
 * port (one failed packet). */
void t_S29(void)
{
    unsigned char *out = sc_pattern(BIG, 29);
    WSABUF buf = { BIG, (char *)out };
    WSAOVERLAPPED ov[2] = { { 0 } };
    struct sc_routine_log log = { 0 };
    DWORD bytes, error;
    ULONG_PTR key;
    LPOVERLAPPED got;
    HANDLE port;
    SOCKET c, s;
    BOOL ok;

    sc_require_over(SC_OVER_TCP);
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    for (int i = 0; i < 2; i++) {
        ov[i].hEvent = WSACreateEvent();
        sc_send_pending(c, &buf, 1, &ov[i], NULL);
    }
    sc_check(closesocket(c) == 0, "closesocket with sends pending: %d", WSAGetLastError());
    for (int i = 0; i < 2; i++) {
        sc_check(WaitForSingleObject(ov[i].hEvent, SC_WAIT_MS) == WAIT_OBJECT_0,
                 "pending send %d never completed after closesocket", i);
        sc_note("pending send %d: status 0x%lx, %lu bytes", i, (unsigned long)ov[i].Internal,
                (unsigned long)ov[i].InternalHigh);
        sc_soft(HasOverlappedIoCompleted(&ov[i]) && is_close_status(ov[i].Internal),
                "pending send %d completed with status 0x%lx after closesocket, not an abort "
                "or reset status", i, (unsigned long)ov[i].Internal);
        WSAResetEvent(ov[i].hEvent);
    }
    for (int i = 0; i < 2; i++) {
        sc_check(WaitForSingleObject(ov[i].hEvent, 200) == WAIT_TIMEOUT,
                 "pending send %d completed twice", i);
        WSACloseEvent(ov[i].hEvent);
    }
    closesocket(s);

    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    memset(&ov[0], 0, sizeof(ov[0]));
    ov[0].hEvent = (HANDLE)&log;
    sc_send_pending(c, &buf, 1, &ov[0], sc_log_routine);
    sc_check(closesocket(c) == 0, "closesocket with a send pending: %d", WSAGetLastError());
    sc_wait_calls(&log, 1, SC_WAIT_MS);
    sc_check(log.calls == 1, "the routine of the pending send ran %ld times after closesocket",
             log.calls);
    sc_soft(is_close_error(log.error), "the routine got error %lu (%s)", log.error,
            sc_error_name((int)log.error));
    sc_check(SleepEx(200, TRUE) == 0 && log.calls == 1, "the routine ran twice");
    closesocket(s);

    /* On a completion port: one failed packet after the close, no second. */
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &c, &s);
    memset(&ov[0], 0, sizeof(ov[0]));
    port = CreateIoCompletionPort((HANDLE)c, NULL, 0x29, 0);
    sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
    sc_send_pending(c, &buf, 1, &ov[0], NULL);
    sc_check(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 100),
             "a packet for the pending send before closesocket");
    sc_check(closesocket(c) == 0, "closesocket with a send pending: %d", WSAGetLastError());
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, SC_WAIT_MS);
    error = GetLastError();
    sc_check(got == &ov[0] && key == 0x29, "no packet for the send pending at closesocket "
             "(got %p, key 0x%lx)", (void *)got, (unsigned long)key);
    sc_soft(!ok && (error == ERROR_OPERATION_ABORTED || error == ERROR_NETNAME_DELETED ||
                    error == ERROR_CONNECTION_ABORTED), "the packet of the send pending at closesocket: %s, "
            "error %lu; expected a failure with ERROR_OPERATION_ABORTED, ERROR_NETNAME_DELETED or "
            "ERROR_CONNECTION_ABORTED", ok ? "success" : "failure", error);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, 200);
    error = GetLastError();
    sc_check(!ok && error == WAIT_TIMEOUT, "a second packet after closesocket (error %lu)", error);
    CloseHandle(port);
    closesocket(s);
    free(out);
}

struct issuer {
    SOCKET c;
    WSABUF buf;
    WSAOVERLAPPED ov;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE routine;
    int rc, err;
};

static DWORD WINAPI issue_and_exit(void *arg)
{
    struct issuer *is = arg;
    DWORD sent = 0;

    is->rc = WSASend(is->c, &is->buf, 1, &sent, 0, &is->ov, is->routine);
    is->err = WSAGetLastError();
    return 0;
}

/* Runs IS's send in a thread that exits right after the call; the send
 * must have gone pending. */
static void send_from_exiting_thread(struct issuer *is)
{
    HANDLE thread = CreateThread(NULL, 0, issue_and_exit, is, 0, NULL);

    sc_check(thread != NULL, "CreateThread: %lu", GetLastError());
    sc_check(WaitForSingleObject(thread, SC_WAIT_MS) == WAIT_OBJECT_0, "the thread did not exit");
    CloseHandle(thread);
    sc_check(is->rc == SOCKET_ERROR && is->err == WSA_IO_PENDING,
             "the thread's WSASend did not go pending: %d, error %d", is->rc, is->err);
}

/* S30: a send pending when its thread exits is cancelled and the process
 * goes on. With an event, on a socket bound to a completion port: the
 * event is signalled once, the status is STATUS_CANCELLED and the result
 * WSA_OPERATION_ABORTED, one failed packet reaches the port. With a
 * routine: the send stops (the peer never gets all of it) and the routine,
 * whose thread is gone, runs nowhere else. */
void t_S30(void)
{
    unsigned char *out = sc_pattern(BIG, 30), *in = malloc(BIG);
    struct issuer is = { 0 };
    struct sc_routine_log log = { 0 };
    DWORD bytes = 0, flags = 0, error;
    ULONG_PTR key;
    LPOVERLAPPED got;
    HANDLE port;
    size_t received;
    SOCKET s;
    BOOL ok;

    sc_require_over(SC_OVER_TCP);
    sc_check(in != NULL, "out of memory");
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &is.c, &s);
    port = CreateIoCompletionPort((HANDLE)is.c, NULL, 0x30, 0);
    sc_check(port != NULL, "CreateIoCompletionPort: %lu", GetLastError());
    is.buf.buf = (char *)out;
    is.buf.len = BIG;
    is.ov.hEvent = WSACreateEvent();
    send_from_exiting_thread(&is);
    sc_check(WaitForSingleObject(is.ov.hEvent, SC_WAIT_MS) == WAIT_OBJECT_0,
             "the send was still pending %d ms after its thread exited", SC_WAIT_MS);
    sc_check(is.ov.Internal != SC_STATUS_SUCCESS,
             "the send completed with success though the peer read nothing");
    sc_check(is.ov.Internal == SC_STATUS_CANCELLED, "the send ended with status 0x%lx when its "
             "thread exited, not STATUS_CANCELLED", (unsigned long)is.ov.Internal);
    ok = WSAGetOverlappedResult(is.c, &is.ov, &bytes, FALSE, &flags);
    error = WSAGetLastError();
    sc_check(!ok && error == WSA_OPERATION_ABORTED && bytes < BIG,
             "WSAGetOverlappedResult of the cancelled send: %d, error %lu (%s), %lu bytes; "
             "expected a failure with WSA_OPERATION_ABORTED", ok, error,
             sc_error_name((int)error), (unsigned long)bytes);
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got, SC_WAIT_MS);
    error = GetLastError();
    sc_check(!ok && got == &is.ov && key == 0x30 && error == ERROR_OPERATION_ABORTED,
             "the port's packet of the cancelled send: %s, %p, key 0x%lx, error %lu; expected "
             "a failure with ERROR_OPERATION_ABORTED", ok ? "success" : "failure", (void *)got,
             (unsigned long)key, error);
    WSAResetEvent(is.ov.hEvent);
    sc_check(!GetQueuedCompletionStatus(port, &bytes, &key, &got, 200),
             "a second packet for the cancelled send");
    sc_check(WaitForSingleObject(is.ov.hEvent, 0) == WAIT_TIMEOUT,
             "the cancelled send signalled its event twice");
    WSACloseEvent(is.ov.hEvent);
    CloseHandle(port);
    closesocket(is.c);
    closesocket(s);

    memset(&is, 0, sizeof(is));
    sc_tcp_pair(AF_INET, WSA_FLAG_OVERLAPPED, SC_SMALL_BUF, &is.c, &s);
    is.buf.buf = (char *)out;
    is.buf.len = BIG;
    is.ov.hEvent = (HANDLE)&log;
    is.routine = sc_log_routine;
    send_from_exiting_thread(&is);
    /* Still pending, the send would go on as the peer reads. */
    received = sock_recv_exact(s, in, BIG, 1000);
    sc_check(received < BIG, "the peer got all %lu bytes: the send was not cancelled with its "
             "thread", (unsigned long)received);
    sc_check(SleepEx(200, TRUE) == 0 && log.calls == 0,
             "the routine of the cancelled send ran %ld times, in a thread not its own", log.calls);
    sc_check(closesocket(is.c) == 0, "closesocket after the cancelled send: %d",
             WSAGetLastError());
    closesocket(s);
    free(in);
    free(out);
}

/* S33: a successful return does not mean delivery. No test can tell a
 * send that will be delivered from one that will not. */
void t_S33(void)
{
    sc_skip("nothing observable: a successful return promises no delivery, and delivery "
            "itself is not the send's to report");
}
