/* SPDX-License-Identifier: MIT */
/* lspkit_ifs.sys: requests pended for applications' overlapped operations,
 * and the listeners that hear of their cancels (see lspkit_ifs.h). */
#ifndef LSPKIT_IFS_PENDED_H
#define LSPKIT_IFS_PENDED_H

#include "lspkit_ifs.h"

void pended_init(void);

/* The IOCTL handlers; each completes or pends `irp` and returns what the
 * dispatch routine returns. */
NTSTATUS pended_pend(IRP *irp, FILE_OBJECT *file, const struct lspkit_ifs_pend *pend);
NTSTATUS pended_complete(IRP *irp, FILE_OBJECT *file,
                         const struct lspkit_ifs_keyed_completion *keyed);
NTSTATUS pended_listen(IRP *irp, FILE_OBJECT *file);
NTSTATUS pended_wait_cancels(IRP *irp, FILE_OBJECT *file);

/* The handle `file` is going: its pended requests complete with
 * STATUS_CANCELLED, and a listener stops listening. */
void pended_cleanup(FILE_OBJECT *file);

/* Completes `irp` with `status` and `information`. */
NTSTATUS ifs_finish(IRP *irp, NTSTATUS status, ULONG_PTR information);

#endif
