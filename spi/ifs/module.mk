# SPDX-License-Identifier: MIT
# spi/ifs/: lspkit_ifs.sys, the kernel driver (hosted by Wine's winedevice.exe)
# whose device files are the socket handles WPUCreateSocketHandle returns.
# It links against ntoskrnl only: no C runtime, native subsystem, and the
# entry point is DriverEntry (stdcall-decorated on i686). It exports
# nothing: without a .def the linker would export every global function,
# and the loader needs only the entry point in the header. The DDK headers
# are read as system headers: they are not -Wextra clean.
IFS_ENTRY_x64 := DriverEntry
IFS_ENTRY_x86 := _DriverEntry@8
IFS_DDK_x64   := /usr/x86_64-w64-mingw32/include/ddk
IFS_DDK_x86   := /usr/i686-w64-mingw32/include/ddk
IFS_SOURCES   := spi/ifs/lspkit_ifs.c spi/ifs/pended.c
# On i686 the spin lock functions live in the HAL.
IFS_LIBS_x86  := -lhal

define ifs_rules
$(BUILD)/$(1)/lspkit_ifs.sys: $(IFS_SOURCES) spi/ifs/lspkit_ifs.h spi/ifs/pended.h
	@mkdir -p $$(dir $$@)
	$$(CC_$(1)) $$(CFLAGS_COMMON) -DLSPKIT_IFS_DRIVER -isystem $(IFS_DDK_$(1)) -ffreestanding -shared -nostdlib \
	    -Wl,--subsystem,native -Wl,--exclude-all-symbols -e $(IFS_ENTRY_$(1)) -o $$@ $(IFS_SOURCES) -lntoskrnl $(IFS_LIBS_$(1))
all: $(BUILD)/$(1)/lspkit_ifs.sys
endef
$(foreach a,$(ARCHES),$(eval $(call ifs_rules,$(a))))
