# SPDX-License-Identifier: MIT
# test/broken_lsp.mk: deliberately broken builds of the layered provider,
# one per fault point of provider/fault.h, for spicheck's own test
# (test/spicheck.list): build/x64/tests/broken_lsp_FAULT.dll is lspkit.dll
# compiled with -DLSPKIT_FAULT_POINT=N and linked with the hooks of
# test/broken/lsp_faults.c.
BROKEN_LSP_FAULTS := direct_routine threadid_pointer wsabuf_uncaptured event_on_error
# Each one's fault point, numbered as in provider/fault.h.
BROKEN_LSP_POINT_direct_routine    := 1
BROKEN_LSP_POINT_threadid_pointer  := 2
BROKEN_LSP_POINT_wsabuf_uncaptured := 3
BROKEN_LSP_POINT_event_on_error    := 4
BROKEN_LSP_LIBS   := -lws2_32 -luser32
CFLAGS_test/broken :=

define broken_lsp
$(BUILD)/x64/obj/broken_lsp_$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC_x64) $$(CFLAGS_COMMON) $$(call room_cflags,$$<) -DLSPKIT_FAULT_POINT=$(BROKEN_LSP_POINT_$(1)) \
	    -MMD -MP -c -o $$@ $$<
$(TEST_DIR)/broken_lsp_$(1).dll: $(patsubst %.c,$(BUILD)/x64/obj/broken_lsp_$(1)/%.o,$(PROVIDER_SRCS) \
                                   test/broken/lsp_faults.c) provider/lspkit.def
	@mkdir -p $$(dir $$@)
	$$(CC_x64) -shared $$(LDFLAGS_COMMON) -o $$@ $$^ $(BROKEN_LSP_LIBS)
tests: $(TEST_DIR)/broken_lsp_$(1).dll
endef
$(foreach f,$(BROKEN_LSP_FAULTS),$(eval $(call broken_lsp,$(f))))
