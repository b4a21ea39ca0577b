/* SPDX-License-Identifier: MIT */
/* WPUCompleteOverlappedRequest on WPUCreateSocketHandle handles: the
 * overlapped filled in as an IO_STATUS_BLOCK (NTSTATUS in Internal, count
 * in InternalHigh), the event signalled, and a packet with the bound key
 * on the handle's completion port unless hEvent's low bit is set. */
#define WIN32_NO_STATUS
#include "upcall_test.h"
#include "../sysws2.h"
#undef WIN32_NO_STATUS
#include <ntstatus.h>
#include <winternl.h>
#include <stdio.h>

#define KEY 0xC0FFEEu

static int complete(SOCKET s, WSAOVERLAPPED *overlapped, DWORD error, DWORD count)
{
    int err = 0;
    int result = WPUCompleteOverlappedRequest(s, overlapped, error, count, &err);

    ck_assert_msg(result == 0, "WPUCompleteOverlappedRequest: error %d", err);
    return result;
}

static int complete_error(SOCKET s, WSAOVERLAPPED *overlapped, DWORD error)
{
    int err = 0;

    ck_assert_int_eq(WPUCompleteOverlappedRequest(s, overlapped, error, 0, &err), SOCKET_ERROR);
    return err;
}

/* Dequeues one packet; *ok and *last_error say what GetQueuedCompletionStatus did. */
struct packet {
    BOOL ok;
    DWORD last_error;
    DWORD count;
    ULONG_PTR key;
    LPOVERLAPPED overlapped;
};

static struct packet dequeue(HANDLE port, DWORD timeout)
{
    struct packet p = { 0 };

    p.ok = GetQueuedCompletionStatus(port, &p.count, &p.key, &p.overlapped, timeout);
    p.last_error = p.ok ? 0 : GetLastError();
    return p;
}

static void assert_no_packet(HANDLE port)
{
    struct packet p = dequeue(port, 0);

    ck_assert(!p.ok);
    ck_assert_uint_eq(p.last_error, WAIT_TIMEOUT);
    ck_assert_ptr_null(p.overlapped);
}

static BOOL signalled(HANDLE event)
{
    return WaitForSingleObject(event, 0) == WAIT_OBJECT_0;
}

START_TEST(test_success_posts_packet)
{
    SOCKET s = probe_socket();
    HANDLE port = bind_new_port(s, KEY);
    WSAOVERLAPPED overlapped = { 0 };
    DWORD count = 0, flags = 0;
    struct packet p;

    overlapped.hEvent = WSACreateEvent();
    overlapped.Offset = 0x5A;     /* the provider's record of the flags */
    complete(s, &overlapped, 0, 1234);

    p = dequeue(port, UPCALL_WAIT_MS);
    ck_assert(p.ok);
    ck_assert_uint_eq(p.count, 1234);
    ck_assert_uint_eq(p.key, KEY);
    ck_assert_ptr_eq(p.overlapped, &overlapped);
    assert_no_packet(port);

    ck_assert(signalled(overlapped.hEvent));
    ck_assert(HasOverlappedIoCompleted(&overlapped));
    ck_assert_uint_eq(overlapped.Internal, STATUS_SUCCESS);
    ck_assert_uint_eq(overlapped.InternalHigh, 1234);
    ck_assert_uint_eq(overlapped.Offset, 0x5A);
    ck_assert_uint_eq(overlapped.OffsetHigh, 0);

    ck_assert(WSAGetOverlappedResult(s, &overlapped, &count, FALSE, &flags));
    ck_assert_uint_eq(count, 1234);
    ck_assert_uint_eq(flags, 0x5A);
    count = 0;
    ck_assert(GetOverlappedResult((HANDLE)s, &overlapped, &count, FALSE));
    ck_assert_uint_eq(count, 1234);

    WSACloseEvent(overlapped.hEvent);
    CloseHandle(port);
    closesocket(s);
}
END_TEST

/* Error statuses reach the port too: GetQueuedCompletionStatus fails with
 * the Win32 form of the status, as it does for a reset Windows socket. */
