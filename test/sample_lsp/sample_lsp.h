/* SPDX-License-Identifier: MIT */
/* What tests know of the sample-style test LSP (sample_lsp.c). It is built
 * twice: sample_lsp_a.dll and sample_lsp_b.dll, each with its own GUID
 * and counters ioctl, so that two of them can sit in one chain. */
#ifndef LSPKIT_TEST_SAMPLE_LSP_H
#define LSPKIT_TEST_SAMPLE_LSP_H

#include <winsock2.h>
#include <ws2spi.h>

#define SAMPLE_LSP_GUID_A { 0x5a3b1e00, 0x6c6b, 0x4a11, { 0x9e, 0x51, 0x4c, 0x53, 0x50, 0, 0, 0xa } }
#define SAMPLE_LSP_GUID_B { 0x5a3b1e00, 0x6c6b, 0x4a11, { 0x9e, 0x51, 0x4c, 0x53, 0x50, 0, 0, 0xb } }
#define SAMPLE_LSP_COUNTERS_A _WSAIOR(IOC_VENDOR, 0x53a)
#define SAMPLE_LSP_COUNTERS_B _WSAIOR(IOC_VENDOR, 0x53b)

/* The built copy's own, chosen by SAMPLE_LSP_B. */
#ifdef SAMPLE_LSP_B
#define SAMPLE_LSP_GUID SAMPLE_LSP_GUID_B
#define SAMPLE_LSP_COUNTERS SAMPLE_LSP_COUNTERS_B
#else
#define SAMPLE_LSP_GUID SAMPLE_LSP_GUID_A
#define SAMPLE_LSP_COUNTERS SAMPLE_LSP_COUNTERS_A
#endif

/* What the counters ioctl answers: since the DLL was loaded. */
struct sample_lsp_counters {
    LONG64 bytes_sent;            /* WSPSend, WSPSendTo and SIO_EXT_SENDMSG */
    LONG sendmsg_calls;           /* SIO_EXT_SENDMSG */
    LONG poll_calls;              /* SIO_EXT_POLL */
};

#endif
