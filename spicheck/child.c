/* SPDX-License-Identifier: MIT */
/* child.c: one clause test in its own process (`spicheck --child ID`):
 * the verdict is the exit code, the reason the last line printed. */
#include "sc.h"
#include "spicheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct sc_env sc_env;

/* Ends the process now, without DLL detach (see sc.h). */
void sc_end(int code)
{
    fflush(stdout);
    fflush(stderr);
    TerminateProcess(GetCurrentProcess(), (UINT)code);
    ExitProcess((UINT)code);
}

__attribute__((noreturn)) static void fail_with(const char *where, const char *fmt, va_list ap)
{
    printf("FAIL %s: ", where);
    vprintf(fmt, ap);
    printf("\n");
    sc_end(SC_EXIT_FAIL);
}

void sc_fail_at(const char *file, int line, const char *fmt, ...)
{
    const char *base = strrchr(file, '/');
    char where[MAX_PATH];
    va_list ap;

    snprintf(where, sizeof(where), "%s:%d", base ? base + 1 : file, line);
    va_start(ap, fmt);
    fail_with(where, fmt, ap);
}

/* The socket builders' failure (sockwait.h): the clause fails. */
void sock_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_with("socket setup", fmt, ap);
}

static char soft[1024];

void sc_soft_fail_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    const char *base = strrchr(file, '/');
    size_t n = strlen(soft);

    if (n + 4 >= sizeof(soft))
        return;
    n += snprintf(soft + n, sizeof(soft) - n, "%s%s:%d: ", n ? "; " : "", base ? base + 1 : file,
                  line);
    if (n >= sizeof(soft))
        return;
    va_start(ap, fmt);
    vsnprintf(soft + n, sizeof(soft) - n, fmt, ap);
    va_end(ap);
}

void sc_skip(const char *fmt, ...)
{
    va_list ap;

    printf("SKIP ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    sc_end(SC_EXIT_SKIP);
}

void sc_note(const char *fmt, ...)
{
    va_list ap;

    printf("note: ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* Every Winsock error code of winerror.h and winsock2.h but the QoS ones. */
#define NAME(code) { code, #code }
const char *sc_error_name(int code)
{
    static const struct { int code; const char *name; } names[] = {
        { 0, "no error" },
        NAME(WSA_IO_PENDING), NAME(WSA_IO_INCOMPLETE), NAME(WSA_OPERATION_ABORTED),
        NAME(WSA_INVALID_HANDLE), NAME(WSA_INVALID_PARAMETER), NAME(WSA_NOT_ENOUGH_MEMORY),
        NAME(WSAEINTR), NAME(WSAEBADF), NAME(WSAEACCES), NAME(WSAEFAULT), NAME(WSAEINVAL),
        NAME(WSAEMFILE), NAME(WSAEWOULDBLOCK), NAME(WSAEINPROGRESS), NAME(WSAEALREADY),
        NAME(WSAENOTSOCK), NAME(WSAEDESTADDRREQ), NAME(WSAEMSGSIZE), NAME(WSAEPROTOTYPE),
        NAME(WSAENOPROTOOPT), NAME(WSAEPROTONOSUPPORT), NAME(WSAESOCKTNOSUPPORT),
        NAME(WSAEOPNOTSUPP), NAME(WSAEPFNOSUPPORT), NAME(WSAEAFNOSUPPORT), NAME(WSAEADDRINUSE),
        NAME(WSAEADDRNOTAVAIL), NAME(WSAENETDOWN), NAME(WSAENETUNREACH), NAME(WSAENETRESET),
        NAME(WSAECONNABORTED), NAME(WSAECONNRESET), NAME(WSAENOBUFS), NAME(WSAEISCONN),
        NAME(WSAENOTCONN), NAME(WSAESHUTDOWN), NAME(WSAETOOMANYREFS), NAME(WSAETIMEDOUT),
        NAME(WSAECONNREFUSED), NAME(WSAELOOP), NAME(WSAENAMETOOLONG), NAME(WSAEHOSTDOWN),
        NAME(WSAEHOSTUNREACH), NAME(WSAENOTEMPTY), NAME(WSAEPROCLIM), NAME(WSAEUSERS),
        NAME(WSAEDQUOT), NAME(WSAESTALE), NAME(WSAEREMOTE), NAME(WSASYSNOTREADY),
        NAME(WSAVERNOTSUPPORTED), NAME(WSANOTINITIALISED), NAME(WSAEDISCON), NAME(WSAENOMORE),
        NAME(WSAECANCELLED), NAME(WSAEINVALIDPROCTABLE), NAME(WSAEINVALIDPROVIDER),
        NAME(WSAEPROVIDERFAILEDINIT), NAME(WSASYSCALLFAILURE), NAME(WSASERVICE_NOT_FOUND),
        NAME(WSATYPE_NOT_FOUND), NAME(WSA_E_NO_MORE), NAME(WSA_E_CANCELLED), NAME(WSAEREFUSED),
        NAME(WSAHOST_NOT_FOUND), NAME(WSATRY_AGAIN), NAME(WSANO_RECOVERY), NAME(WSANO_DATA),
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].code == code)
            return names[i].name;
    return "?";
}
#undef NAME

/* Unhandled exceptions end the child with a line that says so. */
static LONG WINAPI on_crash(EXCEPTION_POINTERS *info)
{
    printf("FAIL crashed: exception 0x%08lx at %p\n",
           (unsigned long)info->ExceptionRecord->ExceptionCode,
           info->ExceptionRecord->ExceptionAddress);
    sc_end(SC_EXIT_FAIL);
}

int child_run(const struct sc_test *test)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    SetUnhandledExceptionFilter(on_crash);
    /* No error dialogs from a crash or a missing DLL under test. */
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    if (!arrangement_verify(sc_env.arrangement))
        sc_end(SC_EXIT_FAIL);
    if (!(test->flags & SC_NO_STARTUP))
        sc_startup();
    test->run();
    if (soft[0]) {
        printf("FAIL %s\n", soft);
        sc_end(SC_EXIT_FAIL);
    }
    printf("PASS\n");
    sc_end(SC_EXIT_PASS);
}