START_TEST(test_error_posts_failed_packet)
{
    SOCKET s = probe_socket();
    HANDLE port = bind_new_port(s, KEY);
    WSAOVERLAPPED overlapped = { 0 };
    DWORD count = 0, flags = 0;
    struct packet p;
    BOOL ok;
    int error;

    overlapped.hEvent = WSACreateEvent();
    overlapped.OffsetHigh = WSAECONNRESET;    /* the provider's record of the error */
    complete(s, &overlapped, WSAECONNRESET, 7);

    p = dequeue(port, UPCALL_WAIT_MS);
    ck_assert(!p.ok);
    ck_assert_uint_eq(p.last_error, ERROR_NETNAME_DELETED);
    ck_assert_uint_eq(p.count, 7);
    ck_assert_uint_eq(p.key, KEY);
    ck_assert_ptr_eq(p.overlapped, &overlapped);

    ck_assert(signalled(overlapped.hEvent));
    ck_assert(HasOverlappedIoCompleted(&overlapped));
    ck_assert_uint_eq(overlapped.Internal, (ULONG_PTR)(ULONG)STATUS_CONNECTION_RESET);
    ck_assert_uint_eq(overlapped.InternalHigh, 7);

    /* Read the last error before asserting: Check's macros may reset it. */
    ok = WSAGetOverlappedResult(s, &overlapped, &count, FALSE, &flags);
    error = WSAGetLastError();
    ck_assert(!ok);
    ck_assert_int_eq(error, WSAECONNRESET);
    ck_assert_uint_eq(count, 7);
    ok = GetOverlappedResult((HANDLE)s, &overlapped, &count, FALSE);
    error = GetLastError();
    ck_assert(!ok);
    ck_assert_int_eq(error, ERROR_NETNAME_DELETED);

    WSACloseEvent(overlapped.hEvent);
    CloseHandle(port);
    closesocket(s);
}
END_TEST

/* hEvent with its low bit set: the event (hEvent & ~1) is signalled, but no
 * packet is queued; hEvent 1 alone means neither. */
START_TEST(test_low_bit_of_event_suppresses_packet)
{
    SOCKET s = probe_socket();
    HANDLE port = bind_new_port(s, KEY);
    HANDLE event = WSACreateEvent();
    WSAOVERLAPPED masked = { 0 }, bare = { 0 }, normal = { 0 };
    struct packet p;

    masked.hEvent = (HANDLE)((ULONG_PTR)event | 1);
    complete(s, &masked, 0, 5);
    ck_assert(signalled(event));
    ck_assert_uint_eq(masked.Internal, STATUS_SUCCESS);
    ck_assert_uint_eq(masked.InternalHigh, 5);

    bare.hEvent = (HANDLE)1;
    complete(s, &bare, WSAECONNABORTED, 6);
    ck_assert_uint_eq(bare.Internal, (ULONG_PTR)(ULONG)STATUS_CONNECTION_ABORTED);
    ck_assert_uint_eq(bare.InternalHigh, 6);
    assert_no_packet(port);

    /* The port still works: the next packet is the next request's. */
    complete(s, &normal, 0, 8);
    p = dequeue(port, UPCALL_WAIT_MS);
    ck_assert(p.ok);
    ck_assert_ptr_eq(p.overlapped, &normal);
    ck_assert_uint_eq(p.count, 8);
    assert_no_packet(port);

    WSACloseEvent(event);
    CloseHandle(port);
    closesocket(s);
}
END_TEST

/* Neither bound to a port nor given an event: the request completes all
 * the same, and a waiting GetOverlappedResult returns its result. */
START_TEST(test_without_port_or_event)
{
    SOCKET s = probe_socket();
    WSAOVERLAPPED overlapped = { 0 };
    DWORD count = 0;

    complete(s, &overlapped, 0, 3);
    ck_assert_uint_eq(overlapped.Internal, STATUS_SUCCESS);
    ck_assert_uint_eq(overlapped.InternalHigh, 3);
    ck_assert(GetOverlappedResult((HANDLE)s, &overlapped, &count, TRUE));
    ck_assert_uint_eq(count, 3);
    closesocket(s);
}
END_TEST

/* Every Winsock error that has an NTSTATUS of its own travels as that
 * status: Wine's own WSAGetOverlappedResult maps it back to the same error. */
