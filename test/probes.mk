# SPDX-License-Identifier: MIT
# test/probes.mk: the tests' build of the layered provider,
# build/x64/tests/providers/lspkit.dll: lspkit.dll's sources compiled with
# LSPKIT_PROBES (provider/probe.h), linked with test/probes/byte_counts.c,
# which adds the export lspkit_inspect_counts. The base provider and the
# driver beside it are copies of the release builds, so that the directory
# is a whole set of providers: scripts/run-tests.sh points bin/lspkit-wine
# at it (LSPKIT_PROVIDER_DIR).
PROBES_DIR := $(TEST_DIR)/providers
CFLAGS_test/probes :=

$(BUILD)/x64/obj/probes/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC_x64) $(CFLAGS_COMMON) $(call room_cflags,$<) -DLSPKIT_PROBES -MMD -MP -c -o $@ $<

$(PROBES_DIR)/lspkit.dll: $(patsubst %.c,$(BUILD)/x64/obj/probes/%.o,$(PROVIDER_SRCS) \
                            test/probes/byte_counts.c) provider/lspkit.def
	@mkdir -p $(dir $@)
	$(CC_x64) -shared $(LDFLAGS_COMMON) -o $@ $^ -lws2_32 -luser32 $(CAPTURE_LIBS)

$(PROBES_DIR)/%: $(BUILD)/x64/%
	@mkdir -p $(dir $@)
	cp $< $@

tests: $(PROBES_DIR)/lspkit.dll $(PROBES_DIR)/lspkit_base.dll $(PROBES_DIR)/lspkit_ifs.sys
