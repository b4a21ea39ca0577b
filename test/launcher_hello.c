/* SPDX-License-Identifier: MIT */
/* launcher_hello.exe: the smallest Winsock program, for
 * test/launcher_concurrent.sh: WSAStartup and a TCP socket through
 * whatever ws2_32 it gets. Prints "launcher_hello: started" first, so that
 * the script can tell a run that started from one that did not; exits 0
 * with a socket, else with the Winsock error. */
#include <winsock2.h>
#include <stdio.h>

int main(void)
{
    WSADATA data;
    SOCKET s;
    int error;

    printf("launcher_hello: started\n");
    fflush(stdout);
    error = WSAStartup(MAKEWORD(2, 2), &data);
    if (error) {
        printf("launcher_hello: WSAStartup failed: %d\n", error);
        return error;
    }
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    error = s == INVALID_SOCKET ? WSAGetLastError() : 0;
    if (error)
        printf("launcher_hello: socket failed: %d\n", error);
    else
        closesocket(s);
    WSACleanup();
    return error;
}
