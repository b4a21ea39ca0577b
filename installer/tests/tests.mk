# SPDX-License-Identifier: MIT
# installer/tests/: the installer's tests, beside it.
#   installer_apply.exe  its executor against an in-memory catalog (no Winsock)
#   installer.exe        lspinst.exe itself against the front end; it runs the
#                        copy of lspinst.exe beside it
#   catalog_damage.exe   damaged catalogs: a program start changes nothing, verify
#                        sees the damage; a bounded catalog fuzz
#   installer_lock.exe   one lspinst command at a time
#   installer_filter.exe lspinst filter add|remove|list
#
# These programs run lspinst's code with its fault injection compiled in
# (LSPINST_FAULTS, installer/wsc.h): its objects, and those of every source
# linked with them, are built apart, under obj/lspinst_faults/.
CFLAGS_installer/tests := -Ibuild/deps/check/x64/include -Itest/support
INSTALLER_CORE := installer/apply.c installer/chains.c installer/faults.c installer/read.c \
                  installer/txn.c $(TRACE_SRCS)
faults_objs = $(patsubst %.c,$(BUILD)/x64/obj/lspinst_faults/%.o,$(1))

$(BUILD)/x64/obj/lspinst_faults/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) $(call room_cflags,$<) -DLSPINST_FAULTS -MMD -MP -c -o $@ $<

$(TEST_DIR)/installer_apply.exe: $(call faults_objs,installer/tests/apply.c \
    installer/tests/fakewsc.c catalog/tests/model_util.c $(INSTALLER_CORE) $(CATALOG_SRCS) \
    $(RUN_SUITE))
	@mkdir -p $(dir $@)
	$(CC_x64) $(LDFLAGS_COMMON) -o $@ $^ -ladvapi32 $(CHECK_LIBS)
tests: $(TEST_DIR)/installer_apply.exe

$(eval $(call test_program,installer,installer/tests/lspinst.c installer/tests/util.c $(CATALOG_SRCS),\
    -lws2_32 -ladvapi32))

# lspinst's test build, which installer.exe and the others run beside them.
$(TEST_DIR)/lspinst.exe: $(call faults_objs,$(INSTALLER_SRCS) installer/faults.c $(CATALOG_SRCS))
	@mkdir -p $(dir $@)
	$(CC_x64) $(LDFLAGS_COMMON) -municode -o $@ $^ -lws2_32 -lole32 -ladvapi32
tests: $(TEST_DIR)/lspinst.exe
$(TEST_DIR)/installer.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll

$(eval $(call test_program,catalog_damage,installer/tests/catalog_damage.c installer/tests/util.c \
    $(CATALOG_SRCS),-lws2_32 -ladvapi32))
$(TEST_DIR)/catalog_damage.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll

$(eval $(call test_program,installer_lock,installer/tests/lock.c installer/tests/util.c \
    $(CATALOG_SRCS),-lws2_32 -ladvapi32))
$(TEST_DIR)/installer_lock.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll

$(eval $(call test_program,installer_filter,installer/tests/filter.c installer/tests/util.c \
    $(CATALOG_SRCS),-lws2_32 -ladvapi32))
$(TEST_DIR)/installer_filter.exe: | $(TEST_DIR)/lspinst.exe $(BUILD)/x64/frontend/ws2_32.dll \
    $(TEST_DIR)/lspkit_bytecount.dll $(TEST_DIR)/not_a_filter.dll $(BUILD)/x86/lspkit_bytecount.dll
# filter add's DLLs: the shipped bytecount beside the tests' lspinst.exe,
# where `filter add bytecount` looks, and a DLL that is no filter.
$(TEST_DIR)/lspkit_bytecount.dll: $(BUILD)/x64/lspkit_bytecount.dll
	@mkdir -p $(dir $@)
	cp $< $@
$(TEST_DIR)/not_a_filter.dll: installer/tests/not_a_filter.c
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) $(LDFLAGS_COMMON) -shared -o $@ $<
