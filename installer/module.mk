# SPDX-License-Identifier: MIT
# installer/: lspinst.exe, which installs, removes, checks and repairs
# lspkit's catalog entries. Built for both targets; it plans with the
# catalog model (catalog/module.mk) and calls ws2_32's WSC* functions.
# Under Wine it runs through bin/lspkit-wine, whose ws2_32 is the front end.
# provider/capture/storage.c and validate.c: config takes a value by the
# very checks the provider makes.
CFLAGS_installer :=
# faults.c, the fault injection, is built only into the test build of
# lspinst (installer/tests/tests.mk).
INSTALLER_SRCS := $(filter-out installer/faults.c,$(wildcard installer/*.c)) \
                  provider/capture/storage.c provider/capture/validate.c $(TRACE_SRCS)

define installer_rules
$(BUILD)/$(1)/lspinst.exe: $(call objs,$(1),$(INSTALLER_SRCS) $(CATALOG_SRCS))
	$$(CC_$(1)) $$(LDFLAGS_COMMON) -municode -o $$@ $$^ -lws2_32 -lole32 -ladvapi32
all: $(BUILD)/$(1)/lspinst.exe
endef
$(foreach a,$(ARCHES),$(eval $(call installer_rules,$(a))))
