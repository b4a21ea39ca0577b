# SPDX-License-Identifier: MIT
# The installer's tests.
#   installer_apply.exe  its executor against an in-memory catalog (no Winsock)
#   installer.exe        lspinst.exe itself against the front end; it runs the
#                        copy of lspinst.exe beside it
#   catalog_damage.exe   damaged catalogs: a program start changes nothing, verify
#                        sees the damage; a bounded catalog fuzz
#   installer_lock.exe   one lspinst command at a time
INSTALLER_CORE := installer/apply.c installer/chains.c installer/faults.c installer/read.c \
                  installer/txn.c $(TRACE_SRCS)

$(eval $(call test_program,installer_apply,test/installer_apply.c test/installer_fakewsc.c \
    test/catalog_model_util.c $(INSTALLER_CORE) $(CATALOG_SRCS),-ladvapi32))

$(eval $(call test_program,installer,test/installer.c test/installer_util.c $(CATALOG_SRCS),\
    -lws2_32 -ladvapi32))

$(TEST_DIR)/lspinst.exe: $(BUILD)/x64/lspinst.exe
	@mkdir -p $(dir $@)
	cp $< $@
tests: $(TEST_DIR)/lspinst.exe
$(TEST_DIR)/installer.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll

$(eval $(call test_program,catalog_damage,test/catalog_damage.c test/installer_util.c \
    $(CATALOG_SRCS),-lws2_32 -ladvapi32))
$(TEST_DIR)/catalog_damage.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll

$(eval $(call test_program,installer_lock,test/installer_lock.c test/installer_util.c \
    $(CATALOG_SRCS),-lws2_32 -ladvapi32))
$(TEST_DIR)/installer_lock.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll
