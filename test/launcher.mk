# SPDX-License-Identifier: MIT
# test/launcher.mk: bin/lspkit-wine itself (test/launcher_concurrent.sh,
# run by scripts/check.sh). launcher_hello.exe is the program it starts.
$(eval $(call test_program,launcher_hello,test/launcher_hello.c,-lws2_32))
