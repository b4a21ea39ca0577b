/* SPDX-License-Identifier: MIT */
/* capture.exe --sample DIR: a capture of TCP and UDP conversations over
 * IPv4 and IPv6 in DIR, with, for each conversation, the bytes each end
 * sent (expect-PROTO-PORT.hex, PORT being the sender's) and a list of the
 * conversations (streams.txt: "PROTO PORT PORT"). test/capture_tshark.sh
 * checks them against tshark's "follow" output.
 *
 * capture.exe --bench: what capture_record costs per call, on and off. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_tests.h"
#include "capture_util.h"

/* Everything one end sent, for its .hex file. */
struct side {
    BYTE *data;
    size_t len;
};

static void sent(struct side *s, const void *data, size_t len)
{
    s->data = realloc(s->data, s->len + len);
    memcpy(s->data + s->len, data, len);
    s->len += len;
}

static BOOL write_hex(const char *dir, const char *proto, USHORT port, const struct side *s)
{
    char path[MAX_PATH];
    FILE *out;

    snprintf(path, sizeof(path), "%s\\expect-%s-%u.hex", dir, proto, port);
    out = fopen(path, "w");
    if (!out)
        return FALSE;
    for (size_t i = 0; i < s->len; i++)
        fprintf(out, "%02x", s->data[i]);
    fputc('\n', out);
    return fclose(out) == 0;
}

static BOOL set_config(const WCHAR *name, DWORD type, const void *data, DWORD size)
{
    HKEY key;
    LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\lspkit", 0, NULL, 0,
                              KEY_ALL_ACCESS | KEY_WOW64_64KEY, NULL, &key, NULL);

    if (rc == ERROR_SUCCESS) {
        rc = RegSetValueExW(key, name, 0, type, data, size);
        RegCloseKey(key);
    }
    return rc == ERROR_SUCCESS;
}

static BOOL configure(const WCHAR *dir, DWORD enabled, DWORD queue_bytes, DWORD queue_records)
{
    RegDeleteKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\lspkit", KEY_WOW64_64KEY, 0);
    return set_config(L"Enabled", REG_DWORD, &enabled, 4) &&
           set_config(L"Directory", REG_SZ, dir, (DWORD)(wcslen(dir) + 1) * 2) &&
           set_config(L"QueueBytes", REG_DWORD, &queue_bytes, 4) &&
           set_config(L"QueueRecords", REG_DWORD, &queue_records, 4);
}

/* A TCP conversation: gathered sends, receives into several buffers, a
 * send of several IP packets, a zero-byte and a failed send, the peer's
 * FIN, our close. */
static void tcp_conversation(struct fake_socket *f, unsigned seed, struct side *out,
                             struct side *in)
{
    BYTE a[3000], b[5000], *big = malloc(150000);
    WSABUF bufs[3] = { { 1000, (char *)a }, { 0, NULL }, { 2000, (char *)a + 1000 } };
    WSABUF rbufs[2] = { { 4096, (char *)b }, { 4096, (char *)b + 4096 } };

    cu_pattern(a, sizeof(a), seed);
    cu_pattern(b, sizeof(b), seed + 1);
    cu_pattern(big, 150000, seed + 2);
    fake_call(f, CAPTURE_SEND, bufs, 3, sizeof(a), 0, 0, NULL, 0);
    sent(out, a, sizeof(a));
    fake_call(f, CAPTURE_RECEIVE, rbufs, 2, sizeof(b), 0, 0, NULL, 0);
    sent(in, b, sizeof(b));
    fake_data(f, CAPTURE_SEND, big, 150000);
    sent(out, big, 150000);
    fake_data(f, CAPTURE_SEND, "", 0);
    fake_call(f, CAPTURE_SEND, bufs, 1, 1000, WSAECONNRESET, 0, NULL, 0);
    fake_data(f, CAPTURE_RECEIVE, "bye", 3);
    sent(in, "bye", 3);
    fake_peer_fin(f);
    capture_socket_closed(f->s);
    free(big);
}

