# SPDX-License-Identifier: MIT
# spicheck/: build/ARCH/spicheck.exe, the conformance runner (docs/conformance.md).
#
# Its clause list is generated from the contract, docs/spec/clauses.md
# (SPICHECK_SPEC=PATH builds against another copy). The runner compares that
# list with the tests compiled in.

SPICHECK_SPEC ?= docs/spec/clauses.md
SPICHECK_GEN  := $(BUILD)/gen/spicheck_clauses.c
# Its catalog installer (layered_install.c) and socket waits (sockwait.c)
# serve the tests in test/ as well, which link them from here; spicheck
# itself links nothing from test/.
SPICHECK_SRCS := $(wildcard spicheck/*.c) spi/sysws2.c
SPICHECK_LIBS := -lmswsock -lws2_32 -luser32
CFLAGS_spicheck := -Ispicheck

# Regenerated whenever the contract changes.
$(SPICHECK_GEN): spicheck/clauses.awk $(SPICHECK_SPEC)
	@mkdir -p $(dir $@)
	awk -f spicheck/clauses.awk "$(SPICHECK_SPEC)" >$@.tmp && mv $@.tmp $@

define spicheck_rules
$(BUILD)/$(1)/obj/gen/spicheck_clauses.o: $(SPICHECK_GEN) spicheck/spicheck.h spicheck/sc.h
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(CFLAGS_COMMON) $$(CFLAGS_spicheck) -c -o $$@ $$<
$(BUILD)/$(1)/spicheck.exe: $(call objs,$(1),$(SPICHECK_SRCS)) $(BUILD)/$(1)/obj/gen/spicheck_clauses.o
	$$(CC_$(1)) $$(LDFLAGS_COMMON) -o $$@ $$^ $(SPICHECK_LIBS)
all: $(BUILD)/$(1)/spicheck.exe
endef
$(foreach a,$(ARCHES),$(eval $(call spicheck_rules,$(a))))

# The host shim, build/ARCH/hostws2/ws2_32.dll: every export of the front
# end's .def, forwarded to Wine's own ws2_32 under its private name
# (lspkit_sysws2, spi/sysws2.h). spicheck's host arrangement runs its
# children beside it (spicheck/arrange.c). Forwarders only: no code.
HOSTWS2_DEF := $(BUILD)/gen/hostws2.def
$(HOSTWS2_DEF): spi/ws2_32.def
	@mkdir -p $(dir $@)
	awk '/^ *;/ || NF == 0 { next } $$1 == "LIBRARY" || $$1 == "EXPORTS" { print; next } \
	     { split($$1, name, "="); \
	       print "    " name[1] "=lspkit_sysws2." name[1] ($$2 ~ /^@/ ? " " $$2 : "") }' $< >$@

define hostws2_rules
$(BUILD)/$(1)/hostws2/ws2_32.dll: $(HOSTWS2_DEF)
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) -shared -nostdlib -Wl,--entry=0 -o $$@ $$<
all: $(BUILD)/$(1)/hostws2/ws2_32.dll
endef
$(foreach a,$(ARCHES),$(eval $(call hostws2_rules,$(a))))
