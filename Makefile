# SPDX-License-Identifier: MIT
# lspkit top-level Makefile.
#
# `make` builds every Windows binary for x86_64 into build/x64/ and for i686
# into build/x86/. Only the x64 ones can run here (no 32-bit Wine), but both
# must compile warning-free. Each directory adds its own targets through a
# module.mk fragment so that one concern stays in one place.

CC_x64 := x86_64-w64-mingw32-gcc
CC_x86 := i686-w64-mingw32-gcc
ARCHES := x64 x86

BUILD := build
DEPS  := $(BUILD)/deps

# _WIN32_WINNT 0x0601 (Windows 7): the headers then declare WSAPoll,
# WSASendMsg and the WSC*_AndChains API, which need at least 0x0600.
CFLAGS_COMMON := -std=c11 -O2 -g -Wall -Wextra -Werror -Wno-cast-function-type \
                 -D_WIN32_WINNT=0x0601 -DWIN32_LEAN_AND_MEAN -DUNICODE -D_UNICODE \
                 -Iinclude
LDFLAGS_COMMON := -static-libgcc -Wl,--enable-stdcall-fixup

.PHONY: all check demo clean deps prefix fuzz
all:

# A failed link must not leave a truncated DLL that make then takes as built.
.DELETE_ON_ERROR:

# $(call room,SOURCE): the room (directory) that holds SOURCE: spi/base for
# spi/base/send.c. Each room's module.mk defines CFLAGS_<room>, empty when
# it needs nothing; a source in a room without them stops the build, so
# that a moved or renamed room cannot lose its flags in silence.
room = $(patsubst %/,%,$(dir $(1)))
room_cflags = $(if $(filter undefined,$(origin CFLAGS_$(call room,$(1)))),\
    $(error $(1): no CFLAGS_$(call room,$(1)) (each room's module.mk defines its flags)),\
    $(CFLAGS_$(call room,$(1))))

# $(call objs,ARCH,SOURCES): the object files of SOURCES for ARCH.
objs = $(patsubst %.c,$(BUILD)/$(1)/obj/%.o,$(filter %.c,$(2))) \
       $(patsubst %.S,$(BUILD)/$(1)/obj/%.o,$(filter %.S,$(2)))

define arch_rules
$(BUILD)/$(1)/obj/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(CFLAGS_COMMON) $$(call room_cflags,$$<) -MMD -MP -c -o $$@ $$<
$(BUILD)/$(1)/obj/%.o: %.S
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(CFLAGS_COMMON) -c -o $$@ $$<
endef
$(foreach a,$(ARCHES),$(eval $(call arch_rules,$(a))))

include trace/module.mk
include common/module.mk
include spi/module.mk
include spi/ifs/module.mk
include spi/base/module.mk
include provider/module.mk
include filters/module.mk
include catalog/module.mk
include installer/module.mk
include spicheck/module.mk
include demo/module.mk
include test/module.mk
include bench/module.mk

# The compiler's dependency files: absent until the first build.
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The README's test command: installs what is missing, builds everything and
# runs every test under Wine (scripts/check.sh).
check:
	scripts/check.sh

# The catalog fuzz target (Linux, clang, sanitizers); FUZZ_SECONDS=60.
fuzz:
	test/fuzz/run.sh

# The README's first command: the main job end to end (scripts/demo.sh).
demo:
	scripts/demo.sh

# Toolchain, Check for mingw, and the Wine prefix, each installed when missing.
deps:
	scripts/deps.sh
prefix:
	scripts/prefix.sh

clean:
	rm -rf $(BUILD)/x64 $(BUILD)/x86
