# SPDX-License-Identifier: MIT
# test/layered_capture.mk: known traffic through lspkit.dll (test/layered_capture.c)
# and its far end in another process (test/layered_capture_peer.c, no Check).
# test/layered_capture.list runs it as an end-to-end test; test/layered_capture.sh
# runs it with capture on and checks the capture files with tshark.

$(eval $(call test_program,layered_capture,test/layered_capture.c test/layered_capture_io.c test/loopback_util.c spicheck/sockwait.c,-lmswsock -lws2_32))

$(TEST_DIR)/layered_capture_peer.exe: $(call objs,x64,test/layered_capture_peer.c spicheck/sockwait.c)
	@mkdir -p $(dir $@)
	$(CC_x64) $(LDFLAGS_COMMON) -o $@ $^ -lws2_32
tests: $(TEST_DIR)/layered_capture_peer.exe
# The test starts the peer from its own directory.
$(TEST_DIR)/layered_capture.exe: | $(TEST_DIR)/layered_capture_peer.exe
