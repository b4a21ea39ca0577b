# SPDX-License-Identifier: MIT
# test/interop.mk: lspkit.dll with a sample-style LSP (test/sample_lsp),
# built twice with their own GUIDs, beside the program that installs them.
SAMPLE_LSP_DEPS := test/sample_lsp/sample_lsp.c test/sample_lsp/sample_lsp.h \
                   test/sample_lsp/sample_lsp.def

$(TEST_DIR)/sample_lsp_a.dll: $(SAMPLE_LSP_DEPS)
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) -Itest $(LDFLAGS_COMMON) -shared -o $@ $< \
	    test/sample_lsp/sample_lsp.def -lws2_32
$(TEST_DIR)/sample_lsp_b.dll: $(SAMPLE_LSP_DEPS)
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) -Itest -DSAMPLE_LSP_B $(LDFLAGS_COMMON) -shared -o $@ $< \
	    test/sample_lsp/sample_lsp.def -lws2_32

$(eval $(call test_program,interop,test/interop.c spicheck/layered_install.c test/layered_counts.c test/loopback_util.c \
                                   spicheck/sockwait.c,-lws2_32))
$(TEST_DIR)/interop.exe: | $(TEST_DIR)/sample_lsp_a.dll $(TEST_DIR)/sample_lsp_b.dll \
                           $(BUILD)/x64/lspkit.dll