START_TEST(test_status_round_trips_through_wine)
{
    static const int errors[] = {
        WSAEINTR, WSAEACCES, WSAEFAULT, WSAEINVAL, WSAEWOULDBLOCK, WSAEMSGSIZE, WSAENOTSOCK,
        WSAEOPNOTSUPP, WSAEADDRINUSE, WSAEADDRNOTAVAIL, WSAENETDOWN, WSAENETUNREACH,
        WSAECONNABORTED, WSAECONNRESET, WSAENOBUFS, WSAEISCONN, WSAENOTCONN, WSAESHUTDOWN,
        WSAETIMEDOUT, WSAECONNREFUSED, WSAEHOSTDOWN, WSAEHOSTUNREACH, WSAEDISCON,
        WSA_OPERATION_ABORTED,
    };
    BOOL (WSAAPI *get_result)(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD);
    SOCKET (WSAAPI *system_socket)(int, int, int);
    int (WSAAPI *system_close)(SOCKET);
    int (WSAAPI *system_startup)(WORD, LPWSADATA);
    SOCKET s = probe_socket(), wine_socket;
    WSADATA data;
    size_t i;

    get_result = (void *)sysws2_proc("WSAGetOverlappedResult");
    system_socket = (void *)sysws2_proc("socket");
    system_close = (void *)sysws2_proc("closesocket");
    system_startup = (void *)sysws2_proc("WSAStartup");
    ck_assert(get_result && system_socket && system_close && system_startup);
    ck_assert_int_eq(system_startup(MAKEWORD(2, 2), &data), 0);
    /* Wine's WSAGetOverlappedResult only reads the overlapped, but wants a
     * socket of its own. */
    wine_socket = system_socket(AF_INET, SOCK_DGRAM, 0);
    ck_assert_uint_ne(wine_socket, INVALID_SOCKET);

    for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        WSAOVERLAPPED overlapped = { 0 };
        DWORD count = 0, flags = 0;
        BOOL ok;
        int error;

        complete(s, &overlapped, errors[i], 0);
        ok = get_result(wine_socket, &overlapped, &count, FALSE, &flags);
        error = WSAGetLastError();
        ck_assert_msg(!ok && error == errors[i], "error %d came back as %d (status %#lx)",
                      errors[i], error, (unsigned long)overlapped.Internal);
    }
    system_close(wine_socket);
    closesocket(s);
}
END_TEST

/* What GetQueuedCompletionStatus reports for a failed request: the
 * translations Windows sockets show, and any other code unchanged. */
START_TEST(test_port_error_codes)
{
    static const struct { DWORD error, reported; } cases[] = {
        { WSAECONNRESET,          ERROR_NETNAME_DELETED },
        { WSAECONNABORTED,        ERROR_CONNECTION_ABORTED },
        { WSAECONNREFUSED,        ERROR_CONNECTION_REFUSED },
        { WSA_OPERATION_ABORTED,  ERROR_OPERATION_ABORTED },
        { WSAEMSGSIZE,            ERROR_MORE_DATA },
        { WSAETIMEDOUT,           ERROR_SEM_TIMEOUT },
        { WSAEPROVIDERFAILEDINIT, WSAEPROVIDERFAILEDINIT },
        { WSASYSNOTREADY,         WSASYSNOTREADY },
        { ERROR_NOT_ENOUGH_MEMORY, ERROR_NOT_ENOUGH_MEMORY },
    };
    SOCKET s = probe_socket();
    HANDLE port = bind_new_port(s, KEY);
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        WSAOVERLAPPED overlapped = { 0 };
        struct packet p;

        complete(s, &overlapped, cases[i].error, 9);
        p = dequeue(port, UPCALL_WAIT_MS);
        ck_assert_ptr_eq(p.overlapped, &overlapped);
        ck_assert_msg(!p.ok && p.last_error == cases[i].reported,
                      "error %lu: packet ok %d, error %lu", cases[i].error, p.ok, p.last_error);
        ck_assert_uint_eq(p.count, 9);
    }
    CloseHandle(port);
    closesocket(s);
}
END_TEST

