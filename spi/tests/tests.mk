# SPDX-License-Identifier: MIT
# spi/tests/: the front end's upcall tests, beside it (tests.list): every
# WSPUPCALLTABLE entry and WPUCompleteOverlappedRequest, called through
# spi/tests/probe_provider, a test-only non-IFS provider that hands its
# upcall table to the test.
CFLAGS_spi/tests := -Ibuild/deps/check/x64/include -Itest/support

# The probe imports WPUCompleteOverlappedRequest from the front end.
$(TEST_DIR)/probe_provider.dll: spi/tests/probe_provider/probe_provider.c \
                                spi/tests/probe_provider/probe_provider.h $(BUILD)/x64/frontend/ws2_32.dll
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) $(LDFLAGS_COMMON) -shared -Wl,--kill-at -o $@ $< \
	    $(BUILD)/x64/libws2_32_lspkit.a
tests: $(TEST_DIR)/probe_provider.dll

UPCALL_LIBS := $(BUILD)/x64/libws2_32_lspkit.a -luser32 -ladvapi32
UPCALL_TEST_SRCS := spi/tests/upcall_main.c spi/tests/upcall_probe.c spi/tests/upcall_handle.c \
                    spi/tests/upcall_complete.c spi/tests/upcall_thread.c spi/tests/upcall_misc.c \
                    spi/sysws2.c
$(eval $(call test_program,upcall,$(UPCALL_TEST_SRCS),$(UPCALL_LIBS)))
$(eval $(call test_program,upcall_nodriver,spi/tests/upcall_nodriver.c spi/tests/upcall_probe.c,$(UPCALL_LIBS)))
# bin/lspkit-wine copies the driver into the prefix when it is built.
$(TEST_DIR)/upcall.exe $(TEST_DIR)/upcall_nodriver.exe: $(BUILD)/x64/frontend/ws2_32.dll \
                                                        $(BUILD)/x64/lspkit_ifs.sys \
                                                        $(TEST_DIR)/probe_provider.dll
