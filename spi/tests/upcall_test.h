/* SPDX-License-Identifier: MIT */
/* upcall_test.h: shared by the upcall tests (spi/tests/upcall_*.c).
 *
 * upcall_main.c installs spi/tests/probe_provider (a non-IFS provider) with
 * WSCInstallProvider, starts Winsock and creates a socket through it, so
 * that the front end loads the probe; the probe hands back the
 * WSPUPCALLTABLE its WSPStartup received. The tests then call the upcalls
 * as a provider would, and drive the probe's sockets as an application. */
#ifndef LSPKIT_TEST_UPCALL_H
#define LSPKIT_TEST_UPCALL_H

#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>
#include <check.h>
#include "probe_provider/probe_provider.h"

/* How long a test waits for something that should happen at once. */
#define UPCALL_WAIT_MS 5000

/* upcall_probe.c: the probe's catalog entry as WSAEnumProtocolsW reports
 * it, its ProviderId and the DLL path it was installed with. */
extern WSAPROTOCOL_INFOW probe_entry;
extern const GUID probe_guid;
extern WCHAR probe_path[MAX_PATH];

/* Installs the probe beside this program as a non-IFS TCP/IPv4 provider
 * and starts Winsock (which stays started). Returns NULL or what failed. */
const char *probe_install(void);

/* The table the front end gave the probe; NULL until it loaded it. */
const WSPUPCALLTABLE *probe_table(void);

/* WSACleanup and removal of the probe's entry. */
void probe_uninstall(void);

/* upcall_main.c: the table the tests call, taken once the probe loaded. */
extern const WSPUPCALLTABLE *upcalls;

/* A new overlapped socket of the probe, created through the front end. */
SOCKET probe_socket(void);

/* A new completion port with `s` bound to it under `key`. */
HANDLE bind_new_port(SOCKET s, ULONG_PTR key);

TCase *upcall_handle_tcase(void);
TCase *upcall_complete_tcase(void);
TCase *upcall_thread_tcase(void);
TCase *upcall_misc_tcase(void);

#endif
