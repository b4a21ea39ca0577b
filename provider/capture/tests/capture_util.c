/* SPDX-License-Identifier: MIT */
/* Capture test helpers (capture_util.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "capture_util.h"
#include <tlhelp32.h>

#define KEY L"SOFTWARE\\lspkit"

int sa4(struct sockaddr_storage *ss, BYTE a, BYTE b, BYTE c, BYTE d, USHORT port)
{
    struct sockaddr_in *in = (struct sockaddr_in *)ss;
    BYTE *addr = (BYTE *)&in->sin_addr;

    memset(ss, 0, sizeof(*ss));
    in->sin_family = AF_INET;
    in->sin_port = (USHORT)(port >> 8 | port << 8);
    addr[0] = a, addr[1] = b, addr[2] = c, addr[3] = d;
    return sizeof(*in);
}

int sa6(struct sockaddr_storage *ss, USHORT last_group, USHORT port)
{
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    BYTE *addr = (BYTE *)&in6->sin6_addr;

    memset(ss, 0, sizeof(*ss));
    in6->sin6_family = AF_INET6;
    in6->sin6_port = (USHORT)(port >> 8 | port << 8);
    addr[0] = 0x20, addr[1] = 0x01, addr[2] = 0x0d, addr[3] = 0xb8;
    addr[14] = (BYTE)(last_group >> 8);
    addr[15] = (BYTE)last_group;
    return sizeof(*in6);
}

static BOOL fake_addresses(void *context, BOOL peer, struct sockaddr *address, int *length)
{
    struct fake_socket *f = context;
    int have = peer ? f->peer_len : f->local_len;

    InterlockedIncrement(&f->asked);
    if (!have || *length < have)
        return FALSE;
    memcpy(address, peer ? &f->peer : &f->local, have);
    *length = have;
    return TRUE;
}

void fake_socket(struct fake_socket *f, SOCKET s, BOOL tcp, const struct sockaddr_storage *local,
                 int local_len, const struct sockaddr_storage *peer, int peer_len)
{
    memset(f, 0, sizeof(*f));
    f->s = s;
    f->af = local->ss_family;
    f->type = tcp ? SOCK_STREAM : SOCK_DGRAM;
    f->protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
    f->local = *local;
    f->local_len = local_len;
    if (peer_len)
        f->peer = *peer;
    f->peer_len = peer_len;
}

void fake_call(struct fake_socket *f, enum capture_direction d, const WSABUF *bufs,
               DWORD count, DWORD bytes, int error, DWORD flags,
               const struct sockaddr_storage *remote, int remote_len)
{
    struct capture_event e = {
        .socket = f->s,
        .af = f->af,
        .type = f->type,
        .protocol = f->protocol,
        .direction = d,
        .flags = flags,
        .error = error,
        .bytes = bytes,
        .buffers = bufs,
        .buffer_count = count,
        .remote = (const struct sockaddr *)remote,
        .remote_length = remote_len,
        .addresses = fake_addresses,
        .addresses_context = f,
        .mark = f->mark,
    };

    if (capture_enabled())
        capture_record(&e);
}

void fake_data(struct fake_socket *f, enum capture_direction d, const void *data, DWORD len)
{
    WSABUF buf = { len, (char *)data };

    fake_call(f, d, &buf, 1, len, 0, 0, NULL, 0);
}

void fake_peer_fin(struct fake_socket *f)
{
    char room[16];
    WSABUF buf = { sizeof(room), room };

    fake_call(f, CAPTURE_RECEIVE, &buf, 1, 0, 0, 0, NULL, 0);
}

static HKEY open_key(void)
{
    HKEY key;
    LONG rc = RegCreateKeyExW(HKEY_LOCAL_MACHINE, KEY, 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY,
                              NULL, &key, NULL);

    ck_assert_msg(rc == ERROR_SUCCESS, "cannot create HKLM\\%ls: %ld", KEY, rc);
    return key;
}

void cu_config_reset(void)
{
    LONG rc = RegDeleteKeyExW(HKEY_LOCAL_MACHINE, KEY, KEY_WOW64_64KEY, 0);

    ck_assert_msg(rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND, "delete key: %ld", rc);
}

void cu_config_dword(const WCHAR *name, DWORD value)
{
    HKEY key = open_key();
    LONG rc = RegSetValueExW(key, name, 0, REG_DWORD, (const BYTE *)&value, sizeof(value));

    RegCloseKey(key);
    ck_assert_int_eq(rc, ERROR_SUCCESS);
}

void cu_config_string(const WCHAR *name, DWORD type, const WCHAR *text)
{
    HKEY key = open_key();
    LONG rc = RegSetValueExW(key, name, 0, type, (const BYTE *)text,
                             (DWORD)((wcslen(text) + 1) * sizeof(WCHAR)));

    RegCloseKey(key);
    ck_assert_int_eq(rc, ERROR_SUCCESS);
}

void cu_config_multi(const WCHAR *name, const WCHAR *items, size_t chars)
{
    HKEY key = open_key();
    LONG rc = RegSetValueExW(key, name, 0, REG_MULTI_SZ, (const BYTE *)items,
                             (DWORD)(chars * sizeof(WCHAR)));

    RegCloseKey(key);
    ck_assert_int_eq(rc, ERROR_SUCCESS);
}

void cu_config_enable(const WCHAR *dir)
{
    cu_config_reset();
    cu_config_dword(L"Enabled", 1);
    cu_config_string(L"Directory", REG_SZ, dir);
}

void cu_dir(const char *name, WCHAR *out)
{
    WCHAR temp[MAX_PATH], pattern[MAX_PATH], file[MAX_PATH];
    WIN32_FIND_DATAW fd;
    HANDLE find;

    ck_assert(GetTempPathW(MAX_PATH, temp) > 0);
    _snwprintf(out, MAX_PATH, L"%lslspkit-capture", temp);
    CreateDirectoryW(out, NULL);
    _snwprintf(out, MAX_PATH, L"%lslspkit-capture\\%hs", temp, name);
    CreateDirectoryW(out, NULL);
    _snwprintf(pattern, MAX_PATH, L"%ls\\*", out);
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return;
    do {
        _snwprintf(file, MAX_PATH, L"%ls\\%ls", out, fd.cFileName);
        if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
            ck_assert_msg(DeleteFileW(file), "cannot empty %ls", out);
    } while (FindNextFileW(find, &fd));
    FindClose(find);
}

size_t cu_captures(const WCHAR *dir, WCHAR *path)
{
    WCHAR pattern[MAX_PATH];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    size_t n = 0;

    _snwprintf(pattern, MAX_PATH, L"%ls\\*.pcapng", dir);
    find = FindFirstFileW(pattern, &fd);
    if (find == INVALID_HANDLE_VALUE)
        return 0;
    do {
        if (n++ == 0 && path)
            _snwprintf(path, MAX_PATH, L"%ls\\%ls", dir, fd.cFileName);
    } while (FindNextFileW(find, &fd));
    FindClose(find);
    return n;
}

void cu_read_capture(const WCHAR *dir, struct cap_file *f)
{
    WCHAR path[MAX_PATH];
    size_t n = cu_captures(dir, path);

    ck_assert_msg(n == 1, "%zu captures in %ls, expected 1", n, dir);
    ck_assert_msg(cap_read(path, f), "%ls: %s", path, f->error);
}

int cu_log_lines(void)
{
    WCHAR base[MAX_PATH], path[MAX_PATH];
    char line[2048];
    FILE *log;
    int n = 0;

    if (!GetEnvironmentVariableW(L"ProgramData", base, MAX_PATH))
        lstrcpyW(base, L"C:\\ProgramData");
    _snwprintf(path, MAX_PATH, L"%ls\\lspkit\\lspkit.log", base);
    log = _wfopen(path, L"r");
    if (!log)
        return 0;
    while (fgets(line, sizeof(line), log))
        n += strstr(line, "capture:") != NULL;
    fclose(log);
    return n;
}

int cu_threads(void)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    THREADENTRY32 te = { .dwSize = sizeof(te) };
    DWORD pid = GetCurrentProcessId();
    int n = 0;

    ck_assert(snap != INVALID_HANDLE_VALUE);
    if (Thread32First(snap, &te)) {
        do
            n += te.th32OwnerProcessID == pid;
        while (Thread32Next(snap, &te));
    }
    CloseHandle(snap);
    return n;
}

int cu_threads_settled(void)
{
    int n = cu_threads();

    for (int i = 0; i < 20; i++) {
        Sleep(100);
        if (cu_threads() == n)
            break;
        n = cu_threads();
    }
    return n;
}

void cu_pattern(BYTE *out, size_t len, unsigned seed)
{
    unsigned x = seed * 2654435761u + 1;

    for (size_t i = 0; i < len; i++) {
        x = x * 1103515245u + 12345u;
        out[i] = (BYTE)(x >> 16);
    }
}

void cu_comment_prefix(char *out, size_t size, const char *call, SOCKET s)
{
    snprintf(out, size, "%s by pid %lu (capture.exe) tid %lu on socket 0x%llx: ", call,
             GetCurrentProcessId(), GetCurrentThreadId(), (unsigned long long)s);
}
