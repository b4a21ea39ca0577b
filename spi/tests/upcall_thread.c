/* SPDX-License-Identifier: MIT */
/* Threads: WPUOpenCurrentThread / WPUCloseThread give a real handle of the
 * calling thread; WPUQueueApc queues to it from any thread, and the APC
 * runs in that thread only in an alertable wait; the WSATHREADID the front
 * end passes to providers (dthread.c) works the same way. */
#include "upcall_test.h"

static BOOL handle_open(HANDLE h)
{
    DWORD flags;

    return GetHandleInformation(h, &flags);
}

static HANDLE start_thread(LPTHREAD_START_ROUTINE routine, void *param)
{
    HANDLE thread = CreateThread(NULL, 0, routine, param, 0, NULL);

    ck_assert_ptr_nonnull(thread);
    return thread;
}

static void join(HANDLE thread)
{
    ck_assert_uint_eq(WaitForSingleObject(thread, UPCALL_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
}

/* Another thread asks which thread the WSATHREADID's handle names. */
static DWORD WINAPI report_thread_id(void *param)
{
    WSATHREADID *id = param;

    return GetThreadId(id->ThreadHandle);
}

START_TEST(test_open_current_thread_gives_real_handle)
{
    WSATHREADID id = { 0 };
    HANDLE thread;
    DWORD seen = 0;
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUOpenCurrentThread(&id, &error), 0);
    ck_assert_ptr_nonnull(id.ThreadHandle);
    ck_assert_ptr_ne(id.ThreadHandle, GetCurrentThread());
    ck_assert_uint_eq(GetThreadId(id.ThreadHandle), GetCurrentThreadId());

    thread = start_thread(report_thread_id, &id);
    ck_assert_uint_eq(WaitForSingleObject(thread, UPCALL_WAIT_MS), WAIT_OBJECT_0);
    ck_assert(GetExitCodeThread(thread, &seen));
    ck_assert_uint_eq(seen, GetCurrentThreadId());
    CloseHandle(thread);

    thread = id.ThreadHandle;
    ck_assert_int_eq(upcalls->lpWPUCloseThread(&id, &error), 0);
    ck_assert(!handle_open(thread));

    ck_assert_int_eq(upcalls->lpWPUOpenCurrentThread(NULL, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    ck_assert_int_eq(upcalls->lpWPUCloseThread(NULL, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
}
END_TEST

struct apc_probe {
    LONG runs;
    DWORD thread;                 /* where it ran */
    DWORD_PTR context;
};

static void CALLBACK record_apc(DWORD_PTR context)
{
    struct apc_probe *probe = (struct apc_probe *)context;

    probe->thread = GetCurrentThreadId();
    probe->context = context;
    InterlockedIncrement(&probe->runs);
}

struct queue_request {
    WSATHREADID id;
    struct apc_probe *probe;
    int result, error;
};

static DWORD WINAPI queue_from_here(void *param)
{
    struct queue_request *request = param;

    request->result = upcalls->lpWPUQueueApc(&request->id, record_apc,
                                             (DWORD_PTR)request->probe, &request->error);
    return 0;
}

START_TEST(test_queue_apc_runs_in_target_thread_when_alertable)
{
    struct apc_probe probe = { 0 };
    struct queue_request request = { .probe = &probe };
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUOpenCurrentThread(&request.id, &error), 0);
    join(start_thread(queue_from_here, &request));
    ck_assert_int_eq(request.result, 0);

    /* Queued, but not run: no alertable wait yet. */
    Sleep(50);
    ck_assert_int_eq(probe.runs, 0);
    ck_assert_uint_eq(SleepEx(UPCALL_WAIT_MS, TRUE), WAIT_IO_COMPLETION);
    ck_assert_int_eq(probe.runs, 1);
    ck_assert_uint_eq(probe.thread, GetCurrentThreadId());
    ck_assert_uint_eq(probe.context, (DWORD_PTR)&probe);

    ck_assert_int_eq(upcalls->lpWPUCloseThread(&request.id, &error), 0);
}
END_TEST

START_TEST(test_queue_apc_bad_input)
{
    WSATHREADID none = { 0 };
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUQueueApc(NULL, record_apc, 0, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    ck_assert_int_eq(upcalls->lpWPUOpenCurrentThread(&none, &error), 0);
    ck_assert_int_eq(upcalls->lpWPUQueueApc(&none, NULL, 0, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    ck_assert_int_eq(upcalls->lpWPUCloseThread(&none, &error), 0);
    /* A closed WSATHREADID names no thread any more. */
    ck_assert_int_eq(upcalls->lpWPUQueueApc(&none, record_apc, 0, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEINVAL);
}
END_TEST

/* The front end's own WSATHREADID (dthread_current_id): the probe's WSPRecv
 * queues the completion routine from another thread with it (S16, S17). */
struct routine_run {
    DWORD issuing_thread;
    DWORD ran_in;
    LONG runs;
    DWORD wait;                   /* what the alertable wait returned */
    HANDLE id_handle;             /* the WSATHREADID handle the probe saw */
    HANDLE second_id_handle;      /* and for a second call in the same thread */
};

static struct routine_run *current_run;

static void CALLBACK recv_routine(DWORD error, DWORD count, LPWSAOVERLAPPED overlapped,
                                  DWORD flags)
{
    (void)error; (void)count; (void)overlapped; (void)flags;
    current_run->ran_in = GetCurrentThreadId();
    InterlockedIncrement(&current_run->runs);
}

static HANDLE recv_with_routine(SOCKET s, WSAOVERLAPPED *overlapped)
{
    probe_last_thread_id_fn last_id = (probe_last_thread_id_fn)(void *)GetProcAddress(
        GetModuleHandleW(L"probe_provider.dll"), "probe_last_thread_id");
    DWORD received = 0, flags = 0;
    WSABUF buffer = { 0, NULL };

    if (WSARecv(s, &buffer, 1, &received, &flags, overlapped, recv_routine) != SOCKET_ERROR ||
        WSAGetLastError() != WSA_IO_PENDING)
        return NULL;
    return last_id().ThreadHandle;
}

static DWORD WINAPI issue_recv(void *param)
{
    struct routine_run *run = param;
    WSAOVERLAPPED overlapped = { 0 };
    SOCKET s = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO,
                          &probe_entry, 0, WSA_FLAG_OVERLAPPED);

    run->issuing_thread = GetCurrentThreadId();
    run->id_handle = recv_with_routine(s, &overlapped);
    if (run->id_handle)
        run->wait = SleepEx(UPCALL_WAIT_MS, TRUE);
    run->second_id_handle = recv_with_routine(s, &overlapped);
    if (run->second_id_handle)
        SleepEx(UPCALL_WAIT_MS, TRUE);
    closesocket(s);
    return 0;
}

START_TEST(test_front_end_thread_id_reaches_issuing_thread)
{
    struct routine_run run = { 0 };

    current_run = &run;
    join(start_thread(issue_recv, &run));
    ck_assert_ptr_nonnull(run.id_handle);
    ck_assert_uint_eq(run.wait, WAIT_IO_COMPLETION);
    ck_assert_int_eq(run.runs, 2);
    ck_assert_uint_eq(run.ran_in, run.issuing_thread);
    /* One WSATHREADID per thread, kept for its life... */
    ck_assert_ptr_eq(run.second_id_handle, run.id_handle);
    /* ...and closed when the thread ends. */
    ck_assert(!handle_open(run.id_handle));
}
END_TEST

TCase *upcall_thread_tcase(void)
{
    TCase *tc = tcase_create("threads");

    tcase_add_test(tc, test_open_current_thread_gives_real_handle);
    tcase_add_test(tc, test_queue_apc_runs_in_target_thread_when_alertable);
    tcase_add_test(tc, test_queue_apc_bad_input);
    tcase_add_test(tc, test_front_end_thread_id_reaches_issuing_thread);
    return tc;
}
