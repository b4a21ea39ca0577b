/* SPDX-License-Identifier: MIT */
/* The remaining upcalls: events, WPUPostMessage, WPUFDIsSet,
 * WPUGetProviderPath and WPUQueryBlockingCallback. */
#include "upcall_test.h"

static BOOL signalled(HANDLE event)
{
    return WaitForSingleObject(event, 0) == WAIT_OBJECT_0;
}

/* Like WSACreateEvent: manual-reset, created clear. */
START_TEST(test_events)
{
    int error = 0;
    WSAEVENT event = upcalls->lpWPUCreateEvent(&error);

    ck_assert_ptr_nonnull(event);
    ck_assert(!signalled(event));
    ck_assert(upcalls->lpWPUSetEvent(event, &error));
    ck_assert(signalled(event));
    ck_assert(signalled(event));      /* a wait does not reset it */
    ck_assert(upcalls->lpWPUResetEvent(event, &error));
    ck_assert(!signalled(event));
    ck_assert(upcalls->lpWPUCloseEvent(event, &error));

    error = 0;
    ck_assert(!upcalls->lpWPUCloseEvent(event, &error));
    ck_assert_int_eq(error, WSA_INVALID_HANDLE);
    error = 0;
    ck_assert(!upcalls->lpWPUSetEvent(NULL, &error));
    ck_assert_int_eq(error, WSA_INVALID_HANDLE);
    error = 0;
    ck_assert(!upcalls->lpWPUResetEvent(NULL, &error));
    ck_assert_int_eq(error, WSA_INVALID_HANDLE);
}
END_TEST

START_TEST(test_post_message)
{
    HWND window = CreateWindowExW(0, L"STATIC", L"upcall", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL,
                                  NULL, NULL);
    MSG message;

    ck_assert_ptr_nonnull(window);
    ck_assert(upcalls->lpWPUPostMessage(window, WM_APP + 7, 11, 22));
    ck_assert(PeekMessageW(&message, window, WM_APP + 7, WM_APP + 7, PM_REMOVE));
    ck_assert_ptr_eq(message.hwnd, window);
    ck_assert_uint_eq(message.wParam, 11);
    ck_assert_int_eq(message.lParam, 22);
    DestroyWindow(window);
    /* A window that no longer exists. */
    ck_assert(!upcalls->lpWPUPostMessage(window, WM_APP + 7, 0, 0));
}
END_TEST

START_TEST(test_fd_is_set)
{
    fd_set set;

    FD_ZERO(&set);
    ck_assert_int_eq(upcalls->lpWPUFDIsSet(4, &set), 0);
    FD_SET(4, &set);
    FD_SET(8, &set);
    FD_SET(12, &set);
    ck_assert_int_ne(upcalls->lpWPUFDIsSet(4, &set), 0);
    ck_assert_int_ne(upcalls->lpWPUFDIsSet(12, &set), 0);
    ck_assert_int_eq(upcalls->lpWPUFDIsSet(16, &set), 0);
    FD_CLR(12, &set);
    ck_assert_int_eq(upcalls->lpWPUFDIsSet(12, &set), 0);
    ck_assert_int_eq(upcalls->lpWPUFDIsSet(4, NULL), 0);
}
END_TEST

