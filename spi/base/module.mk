# SPDX-License-Identifier: MIT
# spi/base/: the IFS base transport provider, build/ARCH/lspkit_base.dll.
#
# It maps every WSP* call onto Wine's ws2_32, loaded under its private name
# through spi/sysws2.c. It must never link -lws2_32: under Wine the
# module named ws2_32.dll in the process is our own front end, which would
# route the call straight back here. Its objects get the front end's flags,
# whose WINSOCK_API_LINKAGE= also turns any direct call of a Winsock
# function into a link error.
CFLAGS_spi/base := $(CFLAGS_spi)
BASE_SRCS := $(wildcard spi/base/*.c) spi/sysws2.c $(TRACE_SRCS) $(COMMON_SRCS)

define base_rules
$(BUILD)/$(1)/lspkit_base.dll: $(call objs,$(1),$(BASE_SRCS)) spi/base/lspkit_base.def
	$$(CC_$(1)) -shared $$(LDFLAGS_COMMON) -o $$@ $$^ -lkernel32 -ladvapi32
all: $(BUILD)/$(1)/lspkit_base.dll
endef
$(foreach a,$(ARCHES),$(eval $(call base_rules,$(a))))
