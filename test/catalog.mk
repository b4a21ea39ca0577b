# SPDX-License-Identifier: MIT
# test/catalog.mk: the registry catalog store and the WSC* API (see
# test/catalog.list). The programs link against lspkit's own ws2_32 (the
# front end's import library): the WSC* calls they test are its exports.

CATALOG_TEST_UTIL := test/catalog_util.c spi/sysws2.c
CATALOG_TEST_LIBS := $(BUILD)/x64/libws2_32_lspkit.a -ladvapi32

$(eval $(call test_program,catalog_store,test/catalog_store.c $(CATALOG_TEST_UTIL),$(CATALOG_TEST_LIBS)))
$(eval $(call test_program,wsc_api,$(wildcard test/wsc_*.c) $(CATALOG_TEST_UTIL),$(CATALOG_TEST_LIBS)))

# The import library is made with the DLL (order-only: the DLL itself is
# not an input of the link).
$(TEST_DIR)/catalog_store.exe $(TEST_DIR)/wsc_api.exe: | $(BUILD)/x64/frontend/ws2_32.dll
