# SPDX-License-Identifier: MIT
# common/: small pieces that every DLL of lspkit needs the same way, linked
# into each (COMMON_SRCS). They call kernel32 only, never Winsock, so the
# base provider, which must not import ws2_32, can link them too.
CFLAGS_common :=
COMMON_SRCS := $(wildcard common/*.c)
