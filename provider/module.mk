# SPDX-License-Identifier: MIT
# provider/: the layered service provider, build/ARCH/lspkit.dll.
#
# It links the system's ws2_32 import library for WSCEnumProtocols,
# WSCGetProviderPath and WPUCompleteOverlappedRequest, which a provider
# gets from ws2_32.dll by name; under Wine that module is lspkit's front end.
# The capture subsystem (provider/capture/, docs/capture.md) is part of it.
include provider/capture/module.mk
CFLAGS_provider :=
PROVIDER_SRCS := $(wildcard provider/*.c) $(CAPTURE_SRCS) $(TRACE_SRCS) \
                 $(filter-out $(CAPTURE_SRCS),$(COMMON_SRCS))

define provider_rules
$(BUILD)/$(1)/lspkit.dll: $(call objs,$(1),$(PROVIDER_SRCS)) provider/lspkit.def
	$$(CC_$(1)) -shared $$(LDFLAGS_COMMON) -o $$@ $$^ -lws2_32 -luser32 $(CAPTURE_LIBS)
all: $(BUILD)/$(1)/lspkit.dll
endef
$(foreach a,$(ARCHES),$(eval $(call provider_rules,$(a))))
