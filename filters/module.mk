# SPDX-License-Identifier: MIT
# filters/: the filters shipped with lspkit (include/lspkit/filter.h,
# docs/filters.md), each a DLL of its own in build/ARCH/:
# lspkit_<name>.dll from filters/<name>/*.c and filters/<name>/<name>.def.
# A filter links nothing of lspkit's: only the API header, the system
# (FILTER_LIBS_<name>), and what it takes of filters/shared/ (the settings
# reader and the address parsing; FILTER_SHARED_<name>).
FILTER_NAMES := bytecount firewall socks5
CFLAGS_filters/bytecount :=
CFLAGS_filters/firewall :=
CFLAGS_filters/socks5 :=
CFLAGS_filters/shared :=
FILTER_SHARED_SRCS := filters/shared/settings.c filters/shared/netaddr.c
FILTER_SHARED_firewall := $(FILTER_SHARED_SRCS)
FILTER_SHARED_socks5 := $(FILTER_SHARED_SRCS)
FILTER_LIBS_firewall := -lws2_32
FILTER_LIBS_socks5 := -lws2_32

# $(call filter_rules,ARCH,NAME)
define filter_rules
$(BUILD)/$(1)/lspkit_$(2).dll: $(call objs,$(1),$(wildcard filters/$(2)/*.c) $(FILTER_SHARED_$(2))) filters/$(2)/$(2).def
	$$(CC_$(1)) -shared $$(LDFLAGS_COMMON) -o $$@ $$^ -ladvapi32 $$(FILTER_LIBS_$(2))
all: $(BUILD)/$(1)/lspkit_$(2).dll
endef
$(foreach a,$(ARCHES),$(foreach n,$(FILTER_NAMES),$(eval $(call filter_rules,$(a),$(n)))))
