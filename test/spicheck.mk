# SPDX-License-Identifier: MIT
# test/spicheck.mk: spicheck's own test (see test/spicheck.list). The
# program starts build/x64/spicheck.exe against the broken providers of
# test/broken_lsp.mk and test/provider_errors.mk and against
# lspguid_lsp.dll, and registers the shipped filters for suite_filtered,
# so it needs them and spicheck built (order-only: it links none of them).
$(eval $(call test_program,spicheck_faults,test/spicheck_faults.c test/filter_registry.c,))
$(TEST_DIR)/spicheck_faults.exe: | $(BUILD)/x64/spicheck.exe $(BUILD)/x64/lspkit.dll \
    $(foreach n,$(FILTER_NAMES),$(BUILD)/x64/lspkit_$(n).dll) \
    $(BUILD)/x64/lspinst.exe $(TEST_DIR)/lspguid_lsp.dll $(TEST_DIR)/sample_lsp_a.dll \
    $(foreach f,$(BROKEN_LSP_FAULTS),$(TEST_DIR)/broken_lsp_$(f).dll) \
    $(foreach v,startup_fails version holes,$(TEST_DIR)/broken_$(v).dll)

# build/x64/tests/lspguid_lsp.dll: the provider's sources with WSPStartup
# renamed, under test/lspguid_lsp.c's WSPStartup and GetLspGuid.
$(BUILD)/x64/obj/lspguid_lsp/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) $(call room_cflags,$<) -DWSPStartup=lspkit_WSPStartup \
	    -MMD -MP -c -o $@ $<
$(TEST_DIR)/lspguid_lsp.dll: $(patsubst %.c,$(BUILD)/x64/obj/lspguid_lsp/%.o,$(PROVIDER_SRCS)) \
    $(call objs,x64,test/lspguid_lsp.c) test/lspguid_lsp.def
	@mkdir -p $(dir $@)
	$(CC_x64) -shared $(LDFLAGS_COMMON) -o $@ $^ -lws2_32 -luser32 $(CAPTURE_LIBS)
tests: $(TEST_DIR)/lspguid_lsp.dll
