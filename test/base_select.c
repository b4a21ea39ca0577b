/* SPDX-License-Identifier: MIT */
/* Readiness: WSPSelect, WSPEventSelect + WSPEnumNetworkEvents and
 * WSPAsyncSelect on the provider's sockets. */
#include <string.h>
#include "base_harness.h"

START_TEST(test_select_readable_after_send)
{
    struct timeval none = { 0, 0 }, wait = { BASE_WAIT_MS / 1000, 0 };
    SOCKET client, server;
    fd_set readable;
    int err = 0;

    t_tcp_pair(&client, &server);
    FD_ZERO(&readable);
    FD_SET(server, &readable);
    ck_assert_int_eq(procs.lpWSPSelect(0, &readable, NULL, NULL, &none, &err), 0);
    ck_assert(!FD_ISSET(server, &readable));

    t_send_all(client, "r", 1);
    FD_ZERO(&readable);
    FD_SET(server, &readable);
    ck_assert_int_eq(procs.lpWSPSelect(0, &readable, NULL, NULL, &wait, &err), 1);
    ck_assert(FD_ISSET(server, &readable));
    t_close(client);
    t_close(server);
}
END_TEST

/* A closed handle in a set is the system's WSAENOTSOCK, through lpErrno. */
START_TEST(test_select_closed_socket)
{
    struct timeval none = { 0, 0 };
    SOCKET s = t_socket(&entry_tcp4, 0);
    fd_set readable;
    int err = 0;

    t_close(s);
    FD_ZERO(&readable);
    FD_SET(s, &readable);
    base_assert_fails(procs.lpWSPSelect(0, &readable, NULL, NULL, &none, &err), SOCKET_ERROR,
                      err, WSAENOTSOCK);
}
END_TEST

/* The event is set for FD_READ and FD_CLOSE; WSPEnumNetworkEvents reports
 * them with their error codes and resets the event. */
START_TEST(test_event_select_and_enum)
{
    WSANETWORKEVENTS events;
    SOCKET client, server;
    WSAEVENT ev = WSACreateEvent();
    char got[2];
    int err = 0;

    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPEventSelect(server, ev, FD_READ | FD_CLOSE, &err), 0);
    t_send_all(client, "e", 1);
    ck_assert_uint_eq(WaitForSingleObject(ev, BASE_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(procs.lpWSPEnumNetworkEvents(server, ev, &events, &err), 0);
    ck_assert(events.lNetworkEvents & FD_READ);
    ck_assert_int_eq(events.iErrorCode[FD_READ_BIT], 0);
    ck_assert_uint_eq(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    t_recv_exact(server, got, 1);

    t_close(client);
    ck_assert_uint_eq(WaitForSingleObject(ev, BASE_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(procs.lpWSPEnumNetworkEvents(server, ev, &events, &err), 0);
    ck_assert(events.lNetworkEvents & FD_CLOSE);
    ck_assert_int_eq(events.iErrorCode[FD_CLOSE_BIT], 0);
    t_close(server);
    WSACloseEvent(ev);
}
END_TEST

#define WM_SOCKET (WM_USER + 1)

/* WSPAsyncSelect posts FD_READ for the socket to the window. */
START_TEST(test_async_select_posts_message)
{
    HWND window = CreateWindowExW(0, L"STATIC", L"base", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                  NULL, NULL);
    SOCKET client, server;
    DWORD start;
    MSG msg;
    BOOL seen = FALSE;
    int err = 0;

    ck_assert_ptr_nonnull(window);
    t_tcp_pair(&client, &server);
    ck_assert_int_eq(procs.lpWSPAsyncSelect(server, window, WM_SOCKET, FD_READ, &err), 0);
    t_send_all(client, "m", 1);
    start = GetTickCount();
    while (!seen && GetTickCount() - start < BASE_WAIT_MS) {
        if (!PeekMessageW(&msg, window, WM_SOCKET, WM_SOCKET, PM_REMOVE)) {
            MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_POSTMESSAGE);
            continue;
        }
        seen = msg.wParam == server && WSAGETSELECTEVENT(msg.lParam) == FD_READ &&
               WSAGETSELECTERROR(msg.lParam) == 0;
    }
    ck_assert_msg(seen, "no FD_READ message for the socket");
    ck_assert_int_eq(procs.lpWSPAsyncSelect(server, window, 0, 0, &err), 0);
    t_close(client);
    t_close(server);
    DestroyWindow(window);
}
END_TEST

Suite *base_select_suite(void)
{
    Suite *s = suite_create("base_select");
    TCase *tc = base_tcase("select");

    tcase_add_test(tc, test_select_readable_after_send);
    tcase_add_test(tc, test_select_closed_socket);
    tcase_add_test(tc, test_event_select_and_enum);
    tcase_add_test(tc, test_async_select_posts_message);
    suite_add_tcase(s, tc);
    return s;
}
