# SPDX-License-Identifier: MIT
# test/broken_lsp.mk: deliberately broken builds of the layered provider,
# one per fault point of provider/fault.h, for spicheck's own test
# (test/spicheck.list): build/x64/tests/broken_lsp_FAULT.dll is
# lspkit.dll compiled with -DLSPKIT_FAULT_<FAULT>.
BROKEN_LSP_FAULTS := direct_routine threadid_pointer wsabuf_uncaptured event_on_error
BROKEN_LSP_LIBS   := -lws2_32 -luser32

define broken_lsp
$(BUILD)/x64/obj/broken_lsp_$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC_x64) $$(CFLAGS_COMMON) $$(CFLAGS_provider) \
	    -DLSPKIT_FAULT_$(shell echo $(1) | tr a-z A-Z) -MMD -MP -c -o $$@ $$<
$(TEST_DIR)/broken_lsp_$(1).dll: $(patsubst %.c,$(BUILD)/x64/obj/broken_lsp_$(1)/%.o,$(PROVIDER_SRCS)) provider/lspkit.def
	@mkdir -p $$(dir $$@)
	$$(CC_x64) -shared $$(LDFLAGS_COMMON) -o $$@ $$^ $(BROKEN_LSP_LIBS)
tests: $(TEST_DIR)/broken_lsp_$(1).dll
endef
$(foreach f,$(BROKEN_LSP_FAULTS),$(eval $(call broken_lsp,$(f))))
