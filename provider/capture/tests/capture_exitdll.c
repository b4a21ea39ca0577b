/* SPDX-License-Identifier: MIT */
/* capture_exit.dll: the capture module inside a DLL whose DllMain calls
 * capture_shutdown at DLL_PROCESS_DETACH, as the provider does. The exit
 * test's child loads it, records, and exits without any shutdown of its
 * own: what was still queued must reach the file all the same. */
#include <string.h>
#include "../capture.h"

#define EXIT_LOCAL_PORT 40000
#define EXIT_PEER_PORT 40001

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_DETACH)
        capture_shutdown();
    return TRUE;
}

static void endpoint(struct sockaddr_in *in, USHORT port)
{
    memset(in, 0, sizeof(*in));
    in->sin_family = AF_INET;
    in->sin_port = (USHORT)(port >> 8 | port << 8);
    ((BYTE *)&in->sin_addr)[0] = 127;
    ((BYTE *)&in->sin_addr)[3] = 1;
}

static BOOL addresses(void *context, BOOL peer, struct sockaddr *address, int *length)
{
    (void)context;
    if (*length < (int)sizeof(struct sockaddr_in))
        return FALSE;
    endpoint((struct sockaddr_in *)address, peer ? EXIT_PEER_PORT : EXIT_LOCAL_PORT);
    *length = sizeof(struct sockaddr_in);
    return TRUE;
}

/* `count` datagrams of 100 bytes, each starting with its number. */
__declspec(dllexport) void capture_exit_run(int count)
{
    char data[100] = { 0 };
    WSABUF buf = { sizeof(data), data };
    struct capture_event e = { .socket = 0x4000, .af = AF_INET, .type = SOCK_DGRAM,
                               .protocol = IPPROTO_UDP, .direction = CAPTURE_SEND,
                               .bytes = sizeof(data), .buffers = &buf, .buffer_count = 1,
                               .addresses = addresses };

    capture_init();
    for (int i = 0; i < count; i++) {
        memcpy(data, &i, sizeof(i));
        if (capture_enabled())
            capture_record(&e);
    }
}
