# SPDX-License-Identifier: MIT
# test/badargs.mk: bad arguments to WSASend/send (see test/badargs.c,
# test/badargs.list). A plain -lws2_32 program like the loopback ones.

$(eval $(call test_program,badargs,test/badargs.c test/loopback_util.c spicheck/sockwait.c,-lmswsock -lws2_32))
