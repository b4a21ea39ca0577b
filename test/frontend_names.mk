# SPDX-License-Identifier: MIT
# test/frontend_names.mk: every way of reaching ws2_32 gives the front end
# (test/frontend_names.list). The test imports ws2_32 (by name: the front
# end under bin/lspkit-wine); its child imports none, so that the way under
# test is its first load of ws2_32.

FRONTEND_NAMES_CHECK := test/frontend_names_check.c spi/sysws2.c

$(eval $(call test_program,frontend_names,test/frontend_names.c $(FRONTEND_NAMES_CHECK) $(RUN_SUITE),-lws2_32))

$(TEST_DIR)/frontend_names_child.exe: $(call objs,x64,test/frontend_names_child.c $(FRONTEND_NAMES_CHECK))
	@mkdir -p $(dir $@)
	$(CC_x64) $(LDFLAGS_COMMON) -o $@ $^
tests: $(TEST_DIR)/frontend_names_child.exe
$(TEST_DIR)/frontend_names.exe: | $(TEST_DIR)/frontend_names_child.exe
