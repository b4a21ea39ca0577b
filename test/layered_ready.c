/* SPDX-License-Identifier: MIT */
/* layered_ready.c: L07 - select, WSAPoll, WSAEventSelect and WSAAsyncSelect
 * report on provider sockets what they report on base sockets: writable
 * at once, readable once data came, closed once the peer closed; and
 * WSAAsyncSelect's messages name the application's sockets. */
#include "layered_test.h"

#include <mswsock.h>

#include <string.h>

#define READY_MESSAGE (WM_USER + 7)

START_TEST(test_L07_select)
{
    fd_set rd, wr;
    struct timeval zero = { 0, 0 };
    SOCKET c, s;
    char byte;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(s, &rd);
    FD_SET(c, &rd);
    FD_SET(c, &wr);
    ck_assert_int_eq(select(0, &rd, &wr, NULL, &zero), 1);
    ck_assert_int_eq(rd.fd_count, 0);
    ck_assert_int_eq(wr.fd_count, 1);
    ck_assert_uint_eq(wr.fd_array[0], c);

    ck_assert_int_eq(send(c, "r", 1, 0), 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    FD_ZERO(&rd);
    FD_SET(c, &rd);
    FD_SET(s, &rd);
    ck_assert_int_eq(select(0, &rd, NULL, NULL, &zero), 1);
    ck_assert_uint_eq(rd.fd_array[0], s);
    ck_assert_int_eq(recv(s, &byte, 1, 0), 1);

    closesocket(c);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    ck_assert_int_eq(recv(s, &byte, 1, 0), 0);
    closesocket(s);
}
END_TEST

START_TEST(test_L07_wsapoll)
{
    WSAPOLLFD fds[2];
    SOCKET c, s;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    memset(fds, 0, sizeof(fds));
    fds[0].fd = c;
    fds[0].events = POLLRDNORM | POLLWRNORM;
    fds[1].fd = s;
    fds[1].events = POLLRDNORM;
    ck_assert_int_eq(WSAPoll(fds, 2, 0), 1);
    ck_assert_int_eq(fds[0].revents, POLLWRNORM);
    ck_assert_int_eq(fds[1].revents, 0);
    ck_assert_int_eq(send(c, "p", 1, 0), 1);
    ck_assert_int_eq(WSAPoll(&fds[1], 1, LB_WAIT_MS), 1);
    ck_assert_int_eq(fds[1].revents, POLLRDNORM);
    closesocket(c);
    closesocket(s);
}
END_TEST

START_TEST(test_L07_wsaeventselect)
{
    WSAEVENT event = WSACreateEvent();
    WSANETWORKEVENTS events;
    SOCKET c, s;
    char byte;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    ck_assert_int_eq(WSAEventSelect(s, event, FD_READ | FD_CLOSE), 0);
    ck_assert_uint_eq(WaitForSingleObject(event, 100), WAIT_TIMEOUT);
    ck_assert_int_eq(send(c, "e", 1, 0), 1);
    ck_assert_uint_eq(WaitForSingleObject(event, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(WSAEnumNetworkEvents(s, event, &events), 0);
    ck_assert_int_eq(events.lNetworkEvents, FD_READ);
    ck_assert_int_eq(events.iErrorCode[FD_READ_BIT], 0);
    /* FD_CLOSE comes once the data before it is read. */
    ck_assert_int_eq(recv(s, &byte, 1, 0), 1);
    closesocket(c);
    ck_assert_uint_eq(WaitForSingleObject(event, LB_WAIT_MS), WAIT_OBJECT_0);
    ck_assert_int_eq(WSAEnumNetworkEvents(s, event, &events), 0);
    ck_assert(events.lNetworkEvents & FD_CLOSE);
    WSACloseEvent(event);
    closesocket(s);
}
END_TEST

/* Pumps the window's messages until one for `s` with `event` comes. */
static BOOL wait_message(HWND window, SOCKET s, LONG event)
{
    ULONGLONG deadline = GetTickCount64() + LB_WAIT_MS;
    MSG msg;

    while (GetTickCount64() < deadline) {
        while (PeekMessageW(&msg, window, 0, 0, PM_REMOVE)) {
            if (msg.message == READY_MESSAGE && (SOCKET)msg.wParam == s &&
                WSAGETSELECTEVENT(msg.lParam) == event)
                return TRUE;
        }
        MsgWaitForMultipleObjects(0, NULL, FALSE, 20, QS_ALLINPUT);
    }
    return FALSE;
}

/* The listener's FD_ACCEPT names the listener; the accepted socket
 * inherits the registration and its FD_READ names the accepted socket. */
START_TEST(test_L07_wsaasyncselect)
{
    HWND window = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL,
                                  NULL);
    struct sockaddr_storage addr;
    SOCKET l, c, a;
    int len;

    ck_assert_ptr_nonnull(window);
    l = lb_listener(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    ck_assert_int_eq(WSAAsyncSelect(l, window, READY_MESSAGE, FD_ACCEPT | FD_READ), 0);
    c = WSASocketW(lb_family(_i), SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED);
    ck_assert_int_eq(connect(c, (struct sockaddr *)&addr, len), 0);
    ck_assert_msg(wait_message(window, l, FD_ACCEPT), "no FD_ACCEPT for the listener");
    a = accept(l, NULL, NULL);
    ck_assert_uint_ne(a, INVALID_SOCKET);
    layered_assert_through_lsp(a);
    ck_assert_int_eq(send(c, "m", 1, 0), 1);
    ck_assert_msg(wait_message(window, a, FD_READ), "no FD_READ for the accepted socket");
    closesocket(a);
    closesocket(c);
    closesocket(l);
    DestroyWindow(window);
}
END_TEST

static SOCKET handle_ioctl(SOCKET s, DWORD code)
{
    SOCKET answer = INVALID_SOCKET;
    DWORD returned = 0;
    int rc = WSAIoctl(s, code, NULL, 0, &answer, sizeof(answer), &returned, NULL, NULL);
    int err = WSAGetLastError();

    ck_assert_msg(rc == 0, "WSAIoctl(%#lx): %d", code, err);
    ck_assert_uint_eq(returned, sizeof(answer));
    return answer;
}

/* SIO_BASE_HANDLE and SIO_BSP_HANDLE_SELECT give the base provider's
 * socket beneath ours (Windows runs select on base handles, past every
 * LSP); SIO_BSP_HANDLE and SIO_BSP_HANDLE_POLL give our own socket, so
 * that WSASendMsg and WSAPoll come to the provider (SIO_EXT_SENDMSG,
 * SIO_EXT_POLL), as the Microsoft sample LSP asks for them too. */
START_TEST(test_base_handle_is_the_lower_socket)
{
    SOCKET c, s, base;

    lb_tcp_pair(lb_family(_i), WSA_FLAG_OVERLAPPED, 0, &c, &s);
    base = handle_ioctl(c, SIO_BASE_HANDLE);
    ck_assert_uint_ne(base, INVALID_SOCKET);
    ck_assert_uint_ne(base, c);
    ck_assert_uint_eq(handle_ioctl(c, SIO_BSP_HANDLE_SELECT), base);
    ck_assert_uint_eq(handle_ioctl(c, SIO_BSP_HANDLE), c);
    ck_assert_uint_eq(handle_ioctl(c, SIO_BSP_HANDLE_POLL), c);
    ck_assert_uint_ne(handle_ioctl(s, SIO_BASE_HANDLE), base);
    closesocket(c);
    closesocket(s);
}
END_TEST

/* select over a provider socket and a base socket together: the front end
 * runs it on the base handles (SIO_BSP_HANDLE_SELECT) and answers for ours. */
START_TEST(test_L07_select_mixed_with_base_socket)
{
    int family = lb_family(_i);
    struct sockaddr_storage addr;
    struct timeval wait = { LB_WAIT_MS / 1000, 0 };
    SOCKET c, s, l, base, base_peer;
    fd_set rd;
    int len;

    lb_tcp_pair(family, WSA_FLAG_OVERLAPPED, 0, &c, &s);
    l = lb_listener(family, WSA_FLAG_OVERLAPPED, 0, &addr, &len);
    base = layered_base_socket(family, SOCK_STREAM, WSA_FLAG_OVERLAPPED);
    ck_assert_int_eq(connect(base, (struct sockaddr *)&addr, len), 0);
    base_peer = accept(l, NULL, NULL);
    ck_assert_uint_ne(base_peer, INVALID_SOCKET);
    ck_assert_int_eq(send(c, "x", 1, 0), 1);
    ck_assert_int_eq(sock_wait_readable(s, LB_WAIT_MS), 1);
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    FD_SET(base, &rd);
    ck_assert_int_eq(select(0, &rd, NULL, NULL, &wait), 1);
    ck_assert_uint_eq(rd.fd_array[0], s);
    closesocket(base_peer);
    closesocket(base);
    closesocket(l);
    closesocket(c);
    closesocket(s);
}
END_TEST

TCase *layered_ready_tcase(void)
{
    TCase *tc = layered_tcase("readiness");
    tcase_add_loop_test(tc, test_L07_select, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_wsapoll, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_wsaeventselect, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_wsaasyncselect, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_base_handle_is_the_lower_socket, 0, LB_FAMILIES);
    tcase_add_loop_test(tc, test_L07_select_mixed_with_base_socket, 0, LB_FAMILIES);
    return tc;
}
