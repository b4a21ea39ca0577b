/* SPDX-License-Identifier: MIT */
/* The trace facility (include/lspkit/trace.h), compiled into each binary
 * that traces: each reads the settings itself, once, at its first trace
 * point. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "lspkit/trace.h"

#define SETTINGS_KEY L"SOFTWARE\\lspkit"
#define LINE_MAX 1024

volatile LONG trace_state = TRACE_UNREAD;

static INIT_ONCE settings_once = INIT_ONCE_STATIC_INIT;
static HANDLE trace_file = INVALID_HANDLE_VALUE;
static char module_name[64];

/* A value of HKLM\SOFTWARE\lspkit, the same for 32- and 64-bit readers. */
static BOOL machine_setting(const WCHAR *name, DWORD type, void *value, DWORD size)
{
    DWORD found = 0;
    HKEY key;
    LSTATUS status;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, SETTINGS_KEY, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY,
                      &key))
        return FALSE;
    status = RegQueryValueExW(key, name, NULL, &found, value, &size);
    RegCloseKey(key);
    return status == ERROR_SUCCESS && found == type;
}

/* The environment decides for this process when it says anything; else
 * the machine's setting. */
static BOOL wanted(void)
{
    WCHAR text[8];
    DWORD value = 0;

    if (GetEnvironmentVariableW(L"LSPKIT_TRACE", text, ARRAYSIZE(text)))
        return text[0] != L'0';
    return machine_setting(L"Trace", REG_DWORD, &value, sizeof(value)) && value;
}

static void open_file(void)
{
    WCHAR path[MAX_PATH + 1] = { 0 };

    /* One WCHAR spare: a registry string need not end in a NUL. */
    if (!GetEnvironmentVariableW(L"LSPKIT_TRACE_FILE", path, MAX_PATH) &&
        !machine_setting(L"TraceFile", REG_SZ, path, MAX_PATH * sizeof(WCHAR)))
        return;
    /* Appends from every process at once: each line is one write. */
    trace_file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE |
                             FILE_SHARE_DELETE, NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
}

/* This binary's file name, to say which one a line comes from. */
static void find_module_name(void)
{
    HMODULE self = NULL;
    char path[MAX_PATH], *base;

    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                       GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT, (LPCSTR)(void *)trace_line,
                       &self);
    if (!GetModuleFileNameA(self, path, sizeof(path)))
        lstrcpyA(path, "?");
    base = strrchr(path, '\\');
    lstrcpynA(module_name, base ? base + 1 : path, sizeof(module_name));
}

static BOOL CALLBACK read_settings(INIT_ONCE *once, void *param, void **context)
{
    BOOL on;

    (void)once; (void)param; (void)context;
    on = wanted();
    if (on) {
        find_module_name();
        open_file();
    }
    InterlockedExchange(&trace_state, on ? TRACE_ON : TRACE_OFF);
    return TRUE;
}

void trace_line(const char *format, ...)
{
    char line[LINE_MAX];
    va_list args;
    DWORD written;
    int n;

    InitOnceExecuteOnce(&settings_once, read_settings, NULL, NULL);
    if (trace_state != TRACE_ON)
        return;
    n = snprintf(line, sizeof(line), "lspkit %s %lu:%lu: ", module_name,
                 GetCurrentProcessId(), GetCurrentThreadId());
    va_start(args, format);
    n += vsnprintf(line + n, sizeof(line) - n - 1, format, args);
    va_end(args);
    if (n > (int)sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    line[n] = 0;
    OutputDebugStringA(line);
    if (trace_file != INVALID_HANDLE_VALUE)
        WriteFile(trace_file, line, (DWORD)n, &written, NULL);
}
