# SPDX-License-Identifier: MIT
# test/gdbserver.mk: the program test/gdbserver.sh has gdbserver debug
# (test/gdbserver_target.c; no Check, no Winsock).

$(TEST_DIR)/gdbserver_target.exe: $(call objs,x64,test/gdbserver_target.c)
	@mkdir -p $(dir $@)
	$(CC_x64) $(LDFLAGS_COMMON) -o $@ $^
tests: $(TEST_DIR)/gdbserver_target.exe
