# SPDX-License-Identifier: MIT
# catalog/: the Winsock catalog as plain data, for the installer to plan
# with: the model (model.c), its checks (check.c), the catalogs each command
# aims for (plan_*.c, layout.c), the WSC* operations that get there (diff.c)
# and the backup format (pack.c). Nothing here calls Winsock, so the unit
# tests (catalog/tests/) run without it. Linked into lspinst.
# Its messages narrow wide text with common/text.c, linked in with it.
CATALOG_SRCS := $(wildcard catalog/*.c) common/text.c
CFLAGS_catalog :=
