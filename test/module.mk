# test/: Check-based test programs, all built for x64 only (they run under Wine).
#
# Each area keeps its own fragment test/AREA.mk (build rules for its programs
# into build/x64/tests/) and its own test/AREA.list, read by scripts/run-tests.sh:
# one line per run, "ARRANGEMENT PROGRAM.exe [ARGS...]", where ARRANGEMENT is
#   host      plain Wine ws2_32, no project code (the baseline)
#   frontend  through bin/lspkit-wine: front end + base provider
#   layered   through bin/lspkit-wine with the layered provider installed
# Lines starting with # are comments.

# check.h declares its message functions with the `printf` format archetype,
# which mingw-w64 maps to msvcrt's printf and so rejects the %j its own macros
# use. The tests read a copy that names the C99 archetype instead.
CHECK_HEADER_DIR := $(BUILD)/deps/check-header
CFLAGS_test := -I$(CHECK_HEADER_DIR) -Ibuild/deps/check/x64/include -Itest

$(CHECK_HEADER_DIR)/check.h: build/deps/check/x64/include/check.h
	@mkdir -p $(dir $@)
	sed 's/format (a, b, c)/format (gnu_printf, b, c)/' $< > $@

TEST_DIR    := $(BUILD)/x64/tests
CHECK_LIBS  := -Lbuild/deps/check/x64/lib -static -lcheck -lpthread

# $(call test_program,NAME,SOURCES,LIBS): build/x64/tests/NAME.exe from SOURCES.
define test_program
$(call objs,x64,$(2)): | $(CHECK_HEADER_DIR)/check.h
$(TEST_DIR)/$(1).exe: $(call objs,x64,$(2))
	@mkdir -p $$(dir $$@)
	$$(CC_x64) $$(LDFLAGS_COMMON) -o $$@ $$^ $(3) $$(CHECK_LIBS)
tests: $(TEST_DIR)/$(1).exe
endef

.PHONY: tests
-include $(filter-out test/module.mk,$(wildcard test/*.mk))