START_TEST(test_bad_input)
{
    SOCKET s = probe_socket();
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED overlapped = { 0 };
    int err = 0;

    ck_assert_int_eq(WPUCompleteOverlappedRequest(s, NULL, 0, 0, &err), SOCKET_ERROR);
    ck_assert_int_eq(err, WSAEFAULT);
    /* WSA_IO_PENDING is no outcome. */
    ck_assert_int_eq(complete_error(s, &overlapped, WSA_IO_PENDING), WSAEINVAL);
    /* Handles WPUCreateSocketHandle did not make. */
    ck_assert_int_eq(complete_error((SOCKET)event, &overlapped, 0), WSAEINVAL);
    ck_assert_int_eq(complete_error(INVALID_SOCKET, &overlapped, 0), WSAEINVAL);
    closesocket(s);
    ck_assert_int_eq(complete_error(s, &overlapped, 0), WSAEINVAL);
    ck_assert(!signalled(event));
    CloseHandle(event);
}
END_TEST

/* A provider completes from its own thread (probe WSPRecv): the
 * application's WSAGetOverlappedResult waits for it, and the packet
 * arrives on the bound port. */
START_TEST(test_completion_from_provider_thread)
{
    SOCKET s = probe_socket();
    HANDLE port = bind_new_port(s, KEY);
    WSAOVERLAPPED overlapped = { 0 };
    DWORD received = 0, flags = 0, count = 7;
    WSABUF buffer = { 0, NULL };
    struct packet p;
    int result, error;

    overlapped.hEvent = WSACreateEvent();
    result = WSARecv(s, &buffer, 1, &received, &flags, &overlapped, NULL);
    error = WSAGetLastError();
    ck_assert_int_eq(result, SOCKET_ERROR);
    ck_assert_int_eq(error, WSA_IO_PENDING);
    ck_assert(WSAGetOverlappedResult(s, &overlapped, &count, TRUE, &flags));
    ck_assert_uint_eq(count, 0);
    p = dequeue(port, UPCALL_WAIT_MS);
    ck_assert(p.ok);
    ck_assert_ptr_eq(p.overlapped, &overlapped);
    ck_assert_uint_eq(p.key, KEY);
    WSACloseEvent(overlapped.hEvent);
    CloseHandle(port);
    closesocket(s);
}
END_TEST

/* Many completions in a row: each one is filled in before
 * WPUCompleteOverlappedRequest returns and yields exactly one packet.
 * Prints the cost of a round trip (completion + dequeue). */
START_TEST(test_round_trip_repeated)
{
    enum { ROUNDS = 2000 };
    SOCKET s = probe_socket();
    HANDLE port = bind_new_port(s, KEY);
    LARGE_INTEGER frequency, start, end;
    int i;

    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&start);
    for (i = 0; i < ROUNDS; i++) {
        WSAOVERLAPPED overlapped = { 0 };
        struct packet p;

        complete(s, &overlapped, 0, (DWORD)i);
        ck_assert_uint_eq(overlapped.Internal, STATUS_SUCCESS);
        ck_assert_uint_eq(overlapped.InternalHigh, (ULONG_PTR)i);
        p = dequeue(port, UPCALL_WAIT_MS);
        ck_assert(p.ok);
        ck_assert_ptr_eq(p.overlapped, &overlapped);
        ck_assert_uint_eq(p.count, (DWORD)i);
    }
    QueryPerformanceCounter(&end);
    assert_no_packet(port);
    printf("upcall: WPUCompleteOverlappedRequest round trip (completion + dequeue): %.1f us "
           "(mean of %d)\n",
           (double)(end.QuadPart - start.QuadPart) * 1e6 / (double)frequency.QuadPart / ROUNDS,
           ROUNDS);
    fflush(stdout);
    CloseHandle(port);
    closesocket(s);
}
END_TEST

TCase *upcall_complete_tcase(void)
{
    TCase *tc = tcase_create("complete");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_success_posts_packet);
    tcase_add_test(tc, test_error_posts_failed_packet);
    tcase_add_test(tc, test_low_bit_of_event_suppresses_packet);
    tcase_add_test(tc, test_without_port_or_event);
    tcase_add_test(tc, test_status_round_trips_through_wine);
    tcase_add_test(tc, test_port_error_codes);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_completion_from_provider_thread);
    tcase_add_test(tc, test_round_trip_repeated);
    return tc;
}
