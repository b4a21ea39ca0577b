# SPDX-License-Identifier: MIT
# test/filters.mk: lspkit.dll running a filter (test/filters.c) - the tests'
# filter, test/probe_filter, whose policy the program sets as it runs.
$(TEST_DIR)/lspkit_probe_filter.dll: test/probe_filter/probe_filter.c test/probe_filter/probe_filter.h \
                                     test/probe_filter/probe_filter.def
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) $(LDFLAGS_COMMON) -shared -o $@ $< test/probe_filter/probe_filter.def \
	    -lws2_32

# test/probe_filter/probe_find.c: the programs' side of it.
CFLAGS_test/probe_filter := $(CFLAGS_test)
PROBE_FIND := test/probe_filter/probe_find.c test/filter_registry.c

$(eval $(call test_program,filters,test/filters.c $(PROBE_FIND) test/loopback_util.c spicheck/sockwait.c,-lmswsock -lws2_32))
$(TEST_DIR)/filters.exe: | $(TEST_DIR)/lspkit_probe_filter.dll $(BUILD)/x64/lspkit.dll $(BUILD)/x64/lspkit_bytecount.dll

# Datagram redirects and the host's dial (test/filters_datagram.c).
$(eval $(call test_program,filters_datagram,test/filters_datagram.c $(PROBE_FIND) test/loopback_util.c spicheck/sockwait.c,-lmswsock -lws2_32))
$(TEST_DIR)/filters_datagram.exe: | $(TEST_DIR)/lspkit_probe_filter.dll $(BUILD)/x64/lspkit.dll $(BUILD)/x64/lspkit_bytecount.dll

# The shipped firewall filter, registered by the program itself.
$(eval $(call test_program,filters_firewall,test/filters_firewall.c test/filter_registry.c test/loopback_util.c spicheck/sockwait.c,-lmswsock -lws2_32))
$(TEST_DIR)/filters_firewall.exe: | $(BUILD)/x64/lspkit_firewall.dll $(BUILD)/x64/lspkit.dll
