# SPDX-License-Identifier: MIT
# test/: Check-based test programs, all built for x64 only (they run under Wine).
#
# Each area keeps its own fragment test/AREA.mk (build rules for its programs
# into build/x64/tests/) and its own test/AREA.list, read by scripts/run-tests.sh:
# one line per run, "ARRANGEMENT PROGRAM.exe [ARGS...]", where ARRANGEMENT is
#   host      plain Wine ws2_32, no project code (the baseline)
#   frontend  through bin/lspkit-wine: front end + base provider
#   layered   through bin/lspkit-wine with the layered provider installed
# PROGRAM.exe is a name in build/x64/tests/, or a path from the repository's
# root when it holds a '/' (build/deps/node/node.exe, from scripts/deps.sh).
# Programs run with the root as working directory, so ARGS may name files of
# the tree (test/node/http.js).
# Lines starting with # are comments.

CFLAGS_test := -Ibuild/deps/check/x64/include -Itest -Itest/support -Ispicheck
# test/support/: what many test programs share (run_suite.c: main's end).
CFLAGS_test/support := -Ibuild/deps/check/x64/include
RUN_SUITE := test/support/run_suite.c

TEST_DIR    := $(BUILD)/x64/tests
CHECK_LIBS  := -Lbuild/deps/check/x64/lib -static -lcheck -lpthread

# $(call test_program,NAME,SOURCES,LIBS): build/x64/tests/NAME.exe from SOURCES.
define test_program
$(TEST_DIR)/$(1).exe: $(call objs,x64,$(2))
	@mkdir -p $$(dir $$@)
	$$(CC_x64) $$(LDFLAGS_COMMON) -o $$@ $$^ $(3) $$(CHECK_LIBS)
tests: $(TEST_DIR)/$(1).exe
endef

.PHONY: tests
include $(filter-out test/module.mk,$(wildcard test/*.mk))
# Rooms whose unit tests live beside them, Wine style (ROOM/tests/).
include $(sort $(shell find . \( -path ./build -o -path ./.git \) -prune -o \
                    -path '*/tests/tests.mk' -print))
