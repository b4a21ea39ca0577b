/* SPDX-License-Identifier: MIT */
/* The demo's client: an ordinary Winsock program with no lspkit code in it.
 * It fetches a page over HTTP with WinHTTP and makes one UDP round trip, so
 * that an installed LSP sees both a TCP conversation and datagrams.
 *
 *   demo_client.exe HTTP_PORT UDP_PORT
 *
 * Exit code 0 when the page and the echo came back, 1 otherwise. */
#include <winsock2.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>

static int fetch_page(INTERNET_PORT port)
{
    HINTERNET session, connection = NULL, request = NULL;
    char body[4096];
    DWORD status = 0, size = sizeof(status), got, total = 0;
    BOOL ok;

    session = WinHttpOpen(L"lspkit-demo/1.0", WINHTTP_ACCESS_TYPE_NO_PROXY,
                          WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (session)
        connection = WinHttpConnect(session, L"127.0.0.1", port, 0);
    if (connection)
        request = WinHttpOpenRequest(connection, L"GET", L"/hello.txt", NULL,
                                     WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, 0);
    ok = request && WinHttpSendRequest(request, WINHTTP_NO_ADDITIONAL_HEADERS, 0,
                                       WINHTTP_NO_REQUEST_DATA, 0, 0, 0)
         && WinHttpReceiveResponse(request, NULL)
         && WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                                WINHTTP_HEADER_NAME_BY_INDEX, &status, &size,
                                WINHTTP_NO_HEADER_INDEX);
    while (ok && total < sizeof(body) - 1
           && WinHttpReadData(request, body + total, sizeof(body) - 1 - total, &got) && got)
        total += got;
    body[total] = 0;
    if (ok)
        printf("HTTP GET /hello.txt -> %lu, %lu bytes: %s", status, total, body);
    else
        printf("HTTP GET failed: error %lu\n", GetLastError());
    if (request)
        WinHttpCloseHandle(request);
    if (connection)
        WinHttpCloseHandle(connection);
    if (session)
        WinHttpCloseHandle(session);
    return ok && status == 200 ? 0 : 1;
}

static int udp_round_trip(u_short port)
{
    const char message[] = "ping from lspkit-demo";
    struct sockaddr_in peer = { 0 };
    char reply[256];
    DWORD timeout = 5000;
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    int got;

    peer.sin_family = AF_INET;
    peer.sin_port = htons(port);
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (s == INVALID_SOCKET) {
        printf("UDP socket failed: %d\n", WSAGetLastError());
        return 1;
    }
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    got = sendto(s, message, sizeof(message) - 1, 0, (struct sockaddr *)&peer, sizeof(peer));
    if (got != sizeof(message) - 1) {
        printf("UDP send failed: %d\n", WSAGetLastError());
        closesocket(s);
        return 1;
    }
    got = recvfrom(s, reply, sizeof(reply) - 1, 0, NULL, NULL);
    closesocket(s);
    if (got == SOCKET_ERROR) {
        printf("UDP echo failed: %d\n", WSAGetLastError());
        return 1;
    }
    reply[got] = 0;
    printf("UDP \"%s\" -> \"%s\"\n", message, reply);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA data;
    int failures;

    if (argc != 3) {
        fprintf(stderr, "usage: demo_client.exe HTTP_PORT UDP_PORT\n");
        return 2;
    }
    if (WSAStartup(MAKEWORD(2, 2), &data)) {
        fprintf(stderr, "WSAStartup failed\n");
        return 1;
    }
    failures = fetch_page((INTERNET_PORT)atoi(argv[1])) + udp_round_trip((u_short)atoi(argv[2]));
    WSACleanup();
    return failures ? 1 : 0;
}
