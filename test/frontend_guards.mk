# SPDX-License-Identifier: MIT
# Pointer checks the front end makes where Wine's ws2_32 would crash.
$(eval $(call test_program,frontend_guards,test/frontend_guards.c $(RUN_SUITE),-lws2_32))
