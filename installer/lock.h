/* SPDX-License-Identifier: MIT */
/* One lspinst command at a time, machine-wide.
 *
 * The front end's catalog mutex covers one WSC* call; a command is many
 * calls and a transaction record (txn.h) that only one command may own.
 * So every command holds the named mutex Global\lspkit-installer from
 * before it reads anything until it has finished, record included. A
 * second command waits for it, saying so, for LSPINST_WAIT seconds
 * (default 60), then gives up with EXIT_BUSY having touched nothing. A
 * holder that died leaves the mutex abandoned: the next command takes it,
 * and finds that command's record, if any, as after any kill. */
#ifndef LSPKIT_INSTALLER_LOCK_H
#define LSPKIT_INSTALLER_LOCK_H

#define INSTALLER_MUTEX L"Global\\lspkit-installer"

/* Takes the mutex for the rest of the process (released at exit). Returns
 * 0, or an exit code after saying why. */
int command_lock(void);

#endif
