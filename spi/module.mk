# SPDX-License-Identifier: MIT
# spi/: the ws2_32 front end, build/ARCH/frontend/ws2_32.dll: in a directory
# of its own, so that no program built here finds it beside itself and
# loads it as a second ws2_32 (bin/lspkit-wine installs it in system32).
#
# WINSOCK_API_LINKAGE is emptied so that the Winsock headers declare the
# functions we define here as ordinary exports instead of dllimports.
CFLAGS_spi := -DWINSOCK_API_LINKAGE=

SPI_SRCS := $(wildcard spi/*.c) $(wildcard spi/*.S) catalog/guid.c catalog/packed.c $(TRACE_SRCS) \
            $(COMMON_SRCS)

define spi_rules
$(BUILD)/$(1)/frontend/ws2_32.dll: $(call objs,$(1),$(SPI_SRCS)) spi/ws2_32.def
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) -shared $$(LDFLAGS_COMMON) -o $$@ $$^ -Wl,--out-implib,$(BUILD)/$(1)/libws2_32_lspkit.a -ladvapi32 -luser32
all: $(BUILD)/$(1)/frontend/ws2_32.dll
endef
$(foreach a,$(ARCHES),$(eval $(call spi_rules,$(a))))
