/* SPDX-License-Identifier: MIT */
/* runner.c: one clause test in a child process, under a time limit; and
 * the other programs the runner starts the same way (the GetLspGuid
 * question, the user's install commands: arrange.c).
 *
 * The child's output goes to a temporary file (a pipe would need a reader
 * thread, and a child killed mid-line must not block anything); its exit
 * code is the verdict (sc.h) and its last FAIL or SKIP line the reason.
 * A child still running at the limit is terminated: its clause fails, and
 * the run goes on. */
#include "spicheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Everything the child printed, NUL-terminated (malloc'd), or NULL. */
static char *read_output(HANDLE file)
{
    LARGE_INTEGER size;
    DWORD got = 0;
    char *text;

    if (!GetFileSizeEx(file, &size) || size.QuadPart > (1 << 20))
        size.QuadPart = 1 << 20;
    text = malloc((size_t)size.QuadPart + 1);
    if (!text)
        return NULL;
    SetFilePointer(file, 0, NULL, FILE_BEGIN);
    if (!ReadFile(file, text, (DWORD)size.QuadPart, &got, NULL))
        got = 0;
    text[got] = 0;
    return text;
}

/* The text after the last line starting with PREFIX, up to its end. */
static BOOL last_line(const char *text, const char *prefix, char *out, size_t len)
{
    const char *line = text, *found = NULL;
    size_t plen = strlen(prefix), n;

    while (line && *line) {
        if (!strncmp(line, prefix, plen))
            found = line + plen;
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    if (!found)
        return FALSE;
    n = strcspn(found, "\r\n");
    if (n >= len)
        n = len - 1;
    memcpy(out, found, n);
    out[n] = 0;
    return TRUE;
}

void runner_show(const char *label, const char *text)
{
    const char *line = text;

    while (line && *line) {
        size_t n = strcspn(line, "\r\n");
        if (n)
            printf("    %s| %.*s\n", label, (int)n, line);
        line += n;
        line += strspn(line, "\r\n");
    }
}

static HANDLE output_file(void)
{
    SECURITY_ATTRIBUTES inherit = { sizeof(inherit), NULL, TRUE };
    WCHAR dir[MAX_PATH], path[MAX_PATH];

    if (!GetTempPathW(MAX_PATH, dir) || !GetTempFileNameW(dir, L"spc", 0, path))
        return INVALID_HANDLE_VALUE;
    return CreateFileW(path, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                       &inherit, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
}

/* The command line of a child running TEST in arrangement A. */
static void child_command(WCHAR *cmd, size_t len, const WCHAR *exe, enum sc_arrangement a,
                          const struct sc_test *test)
{
    char guid[GUID_TEXT_LEN];
    int n = _snwprintf(cmd, len, L"\"%ls\" --child %hs --arrangement %hs", exe, test->clause,
                       sc_arrangement_name(a));

    if (a == SC_LAYERED && n > 0) {
        arrangement_guid_text(&sc_env.layered_guid, guid);
        _snwprintf(cmd + n, len - n, L" --provider \"%ls\" --guid %hs --over %hs%hs%hs",
                   sc_env.provider, guid, (sc_env.over & SC_OVER_TCP) ? "tcp" : "",
                   sc_env.over == (SC_OVER_TCP | SC_OVER_UDP) ? "," : "",
                   (sc_env.over & SC_OVER_UDP) ? "udp" : "");
    }
    cmd[len - 1] = 0;
}

static void verdict_from(DWORD code, BOOL timed_out, DWORD limit, const char *text,
                         struct sc_result *out)
{
    char line[sizeof(out->reason)] = "";

    if (timed_out) {
        out->verdict = SC_FAIL;
        snprintf(out->reason, sizeof(out->reason), "timed out after %.1f s (hang)%s%s",
                 limit / 1000.0, text && last_line(text, "note: ", line, sizeof(line)) ?
                 "; last note: " : "", line);
        return;
    }
    switch (code) {
    case SC_EXIT_PASS:
        if (text && strstr(text, "PASS")) {
            out->verdict = SC_PASS;
            out->reason[0] = 0;
            return;
        }
        out->verdict = SC_FAIL;
        snprintf(out->reason, sizeof(out->reason), "the child exited 0 without a verdict");
        return;
    case SC_EXIT_SKIP:
        out->verdict = SC_SKIP;
        if (!text || !last_line(text, "SKIP ", out->reason, sizeof(out->reason)))
            snprintf(out->reason, sizeof(out->reason), "not testable here");
        return;
    case SC_EXIT_FAIL:
        out->verdict = SC_FAIL;
        if (!text || !last_line(text, "FAIL ", out->reason, sizeof(out->reason)))
            snprintf(out->reason, sizeof(out->reason), "failed without a reason");
        return;
    default:
        out->verdict = SC_FAIL;
        if (text && last_line(text, "FAIL ", line, sizeof(line)))
            snprintf(out->reason, sizeof(out->reason), "%s", line);
        else
            snprintf(out->reason, sizeof(out->reason),
                     "the child died with exit code 0x%08lx (a crash, or a DLL that "
                     "could not be loaded)", (unsigned long)code);
    }
}

BOOL runner_exec(WCHAR *cmd, DWORD limit, struct runner_exit *out)
{
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    HANDLE file = output_file();

    memset(out, 0, sizeof(*out));
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (file == INVALID_HANDLE_VALUE) {
        out->error = GetLastError();
        return FALSE;
    }
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = NULL;
    si.hStdOutput = si.hStdError = file;
    if (!CreateProcessW(NULL, cmd, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi)) {
        out->error = GetLastError();
        CloseHandle(file);
        return FALSE;
    }
    CloseHandle(pi.hThread);
    if (WaitForSingleObject(pi.hProcess, limit) == WAIT_TIMEOUT) {
        out->timed_out = TRUE;
        TerminateProcess(pi.hProcess, 0xDEAD);
        WaitForSingleObject(pi.hProcess, 10000);
    }
    GetExitCodeProcess(pi.hProcess, &out->code);
    CloseHandle(pi.hProcess);
    out->text = read_output(file);
    CloseHandle(file);
    return TRUE;
}

void runner_run(const WCHAR *exe, enum sc_arrangement a, const struct sc_test *test,
                const struct run_options *opt, struct sc_result *out)
{
    WCHAR cmd[2 * MAX_PATH + 256];
    DWORD limit = opt->timeout_ms ? opt->timeout_ms : test->timeout_ms;
    ULONGLONG start = GetTickCount64();
    struct runner_exit child;

    memset(out, 0, sizeof(*out));
    child_command(cmd, sizeof(cmd) / sizeof(cmd[0]), exe, a, test);
    if (!runner_exec(cmd, limit, &child)) {
        out->verdict = SC_FAIL;
        snprintf(out->reason, sizeof(out->reason), "runner: cannot start %ls: error %lu", exe,
                 child.error);
        return;
    }
    out->seconds = (GetTickCount64() - start) / 1000.0;
    verdict_from(child.code, child.timed_out, limit, child.text, out);
    if (opt->verbose && child.text)
        runner_show(test->clause, child.text);
    free(child.text);
}
