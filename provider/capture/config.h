/* SPDX-License-Identifier: MIT */
/* The capture configuration: the values under HKLM\SOFTWARE\lspkit, their
 * defaults and their checks (docs/capture.md documents each one). */
#ifndef LSPKIT_CAPTURE_CONFIG_H
#define LSPKIT_CAPTURE_CONFIG_H

#include <windows.h>
#include "bounds.h"
#include "validate.h"

#define CONFIG_KEY L"SOFTWARE\\lspkit"

#define CONFIG_SNAP_DEFAULT      262144u
#define CONFIG_SNAP_MAX          16777216u
#define CONFIG_QUEUE_BYTES_DEFAULT 16777216u
#define CONFIG_QUEUE_BYTES_MIN   65536u
#define CONFIG_QUEUE_BYTES_MAX   1073741824u
#define CONFIG_QUEUE_RECORDS_DEFAULT 65536u
#define CONFIG_QUEUE_RECORDS_MIN 16u
#define CONFIG_QUEUE_RECORDS_MAX 1048576u
#define CONFIG_READERS_MAX       256
#define CONFIG_MAX_FILE_MIB_DEFAULT  256u
#define CONFIG_MAX_TOTAL_MIB_DEFAULT 4096u
#define CONFIG_MIN_FREE_MIB_DEFAULT  512u
#define CONFIG_MIB_MAX           16777216u         /* 16 TiB */

struct capture_config {
    BOOL enabled;                 /* Enabled, and this process selected */
    WCHAR directory[CAPTURE_DIRECTORY_MAX];
    WCHAR readers[CONFIG_READERS_MAX];  /* Readers: may read captures; "": nobody */
    struct capture_limits limits; /* MaxFileMiB, MaxTotalMiB, MinFreeMiB, in bytes */
    DWORD snap_length;            /* payload bytes kept per call; 0: all */
    DWORD queue_bytes;
    DWORD queue_records;
    BOOL all_ports;               /* no Ports filter */
    BYTE ports[65536 / 8];        /* the filter's set, one bit per port */
};

/* The defaults: capture off, every other value as documented. */
void config_defaults(struct capture_config *c);

/* Reads `key` (NULL: no key, all defaults) for a process whose image file
 * name is `image`. Every bad value is replaced by its default; if there
 * were any, they are written to the log in one line. When capture is off
 * (Enabled missing or 0) nothing else is read. */
void config_read(HKEY key, const WCHAR *image, struct capture_config *c);

/* Whether the IncludeProcesses and ExcludeProcesses values of `key` select
 * the process whose image file name is `image`: the capture's scope, and
 * each filter's (include/lspkit/filter.h). A list that cannot mean what it
 * says selects nothing; what is wrong with the lists goes to `why` ("" when
 * nothing is). */
BOOL config_scope_selects(HKEY key, const WCHAR *image, char *why, size_t why_size);

/* Whether a port passes the Ports filter. */
static inline BOOL config_port_wanted(const struct capture_config *c, USHORT port)
{
    return c->all_ports || (c->ports[port >> 3] & (1u << (port & 7)));
}

#endif