START_TEST(test_provider_path)
{
    WCHAR path[MAX_PATH];
    int length = MAX_PATH, error = 0;
    int needed = lstrlenW(probe_path) + 1;

    ck_assert_int_eq(upcalls->lpWPUGetProviderPath((GUID *)&probe_guid, path, &length, &error),
                     0);
    ck_assert_int_eq(lstrcmpiW(path, probe_path), 0);
    ck_assert_int_eq(length, needed);

    /* Too short: WSAEFAULT, and the length needed. */
    length = needed - 1;
    ck_assert_int_eq(upcalls->lpWPUGetProviderPath((GUID *)&probe_guid, path, &length, &error),
                     SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    ck_assert_int_eq(length, needed);
}
END_TEST

/* The base providers' paths come back unexpanded, as the catalog has them. */
START_TEST(test_provider_path_unexpanded)
{
    WCHAR path[MAX_PATH];
    int length = MAX_PATH, error = 0;
    GUID base = probe_entry.ProviderId;
    WSAPROTOCOL_INFOW entries[64];
    DWORD size = sizeof(entries);
    int i, count = WSAEnumProtocolsW(NULL, entries, &size);

    for (i = 0; i < count; i++)
        if (!IsEqualGUID(&entries[i].ProviderId, &probe_guid))
            base = entries[i].ProviderId;
    ck_assert(!IsEqualGUID(&base, &probe_guid));
    ck_assert_int_eq(upcalls->lpWPUGetProviderPath(&base, path, &length, &error), 0);
    ck_assert_msg(wcsstr(path, L"%SystemRoot%") == path, "path %ls", path);
}
END_TEST

START_TEST(test_provider_path_bad_input)
{
    static const GUID unknown = { 0x6c5a01ff, 0, 0, { 0, 0, 0, 0, 0, 0, 0, 1 } };
    WCHAR path[MAX_PATH];
    int length = MAX_PATH, error = 0;

    ck_assert_int_eq(upcalls->lpWPUGetProviderPath((GUID *)&unknown, path, &length, &error),
                     SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEINVAL);
    error = 0;
    ck_assert_int_eq(upcalls->lpWPUGetProviderPath(NULL, path, &length, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    error = 0;
    ck_assert_int_eq(upcalls->lpWPUGetProviderPath((GUID *)&probe_guid, NULL, &length, &error),
                     SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    error = 0;
    ck_assert_int_eq(upcalls->lpWPUGetProviderPath((GUID *)&probe_guid, path, NULL, &error),
                     SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
}
END_TEST

struct cancel_request {
    LPBLOCKINGCALLBACK callback;
    DWORD_PTR context;
    BOOL answer;
};

/* Cancels in this (other) thread, then polls the callback here. */
static DWORD WINAPI cancel_elsewhere(void *param)
{
    struct cancel_request *request = param;

    WSACancelBlockingCall();
    request->answer = request->callback(request->context);
    return 0;
}

START_TEST(test_blocking_callback)
{
    struct cancel_request request;
    LPBLOCKINGCALLBACK callback = NULL;
    DWORD_PTR context = 0;
    HANDLE thread;
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUQueryBlockingCallback(probe_entry.dwCatalogEntryId, &callback,
                                                         &context, &error), 0);
    ck_assert_ptr_nonnull(callback);
    ck_assert(callback(context));
    ck_assert(callback(context));

    /* WSACancelBlockingCall in this thread: the next poll says stop, once. */
    WSACancelBlockingCall();
    ck_assert(!callback(context));
    ck_assert(callback(context));

    /* A cancellation in another thread is that thread's alone. */
    request.callback = callback;
    request.context = context;
    request.answer = TRUE;
    thread = CreateThread(NULL, 0, cancel_elsewhere, &request, 0, NULL);
    ck_assert_ptr_nonnull(thread);
    ck_assert_uint_eq(WaitForSingleObject(thread, UPCALL_WAIT_MS), WAIT_OBJECT_0);
    CloseHandle(thread);
    ck_assert(!request.answer);
    ck_assert(callback(context));

    /* A cancellation before a blocking call begins does not end it. */
    WSACancelBlockingCall();
    ck_assert_int_eq(upcalls->lpWPUQueryBlockingCallback(probe_entry.dwCatalogEntryId, &callback,
                                                         &context, &error), 0);
    ck_assert(callback(context));
}
END_TEST

START_TEST(test_blocking_callback_bad_input)
{
    LPBLOCKINGCALLBACK callback;
    DWORD_PTR context;
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUQueryBlockingCallback(0xFFFFFFF0, &callback, &context,
                                                         &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEINVAL);
    error = 0;
    ck_assert_int_eq(upcalls->lpWPUQueryBlockingCallback(probe_entry.dwCatalogEntryId, NULL,
                                                         &context, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    error = 0;
    ck_assert_int_eq(upcalls->lpWPUQueryBlockingCallback(probe_entry.dwCatalogEntryId, &callback,
                                                         NULL, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
}
END_TEST

/* Every slot of the table is filled. */
START_TEST(test_table_complete)
{
    const FARPROC *slot = (const FARPROC *)upcalls;
    size_t i;

    for (i = 0; i < sizeof(*upcalls) / sizeof(FARPROC); i++)
        ck_assert_msg(slot[i] != NULL, "upcall slot %u is NULL", (unsigned)i);
}
END_TEST

TCase *upcall_misc_tcase(void)
{
    TCase *tc = tcase_create("misc");

    tcase_add_test(tc, test_table_complete);
    tcase_add_test(tc, test_events);
    tcase_add_test(tc, test_post_message);
    tcase_add_test(tc, test_fd_is_set);
    tcase_add_test(tc, test_provider_path);
    tcase_add_test(tc, test_provider_path_unexpanded);
    tcase_add_test(tc, test_provider_path_bad_input);
    tcase_add_test(tc, test_blocking_callback);
    tcase_add_test(tc, test_blocking_callback_bad_input);
    return tc;
}
