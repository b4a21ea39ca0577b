/* SPDX-License-Identifier: MIT */
/* lspkit's one addition to the SPI: how the front end tells a non-IFS
 * provider that the application cancelled one of its overlapped operations.
 *
 * On a non-IFS handle the front end makes every overlapped operation that
 * reports through an event or a completion port a real request on the
 * handle (spi/pending.c), so CancelIo, CancelIoEx and the exit of the
 * issuing thread reach it. The request is not ended there: the front end
 * calls the provider's WSPIoctl with SIO_LSPKIT_CANCEL on the socket, the
 * input being the application's LPWSAOVERLAPPED itself (its value, not
 * what it points to). The provider stops its own work for that operation
 * and completes it as usual, with WPUCompleteOverlappedRequest: with
 * WSA_OPERATION_ABORTED, or with what the work did if it finished first (a
 * receive that already took bytes reports them; a send counts all or none
 * of its bytes).
 *
 * A provider that answers SOCKET_ERROR (it knows no such code) has its
 * operation ended by the front end with WSA_OPERATION_ABORTED; whatever
 * it completes for that operation afterwards is dropped. */
#ifndef LSPKIT_CANCEL_H
#define LSPKIT_CANCEL_H

#include <winsock2.h>

/* A vendor code, input only: LPWSAOVERLAPPED. */
#define SIO_LSPKIT_CANCEL _WSAIOW(IOC_VENDOR, 0x4c43)

#endif
