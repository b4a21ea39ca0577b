# SPDX-License-Identifier: MIT
# test/spicheck.mk: spicheck's own test (see test/spicheck.list). The
# program starts build/x64/spicheck.exe against the broken providers of
# test/broken_lsp.mk, so it needs them and spicheck built (order-only:
# it links neither).
$(eval $(call test_program,spicheck_faults,test/spicheck_faults.c,))
$(TEST_DIR)/spicheck_faults.exe: | $(BUILD)/x64/spicheck.exe $(BUILD)/x64/lspkit.dll \
    $(foreach f,$(BROKEN_LSP_FAULTS),$(TEST_DIR)/broken_lsp_$(f).dll)
