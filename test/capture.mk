# SPDX-License-Identifier: MIT
# test/capture.mk: the capture module's tests (see test/capture.list).
#
# capture.exe is compiled with provider/capture/*.c directly: no front end,
# no provider. capture_exit.dll holds another copy of the module behind a
# DllMain, for the process-exit test, and must sit beside capture.exe.

include provider/capture/module.mk

CAPTURE_TEST_SRCS := test/capture_main.c test/capture_tcp.c test/capture_udp.c \
                     test/capture_queue.c test/capture_config.c test/capture_exit.c \
                     test/capture_sample.c test/capture_util.c test/capture_pcapng.c \
                     test/capture_storage.c

$(eval $(call test_program,capture,$(CAPTURE_TEST_SRCS) $(CAPTURE_SRCS),$(CAPTURE_LIBS)))

$(TEST_DIR)/capture_exit.dll: $(call objs,x64,test/capture_exitdll.c $(CAPTURE_SRCS))
	@mkdir -p $(dir $@)
	$(CC_x64) -shared $(LDFLAGS_COMMON) -o $@ $^ $(CAPTURE_LIBS)

$(TEST_DIR)/capture.exe: | $(TEST_DIR)/capture_exit.dll
tests: $(TEST_DIR)/capture_exit.dll