/* UDP: datagrams both ways, an empty one and a failed send. */
static void udp_conversation(struct fake_socket *f, const struct sockaddr_storage *peer,
                             int peer_len, unsigned seed, struct side *out, struct side *in)
{
    BYTE d[3][1200];

    for (int i = 0; i < 3; i++) {
        WSABUF buf = { 400 * (i + 1), (char *)d[i] };

        cu_pattern(d[i], sizeof(d[i]), seed + i);
        fake_call(f, CAPTURE_SEND, &buf, 1, buf.len, 0, 0, peer, peer_len);
        sent(out, d[i], buf.len);
        fake_call(f, CAPTURE_RECEIVE, &buf, 1, 100, 0, 0, peer, peer_len);
        sent(in, d[i], 100);
    }
    fake_call(f, CAPTURE_SEND, NULL, 0, 0, 0, 0, peer, peer_len);
    fake_call(f, CAPTURE_SEND, NULL, 0, 10, WSAEMSGSIZE, 0, peer, peer_len);
}

int capture_sample(const char *dir)
{
    WCHAR wdir[MAX_PATH];
    struct sockaddr_storage local, peer;
    struct fake_socket f;
    struct side sides[8] = { 0 };
    static const struct { const char *proto; USHORT a, b; } streams[4] = {
        { "tcp", 50001, 80 }, { "tcp", 8443, 61000 }, { "udp", 5353, 53 }, { "udp", 60000, 9000 },
    };
    char path[MAX_PATH];
    FILE *list;
    int peer_len;

    MultiByteToWideChar(CP_ACP, 0, dir, -1, wdir, MAX_PATH);
    CreateDirectoryW(wdir, NULL);
    if (!configure(wdir, 1, 64u << 20, 1u << 20)) {
        fprintf(stderr, "capture --sample: cannot write the configuration\n");
        return 1;
    }
    capture_init();
    if (!capture_enabled()) {
        fprintf(stderr, "capture --sample: capture did not start\n");
        return 1;
    }
    fake_socket(&f, 0x104, TRUE, &local, sa4(&local, 10, 1, 2, 3, 50001), &peer,
                sa4(&peer, 192, 0, 2, 7, 80));
    tcp_conversation(&f, 100, &sides[0], &sides[1]);
    fake_socket(&f, 0x108, TRUE, &local, sa6(&local, 1, 8443), &peer, sa6(&peer, 2, 61000));
    tcp_conversation(&f, 200, &sides[2], &sides[3]);
    fake_socket(&f, 0x10C, FALSE, &local, sa4(&local, 10, 1, 2, 3, 5353), NULL, 0);
    peer_len = sa4(&peer, 192, 0, 2, 1, 53);
    udp_conversation(&f, &peer, peer_len, 300, &sides[4], &sides[5]);
    fake_socket(&f, 0x110, FALSE, &local, sa6(&local, 1, 60000), &peer, sa6(&peer, 2, 9000));
    udp_conversation(&f, NULL, 0, 400, &sides[6], &sides[7]);
    capture_shutdown();

    snprintf(path, sizeof(path), "%s\\streams.txt", dir);
    list = fopen(path, "w");
    if (!list)
        return 1;
    for (int i = 0; i < 4; i++) {
        fprintf(list, "%s %u %u\n", streams[i].proto, streams[i].a, streams[i].b);
        if (!write_hex(dir, streams[i].proto, streams[i].a, &sides[2 * i]) ||
            !write_hex(dir, streams[i].proto, streams[i].b, &sides[2 * i + 1]))
            return 1;
    }
    fclose(list);
    printf("capture --sample: done\n");
    return 0;
}

static double now_ns(void)
{
    LARGE_INTEGER c, f;

    QueryPerformanceCounter(&c);
    QueryPerformanceFrequency(&f);
    return (double)c.QuadPart * 1e9 / (double)f.QuadPart;
}

struct bench_run {
    struct fake_socket f;
    const BYTE *data;
    DWORD len;
    int calls;
    double ns;
};

