/* SPDX-License-Identifier: MIT */
/* Socket handles: WPUCreateSocketHandle, WPUQuerySocketHandleContext,
 * WPUCloseSocketHandle, WPUModifyIFSHandle, and the driver service that
 * backs the non-IFS handles. */
#include "upcall_test.h"

static SOCKET create_handle(DWORD_PTR context)
{
    int error = 0;
    SOCKET s = upcalls->lpWPUCreateSocketHandle(probe_entry.dwCatalogEntryId, context, &error);

    ck_assert_msg(s != INVALID_SOCKET, "WPUCreateSocketHandle: error %d", error);
    return s;
}

static DWORD_PTR context_of(SOCKET s)
{
    DWORD_PTR context = 0;
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUQuerySocketHandleContext(s, &context, &error), 0);
    return context;
}

static int query_error(SOCKET s)
{
    DWORD_PTR context = 0;
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUQuerySocketHandleContext(s, &context, &error), SOCKET_ERROR);
    return error;
}

static BOOL handle_open(SOCKET s)
{
    DWORD flags;

    return GetHandleInformation((HANDLE)s, &flags);
}

START_TEST(test_created_handles_are_real_and_unique)
{
    SOCKET a = create_handle(0x1111), b = create_handle(0x2222);
    int error = 0;

    ck_assert_uint_ne(a, b);
    ck_assert(handle_open(a));
    ck_assert(handle_open(b));
    /* What a socket handle answers on Windows (an AFD named-pipe device). */
    ck_assert_int_eq(GetFileType((HANDLE)a), FILE_TYPE_PIPE);
    ck_assert_uint_eq(context_of(a), 0x1111);
    ck_assert_uint_eq(context_of(b), 0x2222);

    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(a, &error), 0);
    ck_assert(!handle_open(a));
    ck_assert_int_eq(query_error(a), WSAENOTSOCK);
    ck_assert_uint_eq(context_of(b), 0x2222);
    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(b, &error), 0);
}
END_TEST

START_TEST(test_created_handle_binds_to_completion_port)
{
    SOCKET s = create_handle(0);
    HANDLE port = bind_new_port(s, 1);
    int error = 0;

    /* A handle is bound to one port only: the second binding fails. */
    ck_assert_ptr_null(CreateIoCompletionPort((HANDLE)s, NULL, 2, 0));
    CloseHandle(port);
    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(s, &error), 0);
}
END_TEST

START_TEST(test_close_twice_fails)
{
    SOCKET s = create_handle(0);
    int error = 0;

    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(s, &error), 0);
    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(s, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAENOTSOCK);
}
END_TEST

START_TEST(test_query_context_bad_input)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    SOCKET s = create_handle(0);
    int error = 0;

    ck_assert_int_eq(query_error(INVALID_SOCKET), WSAENOTSOCK);
    ck_assert_int_eq(query_error((SOCKET)event), WSAENOTSOCK);
    ck_assert_int_eq(upcalls->lpWPUQuerySocketHandleContext(s, NULL, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEFAULT);
    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle(s, &error), 0);
    CloseHandle(event);
}
END_TEST

/* A provider's own socket, registered through WPUModifyIFSHandle, is not
 * one WPUCreateSocketHandle made: the non-IFS upcalls leave it alone. */
START_TEST(test_modify_ifs_handle)
{
    HANDLE event = CreateEventW(NULL, TRUE, FALSE, NULL);
    WSAOVERLAPPED overlapped = { 0 };
    int error = 0;

    ck_assert_uint_eq(upcalls->lpWPUModifyIFSHandle(probe_entry.dwCatalogEntryId,
                                                    (SOCKET)event, &error), (SOCKET)event);
    ck_assert_int_eq(query_error((SOCKET)event), WSAENOTSOCK);
    ck_assert_int_eq(upcalls->lpWPUCloseSocketHandle((SOCKET)event, &error), SOCKET_ERROR);
    ck_assert_int_eq(error, WSAENOTSOCK);
    ck_assert(handle_open((SOCKET)event));
    ck_assert_int_eq(WPUCompleteOverlappedRequest((SOCKET)event, &overlapped, 0, 0, &error),
                     SOCKET_ERROR);
    ck_assert_int_eq(error, WSAEINVAL);
    CloseHandle(event);

    ck_assert_uint_eq(upcalls->lpWPUModifyIFSHandle(probe_entry.dwCatalogEntryId,
                                                    INVALID_SOCKET, &error), INVALID_SOCKET);
    ck_assert_int_eq(error, WSAEINVAL);
}
END_TEST

/* The front end's own path: socket() through the probe registers the
 * probe's handle, closesocket ends it through WPUCloseSocketHandle. */
START_TEST(test_socket_through_front_end)
{
    SOCKET s = probe_socket();

    ck_assert_uint_gt(context_of(s), PROBE_CONTEXT_BASE);
    ck_assert_int_eq(closesocket(s), 0);
    ck_assert(!handle_open(s));
    ck_assert_int_eq(query_error(s), WSAENOTSOCK);
}
END_TEST

/* The first handle installed and started the driver as a demand-start
 * kernel driver service. */
START_TEST(test_driver_service_running)
{
    SC_HANDLE manager = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), service;
    QUERY_SERVICE_CONFIGW *config;
    SERVICE_STATUS status;
    DWORD size = 0;

    ck_assert_ptr_nonnull(manager);
    service = OpenServiceW(manager, L"lspkit_ifs", SERVICE_QUERY_STATUS | SERVICE_QUERY_CONFIG);
    ck_assert_ptr_nonnull(service);
    ck_assert(QueryServiceStatus(service, &status));
    ck_assert_uint_eq(status.dwCurrentState, SERVICE_RUNNING);
    QueryServiceConfigW(service, NULL, 0, &size);
    config = HeapAlloc(GetProcessHeap(), 0, size);
    ck_assert(QueryServiceConfigW(service, config, size, &size));
    ck_assert_uint_eq(config->dwServiceType, SERVICE_KERNEL_DRIVER);
    ck_assert_uint_eq(config->dwStartType, SERVICE_DEMAND_START);
    ck_assert_msg(wcsstr(config->lpBinaryPathName, L"lspkit_ifs.sys") != NULL,
                  "binary path %ls", config->lpBinaryPathName);
    HeapFree(GetProcessHeap(), 0, config);
    CloseServiceHandle(service);
    CloseServiceHandle(manager);
}
END_TEST

TCase *upcall_handle_tcase(void)
{
    TCase *tc = tcase_create("handles");

    tcase_add_test(tc, test_created_handles_are_real_and_unique);
    tcase_add_test(tc, test_created_handle_binds_to_completion_port);
    tcase_add_test(tc, test_close_twice_fails);
    tcase_add_test(tc, test_query_context_bad_input);
    tcase_add_test(tc, test_modify_ifs_handle);
    tcase_add_test(tc, test_socket_through_front_end);
    tcase_add_test(tc, test_driver_service_running);
    return tc;
}
