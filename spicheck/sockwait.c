/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "sockwait.h"

static int wait_for(SOCKET s, int write, DWORD timeout_ms)
{
    fd_set set;
    struct timeval tv = { (long)(timeout_ms / 1000), (long)(timeout_ms % 1000) * 1000 };

    FD_ZERO(&set);
    FD_SET(s, &set);
    return select(0, write ? NULL : &set, write ? &set : NULL, NULL, &tv);
}

int sock_wait_readable(SOCKET s, DWORD timeout_ms)
{
    return wait_for(s, 0, timeout_ms);
}

int sock_wait_writable(SOCKET s, DWORD timeout_ms)
{
    return wait_for(s, 1, timeout_ms);
}

size_t sock_recv_exact(SOCKET s, void *buf, size_t len, DWORD timeout_ms)
{
    size_t got = 0;

    while (got < len) {
        if (wait_for(s, 0, timeout_ms) != 1)
            break;
        size_t want = len - got;
        /* At most 1 MiB a call, so a huge LEN never overflows recv's int. */
        int n = recv(s, (char *)buf + got, want > (1u << 20) ? (1 << 20) : (int)want, 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

size_t sock_recv_available(SOCKET s)
{
    char sink[16384];
    size_t got = 0;

    while (wait_for(s, 0, 0) == 1) {
        int n = recv(s, sink, sizeof(sink), 0);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got;
}

int sock_loopback(int family, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_loopback;
        return sizeof(*sin6);
    }
    struct sockaddr_in *sin = (struct sockaddr_in *)ss;

    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof(*sin);
}

/* STEP just failed on a FAMILY socket: its WSA error, through sock_fail. */
static void fail(const char *step, int family)
{
    int error = WSAGetLastError();

    sock_fail("%s (%s) failed: error %d", step, family == AF_INET6 ? "IPv6" : "IPv4", error);
}

static void set_bufs(SOCKET s, int family, int bufsize)
{
    if (bufsize > 0 &&
        (setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char *)&bufsize, sizeof(bufsize)) ||
         setsockopt(s, SOL_SOCKET, SO_RCVBUF, (char *)&bufsize, sizeof(bufsize))))
        fail("SO_SNDBUF/SO_RCVBUF", family);
}

SOCKET sock_listener(int family, DWORD flags, int bufsize, struct sockaddr_storage *addr,
                     int *len)
{
    struct sockaddr_storage any;
    int anylen = sock_loopback(family, &any);
    SOCKET l = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);

    if (l == INVALID_SOCKET)
        fail("WSASocket (listener)", family);
    set_bufs(l, family, bufsize);
    if (bind(l, (struct sockaddr *)&any, anylen))
        fail("bind (listener)", family);
    if (listen(l, 8))
        fail("listen", family);
    *len = sizeof(*addr);
    if (getsockname(l, (struct sockaddr *)addr, len))
        fail("getsockname (listener)", family);
    return l;
}

void sock_tcp_pair(int family, DWORD flags, int bufsize, SOCKET *client, SOCKET *server)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = sock_listener(family, flags, bufsize, &addr, &len);
    SOCKET c = WSASocketW(family, SOCK_STREAM, IPPROTO_TCP, NULL, 0, flags);

    if (c == INVALID_SOCKET)
        fail("WSASocket (client)", family);
    set_bufs(c, family, bufsize);
    if (connect(c, (struct sockaddr *)&addr, len))
        fail("connect", family);
    *server = accept(l, NULL, NULL);
    if (*server == INVALID_SOCKET)
        fail("accept", family);
    closesocket(l);
    *client = c;
}

static SOCKET udp_bound(int family, struct sockaddr_storage *name, int *len)
{
    struct sockaddr_storage any;
    int anylen = sock_loopback(family, &any);
    SOCKET u = WSASocketW(family, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);

    if (u == INVALID_SOCKET)
        fail("WSASocket (UDP)", family);
    if (bind(u, (struct sockaddr *)&any, anylen))
        fail("bind (UDP)", family);
    *len = sizeof(*name);
    if (getsockname(u, (struct sockaddr *)name, len))
        fail("getsockname (UDP)", family);
    return u;
}

void sock_udp_pair(int family, SOCKET *a, SOCKET *b, struct sockaddr_storage *bname,
                   int *blen)
{
    struct sockaddr_storage aname;
    int alen;

    *a = udp_bound(family, &aname, &alen);
    *b = udp_bound(family, bname, blen);
}

void sock_close_pair(SOCKET a, SOCKET b)
{
    closesocket(a);
    closesocket(b);
}

void *sock_extension(SOCKET s, GUID guid)
{
    void *fn = NULL;
    DWORD bytes = 0;
    int rc = WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &guid, sizeof(guid), &fn,
                      sizeof(fn), &bytes, NULL, NULL);
    int error = WSAGetLastError();

    if (rc || !fn || bytes != sizeof(fn))
        sock_fail("SIO_GET_EXTENSION_FUNCTION_POINTER: %d, error %d, %lu bytes", rc, error,
                  bytes);
    return fn;
}

