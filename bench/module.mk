# SPDX-License-Identifier: MIT
# bench/: loopback micro-benchmark (not part of `make check`).
#
# build/x64/bench/lbbench.exe links only -lws2_32, so the same binary runs on
# Wine's own ws2_32, through the lspkit front end, and through it with the
# layered provider installed (capture off and on); `make bench` runs it all
# those ways, interleaved, with bench/run.sh (see docs/performance.md). The
# i686 build only keeps the source warning-free there. ifsbench.exe measures
# what a completion through lspkit_ifs.sys costs (docs/performance.md).
# gobench.exe (bench/go/) is the Go side of run.sh's real-program workloads,
# cross-compiled like the Go test programs (test/go.mk's GO_ENV), for
# `make bench` only. lspkit_allow.dll is the filter of run.sh's `filtered`
# side: it allows everything, so that the side costs only the asking.

CFLAGS_bench :=

define bench_program
$(BUILD)/$(1)/bench/lbbench.exe: $(call objs,$(1),bench/lbbench.c bench/util.c bench/port.c)
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(LDFLAGS_COMMON) -o $$@ $$^ -lws2_32
all: $(BUILD)/$(1)/bench/lbbench.exe
$(BUILD)/$(1)/bench/ifsbench.exe: $(call objs,$(1),bench/ifsbench.c)
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(LDFLAGS_COMMON) -o $$@ $$^ -lws2_32
all: $(BUILD)/$(1)/bench/ifsbench.exe
$(BUILD)/$(1)/bench/lspkit_allow.dll: $(call objs,$(1),bench/allow_filter.c)
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) -shared $$(LDFLAGS_COMMON) -o $$@ $$^
all: $(BUILD)/$(1)/bench/lspkit_allow.dll
endef
$(foreach a,$(ARCHES),$(eval $(call bench_program,$(a))))

$(BUILD)/x64/bench/gobench.exe: $(wildcard bench/go/*.go) bench/go/go.mod
	@mkdir -p $(dir $@)
	cd bench/go && $(GO_ENV) go build -trimpath -o $(CURDIR)/$@ .

.PHONY: bench
bench: all $(BUILD)/x64/bench/gobench.exe
	bench/run.sh $(BUILD)/x64/bench/lbbench.exe
