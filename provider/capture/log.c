/* SPDX-License-Identifier: MIT */
/* The lspkit log (log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>
#include "log.h"
#include "storage.h"
#include "../../common/text.h"
#include "../../common/image.h"

#define LINE_MAX_BYTES 1024
/* Past this size the log becomes lspkit.1.log (replacing the one before)
 * and a new one begins. */
#define LOG_MAX_BYTES (1024 * 1024)

/* The lspkit folder and the log's path in it, under the machine's
 * ProgramData (from the system: storage.h). */
static BOOL log_path(WCHAR *dir, WCHAR *path, DWORD size)
{
    WCHAR base[MAX_PATH];
    int n, m;

    if (!storage_program_data(base, MAX_PATH))
        return FALSE;
    n = _snwprintf(dir, size, L"%ls\\lspkit", base);
    m = _snwprintf(path, size, L"%ls\\lspkit\\lspkit.log", base);
    return n > 0 && (DWORD)n < size && m > 0 && (DWORD)m < size;
}

/* "2026-11-22T05:15:00Z curl.exe[1234] " */
static int line_prefix(char *out, size_t size)
{
    WCHAR name[MAX_PATH];
    char image[MAX_PATH * 3];
    SYSTEMTIME now;

    image_name(name, MAX_PATH);
    text_utf8(name, image, sizeof(image));
    GetSystemTime(&now);
    return snprintf(out, size, "%04u-%02u-%02uT%02u:%02u:%02uZ %s[%lu] ", now.wYear, now.wMonth,
                    now.wDay, now.wHour, now.wMinute, now.wSecond, image,
                    GetCurrentProcessId());
}

static BOOL full(HANDLE file)
{
    LARGE_INTEGER size;

    return GetFileSizeEx(file, &size) && size.QuadPart >= LOG_MAX_BYTES;
}

/* lspkit.log becomes lspkit.1.log. Another process writing to it just
 * now keeps it from moving: the next line tries again. */
static void rotate(const WCHAR *path)
{
    WCHAR old[MAX_PATH];
    size_t len = wcslen(path);

    if (len < 4 || len + 2 >= MAX_PATH)
        return;
    wmemcpy(old, path, len - 4);
    wcscpy(old + len - 4, L".1.log");
    MoveFileExW(path, old, MOVEFILE_REPLACE_EXISTING);
}

/* Append-only access: every write lands at the end, even when several
 * processes log at once. A log that is a link, or in a folder that is or
 * belongs to another user, is not written (storage.h). */
static HANDLE open_log(void)
{
    WCHAR path[MAX_PATH], dir[MAX_PATH];
    PSECURITY_DESCRIPTOR folder_sd = NULL, file_sd = NULL;
    HANDLE file = INVALID_HANDLE_VALUE;
    DWORD error;

    if (!log_path(dir, path, MAX_PATH))
        return INVALID_HANDLE_VALUE;
    folder_sd = storage_security(STORAGE_FOLDER, NULL);
    file_sd = storage_security(STORAGE_LOG_FILE, NULL);
    if (folder_sd && file_sd && !storage_make_directory(dir, folder_sd))
        file = storage_open_file(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                 OPEN_ALWAYS, file_sd, &error);
    if (file != INVALID_HANDLE_VALUE && full(file)) {
        CloseHandle(file);
        rotate(path);
        file = storage_open_file(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                 OPEN_ALWAYS, file_sd, &error);
    }
    LocalFree(folder_sd);
    LocalFree(file_sd);
    return file;
}

void log_line(const char *format, ...)
{
    char line[LINE_MAX_BYTES];
    int n = line_prefix(line, sizeof(line) - 2);
    va_list args;
    DWORD written;
    HANDLE file;

    if (n < 0 || n >= (int)sizeof(line) - 2)
        n = 0;
    va_start(args, format);
    int m = vsnprintf(line + n, sizeof(line) - 2 - n, format, args);
    va_end(args);
    if (m < 0)
        m = 0;
    n += m;
    if (n > (int)sizeof(line) - 3)
        n = sizeof(line) - 3;    /* truncated: the line still ends */
    line[n++] = '\r';
    line[n++] = '\n';
    file = open_log();
    if (file == INVALID_HANDLE_VALUE)
        return;
    WriteFile(file, line, (DWORD)n, &written, NULL);
    CloseHandle(file);
}
