# SPDX-License-Identifier: MIT
# test/loopback.mk: loopback Winsock programs (see test/loopback.list).
#
# They link only against the system import libraries (-lws2_32, -lmswsock):
# no lspkit header or library, so that one binary runs unchanged on Wine's
# own ws2_32 and through the lspkit front end.

LOOPBACK_UTIL := test/loopback_util.c spicheck/sockwait.c
LOOPBACK_LIBS := -lmswsock -lws2_32

$(eval $(call test_program,loopback_overlapped,test/loopback_overlapped.c $(LOOPBACK_UTIL),$(LOOPBACK_LIBS)))
$(eval $(call test_program,loopback_udp,test/loopback_udp.c $(LOOPBACK_UTIL),$(LOOPBACK_LIBS)))
$(eval $(call test_program,loopback_errors,test/loopback_errors.c $(LOOPBACK_UTIL),$(LOOPBACK_LIBS)))
$(eval $(call test_program,loopback_uninit,test/loopback_uninit.c $(LOOPBACK_UTIL),$(LOOPBACK_LIBS)))
$(eval $(call test_program,loopback_startup,test/loopback_startup.c $(LOOPBACK_UTIL),$(LOOPBACK_LIBS)))
$(eval $(call test_program,loopback_ready,test/loopback_ready.c $(LOOPBACK_UTIL),$(LOOPBACK_LIBS)))
