# SPDX-License-Identifier: MIT
# test/layered.mk: the program run through the layered provider (see
# test/layered.list). Like the loopback programs it links only the system
# import libraries; it finds lspkit.dll's test-only export at run time.
LAYERED_SRCS := test/layered_suite.c spicheck/layered_install.c test/layered_counts.c test/layered_chain.c \
                test/layered_chain3.c test/layered_stream.c test/layered_overlapped.c \
                test/layered_close.c test/layered_socket.c test/layered_extension.c test/layered_ready.c \
                test/loopback_util.c spicheck/sockwait.c

$(eval $(call test_program,layered,$(LAYERED_SRCS),-lmswsock -lws2_32 -luser32))
# Order-only: the program does not link the provider, it needs it built to run.
$(TEST_DIR)/layered.exe: | $(BUILD)/x64/lspkit.dll
