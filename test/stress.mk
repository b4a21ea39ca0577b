# SPDX-License-Identifier: MIT
# test/stress.mk: the stress test (see test/stress.c, test/stress.list).
# A plain -lws2_32 program like the loopback ones, so that one binary runs on
# Wine's ws2_32, through the front end and through the layered provider.

$(eval $(call test_program,stress,test/stress.c test/loopback_util.c spicheck/sockwait.c,-lmswsock -lws2_32))
