/* SPDX-License-Identifier: MIT */
/* The NTSTATUS that a request on a socket handle completes with, for the
 * Winsock error a provider reports (wsastatus.c). */
#ifndef LSPKIT_WSASTATUS_H
#define LSPKIT_WSASTATUS_H

#include <winsock2.h>
#include <winternl.h>

/* STATUS_SUCCESS for 0; chosen so that Wine's ws2_32 and the system's
 * GetOverlappedResult map the status back to what a Windows socket
 * reports. */
NTSTATUS status_of_wsa_error(DWORD error);

#endif
