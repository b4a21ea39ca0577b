/* SPDX-License-Identifier: MIT */
/* tests.c: the clause tests compiled in, one per clause ID. The runner
 * compares this table with the clause list generated from clauses.md: a
 * clause without a test, or a test of no clause, is a failure. */
#include "spicheck.h"

#include <string.h>

#define TEST(id) void t_##id(void);
#define TESTS(X) \
    X(S01) X(S02) X(S03) X(S04) X(S05) X(S06) X(S07) X(S08) X(S09) X(S10) X(S11) X(S12) \
    X(S13) X(S14) X(S15) X(S16) X(S17) X(S18) X(S19) X(S20) X(S21) X(S22) X(S23) X(S24) \
    X(S25) X(S26) X(S27) X(S28) X(S29) X(S30) X(S31) X(S32) X(S33)                      \
    X(B01) X(B02) X(B03) X(B04) X(B05)                                                   \
    X(L01) X(L02) X(L03) X(L04) X(L05) X(L06) X(L07) X(L08)                             \
    X(C01) X(C02) X(C03) X(C04)
TESTS(TEST)

/* A clause test's own time limit: generous for what it does on loopback,
 * far below a hang. */
#define QUICK 20000
#define BULK 40000

const struct sc_test sc_tests[] = {
    { "S01", "blocking and overlapped sends that fit: 0 and the count", t_S01, QUICK, 0 },
    { "S02", "routine of a send done at once: queued, run only alertable", t_S02, QUICK, 0 },
    { "S03", "failure: SOCKET_ERROR, the error in WSAGetLastError", t_S03, QUICK, 0 },
    { "S04", "pending send: WSA_IO_PENDING, count untouched, completes later", t_S04, BULK, 0 },
    { "S05", "send failing at once: no event, routine or packet", t_S05, QUICK, 0 },
    { "S06", "overlapped socket, no overlapped: a blocking send", t_S06, BULK, 0 },
    { "S07", "non-blocking WSASend, no room: part of the request", t_S07, BULK, 0 },
    { "S08", "blocking send far over the buffers: all of it", t_S08, BULK, 0 },
    { "S09", "non-overlapped send: data copied out before return", t_S09, QUICK, 0 },
    { "S10", "WSABUF array overwritten and freed after the call", t_S10, BULK, 0 },
    { "S11", "datagram over SO_MAX_MSG_SIZE: WSAEMSGSIZE, nothing sent", t_S11, QUICK, 0 },
    { "S12", "gathers arrive in array order (TCP, UDP)", t_S12, QUICK, 0 },
    { "S13", "completion only once the peer consumed the data", t_S13, BULK, 0 },
    { "S14", "event signalled at completion; WSAGetOverlappedResult", t_S14, BULK, 0 },
    { "S15", "with a routine, hEvent is the caller's", t_S15, BULK, 0 },
    { "S16", "routine (0, count, ov, 0) in the issuing thread, alertable", t_S16, BULK, 0 },
    { "S17", "WPUQueueApc with a WSATHREADID kept by value, own APC", t_S17, BULK, SC_NO_STARTUP },
    { "S18", "sends from routines; routines never nest", t_S18, QUICK, 0 },
    { "S19", "eight sends outstanding: all complete, in order", t_S19, BULK, 0 },
    { "S20", "connected datagram socket: WSASend to the default peer", t_S20, QUICK, 0 },
    { "S21", "MSG_DONTROUTE, MSG_OOB (TCP, UDP), MSG_PARTIAL", t_S21, QUICK, 0 },
    { "S22", "after shutdown: WSAESHUTDOWN", t_S22, QUICK, 0 },
    { "S23", "unconnected stream socket: WSAENOTCONN", t_S23, QUICK, 0 },
    { "S24", "not a socket: WSAENOTSOCK", t_S24, QUICK, 0 },
    { "S25", "lpBuffers or data unreadable: WSAEFAULT", t_S25, QUICK, 0 },
    { "S26", "NULL count without overlapped: WSAEFAULT", t_S26, QUICK, 0 },
    { "S27", "before WSAStartup, after the last WSACleanup: WSANOTINITIALISED", t_S27, QUICK, SC_NO_STARTUP },
    { "S28", "after the peer's reset: WSAECONNRESET, still closable", t_S28, QUICK, 0 },
    { "S29", "close with sends pending: each completes once, failed", t_S29, BULK, 0 },
    { "S30", "issuing thread exits: the pending send completes, failed", t_S30, BULK, 0 },
    { "S31", "overlapped on a non-overlapped socket, routine on a port: WSAEINVAL", t_S31, QUICK, 0 },
    { "S32", "broadcast without SO_BROADCAST: WSAEACCES", t_S32, QUICK, 0 },
    { "S33", "success does not mean delivery (not testable)", t_S33, QUICK, 0 },
    { "B01", "send: count, less than len when non-blocking", t_B01, BULK, 0 },
    { "B02", "len 0: returns 0; zero-length datagram", t_B02, QUICK, 0 },
    { "B03", "WSAEWOULDBLOCK, then writable again (select, FD_WRITE)", t_B03, QUICK, 0 },
    { "B04", "unknown flag, MSG_OOB with SO_OOBINLINE: WSAEINVAL", t_B04, QUICK, 0 },
    { "B05", "send: buf unreadable: WSAEFAULT", t_B05, QUICK, 0 },
    { "L01", "WSPStartup: 2.2, every proc table entry filled", t_L01, QUICK, SC_NO_STARTUP },
    { "L02", "next link from the catalog: the provider over itself", t_L02, BULK, SC_NO_STARTUP },
    { "L03", "completion exactly once, with the transport's count and error", t_L03, BULK, 0 },
    { "L04", "WSAGetOverlappedResult: incomplete, bytes, flags, errors", t_L04, QUICK, 0 },
    { "L05", "SO_PROTOCOL_INFOW: the chain entry", t_L05, QUICK, 0 },
    { "L06", "extension functions work (ConnectEx ... WSARecvMsg)", t_L06, BULK, 0 },
    { "L07", "readiness: select, WSAPoll, WSAEventSelect, WSAAsyncSelect", t_L07, QUICK, 0 },
    { "L08", "bytes unchanged and in order, stream and datagrams", t_L08, BULK, 0 },
    { "C01", "CancelIoEx: that receive or AcceptEx only, once, aborted", t_C01, QUICK, 0 },
    { "C02", "CancelIo: the calling thread's only; CancelIoEx(NULL): all", t_C02, QUICK, 0 },
    { "C03", "receives cancelled as data arrives lose no byte", t_C03, QUICK, 0 },
    { "C04", "closesocket with receives pending elsewhere: each once, aborted", t_C04, QUICK, 0 },
};
const unsigned sc_test_count = sizeof(sc_tests) / sizeof(sc_tests[0]);

const struct sc_test *tests_find(const char *id)
{
    for (unsigned i = 0; i < sc_test_count; i++)
        if (!strcmp(sc_tests[i].clause, id))
            return &sc_tests[i];
    return NULL;
}