void sock_connect_extensions(SOCKET listener, SOCKET client,
                             struct sock_connect_extensions *ext)
{
    ext->acceptex = (LPFN_ACCEPTEX)sock_extension(listener, (GUID)WSAID_ACCEPTEX);
    ext->sockaddrs =
        (LPFN_GETACCEPTEXSOCKADDRS)sock_extension(listener, (GUID)WSAID_GETACCEPTEXSOCKADDRS);
    ext->connectex = (LPFN_CONNECTEX)sock_extension(client, (GUID)WSAID_CONNECTEX);
    ext->disconnectex = (LPFN_DISCONNECTEX)sock_extension(client, (GUID)WSAID_DISCONNECTEX);
}

WSAMSG sock_message(void *name, int namelen, WSABUF *bufs, DWORD count)
{
    WSAMSG msg = { 0 };

    msg.name = name;
    msg.namelen = namelen;
    msg.lpBuffers = bufs;
    msg.dwBufferCount = count;
    return msg;
}

HANDLE sock_temp_file(const void *data, DWORD size)
{
    WCHAR dir[MAX_PATH], path[MAX_PATH];
    DWORD written = 0;
    HANDLE file;

    if (!GetTempPathW(MAX_PATH, dir) || !GetTempFileNameW(dir, L"lsp", 0, path))
        sock_fail("no temporary file name: error %lu", GetLastError());
    file = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
    if (file == INVALID_HANDLE_VALUE)
        sock_fail("CreateFile of a temporary file: error %lu", GetLastError());
    if (!WriteFile(file, data, size, &written, NULL) || written != size ||
        SetFilePointer(file, 0, NULL, FILE_BEGIN) != 0)
        sock_fail("writing %lu bytes to a temporary file: error %lu", size, GetLastError());
    return file;
}

HANDLE sock_port_for_pair(SOCKET c, ULONG_PTR c_key, SOCKET s, ULONG_PTR s_key)
{
    HANDLE port = CreateIoCompletionPort((HANDLE)c, NULL, c_key, 0);

    if (!port || CreateIoCompletionPort((HANDLE)s, port, s_key, 0) != port)
        sock_fail("CreateIoCompletionPort: error %lu", GetLastError());
    return port;
}

struct send_later {
    SOCKET s;
    const char *data;
    DWORD delay_ms;
};

static DWORD WINAPI send_later_main(void *arg)
{
    struct send_later job = *(struct send_later *)arg;

    free(arg);
    Sleep(job.delay_ms);
    send(job.s, job.data, (int)strlen(job.data), 0);
    return 0;
}

HANDLE sock_send_later(SOCKET s, const char *data, DWORD delay_ms)
{
    struct send_later *job = malloc(sizeof(*job));
    HANDLE thread = NULL;

    if (!job)
        return NULL;
    job->s = s;
    job->data = data;
    job->delay_ms = delay_ms;
    thread = CreateThread(NULL, 0, send_later_main, job, 0, NULL);
    if (!thread)
        free(job);
    return thread;
}

static DWORD WINAPI drain_main(void *arg)
{
    struct sock_drain *d = arg;

    Sleep(d->delay_ms);
    d->got = sock_recv_exact(d->s, d->buf, d->len, d->timeout_ms);
    return 0;
}

BOOL sock_drain_start(struct sock_drain *d, SOCKET s, size_t len, DWORD delay_ms,
                      DWORD timeout_ms)
{
    d->s = s;
    d->len = len;
    d->delay_ms = delay_ms;
    d->timeout_ms = timeout_ms;
    d->got = 0;
    d->thread = NULL;
    d->buf = malloc(len ? len : 1);
    if (d->buf)
        d->thread = CreateThread(NULL, 0, drain_main, d, 0, NULL);
    if (!d->thread)
        sock_drain_free(d);
    return d->thread != NULL;
}

BOOL sock_drain_join(struct sock_drain *d)
{
    BOOL done = WaitForSingleObject(d->thread, 4 * d->timeout_ms + d->delay_ms) ==
                WAIT_OBJECT_0;

    CloseHandle(d->thread);
    d->thread = NULL;
    return done;
}

void sock_drain_free(struct sock_drain *d)
{
    free(d->buf);
    d->buf = NULL;
}

/* xorshift of the position mixed with the seed. */
static unsigned char pattern_byte(unsigned seed, size_t i)
{
    unsigned long long x = (unsigned long long)i * 0x9E3779B97F4A7C15ull +
                           seed * 0xD1B54A32D192ED03ull + 1;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 32;
    return (unsigned char)x;
}

void pattern_fill(unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern_byte(seed, offset + i);
}

size_t pattern_mismatch(const unsigned char *buf, size_t len, unsigned seed, size_t offset)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pattern_byte(seed, offset + i))
            return i;
    return len;
}
