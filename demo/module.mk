# SPDX-License-Identifier: MIT
# demo/: the client program `make demo` runs through the installed LSP.
CFLAGS_demo :=
$(BUILD)/x64/demo/demo_client.exe: $(call objs,x64,demo/demo_client.c)
	@mkdir -p $(dir $@)
	$(CC_x64) $(LDFLAGS_COMMON) -o $@ $^ -lwinhttp -lws2_32
all: $(BUILD)/x64/demo/demo_client.exe