static DWORD WINAPI bench_thread(void *arg)
{
    struct bench_run *b = arg;
    WSABUF buf = { b->len, (char *)b->data };
    double start = now_ns();

    for (int i = 0; i < b->calls; i++)
        fake_call(&b->f, CAPTURE_SEND, &buf, 1, b->len, 0, 0, NULL, 0);
    b->ns = now_ns() - start;
    return 0;
}

/* `threads` threads each making `calls` calls of `len` bytes, each on its
 * own socket; prints the mean cost of one call. */
static void bench(const char *what, BOOL tcp, DWORD len, int threads, int calls)
{
    static BYTE data[65536];
    struct bench_run runs[8];
    HANDLE handles[8];
    struct sockaddr_storage local, peer;
    double total = 0;

    for (int t = 0; t < threads; t++) {
        fake_socket(&runs[t].f, 0x5000 + 4 * t, tcp, &local,
                    sa4(&local, 10, 0, 0, 1, (USHORT)(50000 + t)), &peer,
                    sa4(&peer, 10, 0, 0, 2, 80));
        runs[t].data = data;
        runs[t].len = len;
        runs[t].calls = calls;
        handles[t] = CreateThread(NULL, 0, bench_thread, &runs[t], 0, NULL);
    }
    WaitForMultipleObjects(threads, handles, TRUE, INFINITE);
    for (int t = 0; t < threads; t++) {
        total += runs[t].ns;
        CloseHandle(handles[t]);
    }
    printf("%-44s %8.1f ns/call\n", what, total / threads / calls);
}

/* The bench's files are large and of no further use. */
static void remove_captures(const WCHAR *dir)
{
    WCHAR pattern[MAX_PATH], path[MAX_PATH];
    WIN32_FIND_DATAW fd;
    HANDLE find;

    _snwprintf(pattern, MAX_PATH, L"%ls\\*.pcapng", dir);
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return;
    do {
        _snwprintf(path, MAX_PATH, L"%ls\\%ls", dir, fd.cFileName);
        DeleteFileW(path);
    } while (FindNextFileW(find, &fd));
    FindClose(find);
}

int capture_bench(void)
{
    WCHAR temp[MAX_PATH], dir[MAX_PATH];
    struct capture_event e = { .socket = 1, .af = AF_INET, .type = SOCK_DGRAM };
    volatile int sink = 0;
    const int guard_calls = 100000000;
    double start;

    GetTempPathW(MAX_PATH, temp);
    _snwprintf(dir, MAX_PATH, L"%lslspkit-capture-bench", temp);
    if (!configure(dir, 0, 1u << 30, 1u << 20))
        return 1;
    capture_init();
    start = now_ns();
    for (int i = 0; i < guard_calls; i++) {
        if (capture_enabled())
            capture_record(&e);
        sink++;
    }
    printf("%-44s %8.2f ns/call\n", "off: capture_enabled() guard (+ loop)",
           (now_ns() - start) / guard_calls);
    start = now_ns();
    for (int i = 0; i < guard_calls; i++)
        sink++;
    printf("%-44s %8.2f ns/call\n", "   the same loop without the guard", (now_ns() - start) / guard_calls);
    capture_shutdown();

    if (!configure(dir, 1, 1u << 30, 1u << 20))
        return 1;
    capture_init();
    bench("on: UDP 100 bytes, 1 thread", FALSE, 100, 1, 200000);
    bench("on: TCP 100 bytes, 1 thread", TRUE, 100, 1, 200000);
    bench("on: TCP 1460 bytes, 1 thread", TRUE, 1460, 1, 200000);
    bench("on: TCP 64 KiB, 1 thread", TRUE, 65536, 1, 5000);
    bench("on: UDP 100 bytes, 4 threads", FALSE, 100, 4, 100000);
    capture_shutdown();

    /* The smallest queue: nearly every record is dropped, uncopied. */
    if (!configure(dir, 1, 1u << 30, 16))
        return 1;
    capture_init();
    bench("on, queue full: UDP 100 bytes, 1 thread", FALSE, 100, 1, 200000);
    capture_shutdown();
    remove_captures(dir);
    return 0;
}
