# SPDX-License-Identifier: MIT
# Bad-input tests of provider loading, with the broken providers they load.
BROKEN_VARIANTS := no_startup startup_fails version holes

define broken_provider
$(TEST_DIR)/broken_$(1).dll: test/broken/broken_provider.c
	@mkdir -p $$(dir $$@)
	$$(CC_x64) $$(CFLAGS_COMMON) -DBROKEN_$(shell echo $(1) | tr a-z A-Z) -shared \
	    -Wl,--kill-at -o $$@ $$<
tests: $(TEST_DIR)/broken_$(1).dll
endef
$(foreach v,$(BROKEN_VARIANTS),$(eval $(call broken_provider,$(v))))

$(eval $(call test_program,provider_errors,test/provider_errors.c $(RUN_SUITE),$(BUILD)/x64/libws2_32_lspkit.a))
$(TEST_DIR)/provider_errors.exe: | $(BUILD)/x64/frontend/ws2_32.dll
