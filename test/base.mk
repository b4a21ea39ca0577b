# SPDX-License-Identifier: MIT
# test/base.mk: the base provider's harness (see test/base.list).
#
# base_provider.exe plays the front end itself: it loads lspkit_base.dll
# from its own directory and drives it through the proc table, so it needs
# no lspkit front end. It links the system's ws2_32 only for the catalog
# and for comparing answers with the system's own.

BASE_TEST_SRCS := $(wildcard test/base_*.c)

$(eval $(call test_program,base_provider,$(BASE_TEST_SRCS),-lmswsock -lws2_32 -luser32))

# Order-only: the copy must exist beside the program, but must not be linked.
$(TEST_DIR)/base_provider.exe: | $(TEST_DIR)/lspkit_base.dll
tests: $(TEST_DIR)/lspkit_base.dll

$(TEST_DIR)/lspkit_base.dll: $(BUILD)/x64/lspkit_base.dll
	@mkdir -p $(dir $@)
	cp $< $@
