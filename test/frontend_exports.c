/* SPDX-License-Identifier: MIT */
/* The front end's export table: the classic functions sit at the ordinals
 * Windows fixes for them (programs may import them by ordinal), every export
 * of Wine's ws2_32 is there, and the forwarded ones reach the system's. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <check.h>
#include "run_suite.h"

static const struct {
    WORD ordinal;
    const char *name;
} classic[] = {
    { 1, "accept" },
    { 2, "bind" },
    { 3, "closesocket" },
    { 4, "connect" },
    { 5, "getpeername" },
    { 6, "getsockname" },
    { 7, "getsockopt" },
    { 8, "htonl" },
    { 9, "htons" },
    { 10, "ioctlsocket" },
    { 11, "inet_addr" },
    { 12, "inet_ntoa" },
    { 13, "listen" },
    { 14, "ntohl" },
    { 15, "ntohs" },
    { 16, "recv" },
    { 17, "recvfrom" },
    { 18, "select" },
    { 19, "send" },
    { 20, "sendto" },
    { 21, "setsockopt" },
    { 22, "shutdown" },
    { 23, "socket" },
    { 51, "gethostbyaddr" },
    { 52, "gethostbyname" },
    { 53, "getprotobyname" },
    { 54, "getprotobynumber" },
    { 55, "getservbyname" },
    { 56, "getservbyport" },
    { 57, "gethostname" },
    { 101, "WSAAsyncSelect" },
    { 102, "WSAAsyncGetHostByAddr" },
    { 103, "WSAAsyncGetHostByName" },
    { 104, "WSAAsyncGetProtoByNumber" },
    { 105, "WSAAsyncGetProtoByName" },
    { 106, "WSAAsyncGetServByPort" },
    { 107, "WSAAsyncGetServByName" },
    { 108, "WSACancelAsyncRequest" },
    { 109, "WSASetBlockingHook" },
    { 110, "WSAUnhookBlockingHook" },
    { 111, "WSAGetLastError" },
    { 112, "WSASetLastError" },
    { 113, "WSACancelBlockingCall" },
    { 114, "WSAIsBlocking" },
    { 115, "WSAStartup" },
    { 116, "WSACleanup" },
    { 151, "__WSAFDIsSet" },
    { 500, "WEP" },
};

static HMODULE front_end(void)
{
    HMODULE module = GetModuleHandleA("ws2_32.dll");

    ck_assert_ptr_nonnull(module);
    /* Only lspkit's front end exports the 64_32 catalog calls. */
    ck_assert_ptr_nonnull(GetProcAddress(module, "WSCInstallProvider64_32"));
    return module;
}

START_TEST(test_classic_ordinals)
{
    HMODULE module = front_end();
    size_t i;

    for (i = 0; i < sizeof(classic) / sizeof(classic[0]); i++) {
        FARPROC by_name = GetProcAddress(module, classic[i].name);
        FARPROC by_ordinal = GetProcAddress(module, MAKEINTRESOURCEA(classic[i].ordinal));
        ck_assert_msg(by_name && by_name == by_ordinal, "%s is not at ordinal %u",
                      classic[i].name, classic[i].ordinal);
    }
}
END_TEST

/* Forwarded functions: they run the system's code and give its answers. */
START_TEST(test_forwarded_functions_work)
{
    struct in6_addr address;
    struct addrinfo hints = { 0 }, *list = NULL;
    WSADATA data;
    int error;

    ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &data), 0);
    ck_assert_uint_eq(htons(0x1234), 0x3412);
    ck_assert_int_eq(inet_pton(AF_INET6, "::1", &address), 1);
    ck_assert_int_eq(address.s6_addr[15], 1);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    error = getaddrinfo("127.0.0.1", "80", &hints, &list);
    ck_assert_int_eq(error, 0);
    ck_assert_int_eq(((struct sockaddr_in *)list->ai_addr)->sin_port, htons(80));
    freeaddrinfo(list);
    ck_assert_int_eq(WSACleanup(), 0);
}
END_TEST

int main(void)
{
    Suite *suite = suite_create("frontend_exports");
    TCase *tc = tcase_create("exports");

    tcase_add_test(tc, test_classic_ordinals);
    tcase_add_test(tc, test_forwarded_functions_work);
    suite_add_tcase(suite, tc);
    return run_suite(suite);
}
