/* SPDX-License-Identifier: MIT */
/* Where captures and the log go, and how they are created (storage.c).
 *
 * Captures hold every process's traffic, so the files are made for
 * administrators only, and nothing a user can plant steers a write:
 *  - %ProgramData% and the other names a configured Directory may use come
 *    from the system (the registry and the Windows directory), never from
 *    the process's environment, which the user who starts it controls;
 *  - the folders lspkit makes, the capture files and the log get an
 *    explicit DACL (storage_security): SYSTEM and Administrators full
 *    control; other users may only add files to the folders (a captured
 *    process runs as any user) and append to the log; each capture file
 *    belongs to its owner; the Readers group, if one is configured, may
 *    read; nobody else gets anything;
 *  - a folder or file whose path resolves elsewhere (a symbolic link, a
 *    junction) is refused, as is a folder owned by anyone but SYSTEM,
 *    Administrators or this process's own user, and a file with more than
 *    one name (a hard link). */
#ifndef LSPKIT_CAPTURE_STORAGE_H
#define LSPKIT_CAPTURE_STORAGE_H

#include <windows.h>

/* The machine's ProgramData folder, from the system. FALSE when it does
 * not fit in `size` characters. */
BOOL storage_program_data(WCHAR *out, DWORD size);

/* Expands %ProgramData%, %SystemRoot%, %windir% and %SystemDrive% (any
 * case) from the system's own values; any other %NAME% is refused (FALSE),
 * as is a result that does not fit in `size`. */
BOOL storage_expand(const WCHAR *in, WCHAR *out, DWORD size);

enum storage_kind { STORAGE_FOLDER, STORAGE_CAPTURE_FILE, STORAGE_LOG_FILE };

/* The security descriptor a folder or file of `kind` is created with;
 * `readers` (a SID string or an account name, or NULL) may read. Free
 * with LocalFree. NULL when `readers` names nobody. */
PSECURITY_DESCRIPTOR storage_security(enum storage_kind kind, const WCHAR *readers);

/* Makes `dir` and its missing parents (with `sd`) and checks it. Returns
 * 0 or the error: ERROR_CANT_RESOLVE_FILENAME when its path resolves
 * elsewhere, ERROR_INVALID_OWNER when it belongs to another user, or what
 * creating or opening it gave. */
DWORD storage_make_directory(const WCHAR *dir, PSECURITY_DESCRIPTOR sd);

/* Opens `path` for `access` and `share` with `disposition` (CREATE_NEW,
 * OPEN_ALWAYS...), creating it with `sd`, and checks it as above.
 * INVALID_HANDLE_VALUE with *error on failure. */
HANDLE storage_open_file(const WCHAR *path, DWORD access, DWORD share, DWORD disposition,
                         PSECURITY_DESCRIPTOR sd, DWORD *error);

#endif
