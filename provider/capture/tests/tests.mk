# SPDX-License-Identifier: MIT
# provider/capture/tests/: the capture module's tests, beside it (see
# tests.list).
#
# capture.exe is compiled with provider/capture/*.c directly: no front end,
# no provider. capture_exit.dll holds another copy of the module behind a
# DllMain, for the process-exit test, and must sit beside capture.exe.

CFLAGS_provider/capture/tests := -Ibuild/deps/check/x64/include
CAPTURE_TEST_SRCS := $(filter-out %/capture_exitdll.c,$(wildcard provider/capture/tests/*.c))

$(eval $(call test_program,capture,$(CAPTURE_TEST_SRCS) $(CAPTURE_SRCS),$(CAPTURE_LIBS)))

$(TEST_DIR)/capture_exit.dll: $(call objs,x64,provider/capture/tests/capture_exitdll.c $(CAPTURE_SRCS))
	@mkdir -p $(dir $@)
	$(CC_x64) -shared $(LDFLAGS_COMMON) -o $@ $^ $(CAPTURE_LIBS)

$(TEST_DIR)/capture.exe: | $(TEST_DIR)/capture_exit.dll
tests: $(TEST_DIR)/capture_exit.dll
