# SPDX-License-Identifier: MIT
# test/winhttp.mk: Wine's own winhttp.dll against a loopback HTTP server in
# the same program (see test/winhttp.list). Like the loopback programs it
# links only system import libraries.

$(eval $(call test_program,winhttp_fetch,test/winhttp_fetch.c test/loopback_util.c spicheck/sockwait.c,-lwinhttp -lmswsock -lws2_32))
