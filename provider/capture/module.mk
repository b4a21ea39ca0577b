# SPDX-License-Identifier: MIT
# provider/capture/: the capture subsystem of the layered provider
# (docs/capture.md). provider/module.mk links $(CAPTURE_SRCS) into
# lspkit.dll with $(CAPTURE_LIBS); tests/tests.mk compiles them into the
# capture test program directly.
CFLAGS_provider/capture :=
# Its messages narrow wide text with common/text.c, and it names the
# process with common/image.c, both linked in with it.
CAPTURE_SRCS := $(wildcard provider/capture/*.c) common/text.c common/image.c
CAPTURE_LIBS := -ladvapi32
